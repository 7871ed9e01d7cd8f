/**
 * Japanese numbers with units → values. Used by `knowledge check` (is the `yen` of an amount what
 * its printed text says?) and by query/slot parsing (「５千万円」「3億」「２０人」).
 */

const MULTIPLIERS: Record<string, number> = {
  兆: 1e12,
  億: 1e8,
  千万: 1e7,
  百万: 1e6,
  十万: 1e5,
  万: 1e4,
  千: 1e3,
  百: 1e2,
};

const PIECE = /(\d+(?:\.\d+)?)(千万|百万|十万|兆|億|万|千|百)?/g;

/** NFKC, drop thousands separators and white space: 「２，０００ 千円」 → 「2000千円」. */
function compact(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
    .replace(/\s+/g, '');
}

/**
 * Parses a compound Japanese number such as 「1億5千万」「2000千」「3.5万」 into a number.
 * Returns null when the text holds no digits. Kanji numerals other than unit multipliers are not read.
 */
export function parseCompoundNumber(text: string): number | null {
  const s = compact(text);
  let total = 0;
  let found = false;
  for (const m of s.matchAll(PIECE)) {
    found = true;
    total += parseFloat(m[1]) * (m[2] ? MULTIPLIERS[m[2]] : 1);
  }
  return found ? total : null;
}

/**
 * The first amount of money in `text`, in 円: 「2,000 千円」→ 2000000, 「3億円」→ 300000000,
 * 「5千万円」→ 50000000, 「1億2,000万円」→ 120000000, 「3億」→ 300000000 when `requireYen` is false.
 * Returns null when no amount with 円 (or, without `requireYen`, with a 万/億 unit) is found.
 */
export function parseYen(text: string, requireYen = true): number | null {
  const s = compact(text);
  const re = requireYen
    ? /((?:\d+(?:\.\d+)?(?:千万|百万|十万|兆|億|万|千|百)?)+)円/
    : /((?:\d+(?:\.\d+)?(?:千万|百万|十万|兆|億|万|千|百)?)+)(円|(?<=[万億千百兆]))/;
  const m = s.match(re);
  if (!m) return null;
  return parseCompoundNumber(m[1]);
}

/** 「２０人」「20名」「二十人」(digits only) → 20; null when there is no count of people. */
export function parsePeople(text: string): number | null {
  const s = compact(text);
  const m = s.match(/(\d+)(?:人|名)/) ?? s.match(/^(\d+)$/);
  return m ? parseInt(m[1], 10) : null;
}
