/**
 * Japanese numbers with units → values. Used by `knowledge check` (is the `yen` of an amount what
 * its printed text says?) and by query/slot parsing (「５千万円」「3億」「２０人」).
 *
 * Every reader here is a single left-to-right scan with no regular expression over the digits: a
 * digit run is read once, so the cost is linear in the text for any input (a pattern such as
 * `(\d+(?:千|万)?)+` backtracks exponentially on a long run of digits with no unit after it).
 * A digit run longer than {@link MAX_NUMBER_DIGITS} is not read as a number at all: no figure a user
 * or a source gives has that many digits, and a double cannot hold it exactly.
 */

/**
 * Longest run of digits (integer part, or the part after the decimal point) read as a number: 15
 * digits reach 999兆円 and stay exact in a double. Longer runs are skipped and reported by
 * {@link overlongDigitRuns}.
 */
export const MAX_NUMBER_DIGITS = 15;

/** Multipliers in the order they are tried (two-character ones first). */
const MULTIPLIERS: readonly (readonly [string, number])[] = [
  ['千万', 1e7],
  ['百万', 1e6],
  ['十万', 1e5],
  ['兆', 1e12],
  ['億', 1e8],
  ['万', 1e4],
  ['千', 1e3],
  ['百', 1e2],
];

const isDigit = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

function multiplierAt(s: string, i: number): readonly [string, number] | null {
  for (const m of MULTIPLIERS) if (s.startsWith(m[0], i)) return m;
  return null;
}

/** One piece of a compound number: digits, an optional fraction and an optional multiplier. */
interface Piece {
  /** index after the piece */
  end: number;
  /** the compound's value up to and including this piece */
  total: number;
  /** the multiplier ending the piece (「万」「千万」…), or null */
  multiplier: string | null;
}

/** A compound number read at a position: 「1億5千万」 = pieces 1億, 5千万. */
export interface CompoundNumber {
  start: number;
  /** index after the last piece */
  end: number;
  pieces: Piece[];
  /** the compound's value (sum of its pieces); NaN when {@link overlong} */
  value: number;
  /** the longest digit run in it is over {@link MAX_NUMBER_DIGITS} (the value is not read) */
  overlong: boolean;
  /** length of the longest digit run in it */
  longestRun: number;
}

/**
 * Reads the compound number starting at `start` (which must be a digit): pieces `digits[.digits][multiplier]`,
 * going on to the next piece only after a multiplier (「1億5千万」, 「2000千」). Linear in its length.
 */
export function readCompound(s: string, start: number): CompoundNumber {
  const pieces: Piece[] = [];
  let i = start;
  let total = 0;
  let longestRun = 0;
  for (;;) {
    let j = i;
    while (isDigit(s, j)) j++;
    longestRun = Math.max(longestRun, j - i);
    let k = j;
    if (s[j] === '.' && isDigit(s, j + 1)) {
      k = j + 1;
      while (isDigit(s, k)) k++;
      longestRun = Math.max(longestRun, k - j - 1);
    }
    const m = multiplierAt(s, k);
    const end = k + (m ? m[0].length : 0);
    total += parseFloat(s.slice(i, Math.min(k, i + 2 * MAX_NUMBER_DIGITS + 2))) * (m ? m[1] : 1);
    pieces.push({ end, total, multiplier: m ? m[0] : null });
    if (m && isDigit(s, end)) {
      i = end;
      continue;
    }
    const overlong = longestRun > MAX_NUMBER_DIGITS;
    return { start, end, pieces, value: overlong ? NaN : total, overlong, longestRun };
  }
}

/**
 * Calls `visit` for every compound number in `s`, left to right (each digit read once). `visit`
 * returns the index to go on from (at least the compound's start + 1), or undefined for its end.
 */
export function scanCompounds(s: string, visit: (c: CompoundNumber) => number | void): void {
  let i = 0;
  while (i < s.length) {
    if (!isDigit(s, i)) {
      i++;
      continue;
    }
    const c = readCompound(s, i);
    const next = visit(c);
    i = typeof next === 'number' && next > i ? next : c.end;
  }
}

/**
 * Lengths of the digit runs in `text` (after NFKC, thousands separators dropped) longer than
 * {@link MAX_NUMBER_DIGITS}, in order: the numbers the readers skipped, so a reply can say so.
 * Pass a normalize()d text to see the runs findQuantities sees. [] when none.
 */
export function overlongDigitRuns(text: string): number[] {
  const s = dropThousandsSeparators(text.normalize('NFKC'));
  const out: number[] = [];
  let run = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && isDigit(s, i)) run++;
    else {
      if (run > MAX_NUMBER_DIGITS) out.push(run);
      run = 0;
    }
  }
  return out;
}

/** Drops thousands separators: 「2,000,000」 → 「2000000」 (a comma before exactly three digits). Linear. */
export function dropThousandsSeparators(s: string): string {
  return s.replace(/(?<=\d),(?=\d{3}(?!\d))/g, '');
}

/** NFKC, drop thousands separators and white space: 「２，０００ 千円」 → 「2000千円」. */
function compact(text: string): string {
  return dropThousandsSeparators(text.normalize('NFKC')).replace(/\s+/g, '');
}

/**
 * Parses a compound Japanese number such as 「1億5千万」「2000千」「3.5万」 into a number: the sum of
 * every `digits[.digits][multiplier]` piece in the text. Returns null when the text holds no digits
 * or a digit run longer than {@link MAX_NUMBER_DIGITS}. Kanji numerals other than unit multipliers are not read.
 */
export function parseCompoundNumber(text: string): number | null {
  const s = compact(text);
  let total = 0;
  let found = false;
  let overlong = false;
  scanCompounds(s, (c) => {
    found = true;
    if (c.overlong) overlong = true;
    else total += c.value;
  });
  return found && !overlong ? total : null;
}

/** The value and end of the longest prefix of `c` ending in one of `units` (「1億5千」 → 1億 for 万億兆). */
export function prefixEndingIn(c: CompoundNumber, units: string): Piece | null {
  for (let p = c.pieces.length - 1; p >= 0; p--) {
    const m = c.pieces[p].multiplier;
    if (m && units.includes(m[m.length - 1])) return c.pieces[p];
  }
  return null;
}

/**
 * The first amount of money in `text`, in 円: 「2,000 千円」→ 2000000, 「3億円」→ 300000000,
 * 「5千万円」→ 50000000, 「1億2,000万円」→ 120000000, 「3億」→ 300000000 when `requireYen` is false.
 * Returns null when no amount with 円 (or, without `requireYen`, with a 万/億/千/百/兆 unit) is found,
 * or when the amount has a digit run over {@link MAX_NUMBER_DIGITS}.
 */
export function parseYen(text: string, requireYen = true): number | null {
  const s = compact(text);
  let found: number | null = null;
  let done = false;
  scanCompounds(s, (c) => {
    if (done) return s.length;
    if (s[c.end] === '円') {
      done = true;
      found = c.overlong ? null : c.value;
      return s.length;
    }
    if (!requireYen) {
      const p = prefixEndingIn(c, '万億千百兆');
      if (p) {
        done = true;
        found = c.overlong ? null : p.total;
        return s.length;
      }
    }
  });
  return found;
}

/** 「２０人」「20名」「20」 (digits only) → 20; null when there is no count of people (or it is over {@link MAX_NUMBER_DIGITS} digits). */
export function parsePeople(text: string): number | null {
  const s = compact(text);
  let found: number | null = null;
  scanCompounds(s, (c) => {
    // the integer digits right before 人/名 (「2千人」 is not a count read here)
    const j = c.end;
    if (c.pieces[c.pieces.length - 1].multiplier || (s[j] !== '人' && s[j] !== '名')) return;
    let a = j;
    while (a > c.start && isDigit(s, a - 1)) a--;
    if (j - a <= MAX_NUMBER_DIGITS) {
      found = parseInt(s.slice(a, j), 10);
      return s.length;
    }
  });
  if (found !== null) return found;
  // a bare number is the whole text: 「20」 (anchored at both ends: linear)
  return /^\d+$/.test(s) && s.length <= MAX_NUMBER_DIGITS ? parseInt(s, 10) : null;
}
