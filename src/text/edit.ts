/**
 * Edit distance tests for names typed with one slip (「キャリヤアップ助成金」 for キャリアアップ助成金).
 */

/**
 * True when `a` and `b` differ by at most one character inserted, deleted or replaced (Levenshtein
 * distance ≤ 1), compared by UTF-16 code unit. One pass over both strings: O(|a| + |b|).
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  const [s, t] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === t[i]) i++;
  // the first difference: replace (same length) or insert into the shorter one
  const restS = s.length === t.length ? i + 1 : i;
  return s.slice(restS) === t.slice(i + 1);
}

/** A name found with one character replaced: [start, end) in the text searched, and the name's key. */
export interface Slip {
  start: number;
  end: number;
  /** where the replaced character is */
  at: number;
  key: string;
}

/**
 * Finds names (keys of {@link SlipFinder.MIN_LENGTH} characters or more) written with exactly one
 * character replaced by another of its script (「よろず支援拠店」 for よろず支援拠点), or two adjacent ones
 * swapped (「事業継承支援資金」 for 事業承継支援資金). A name with one such slip keeps one of its
 * halves exactly, so each half is looked up at every position of the text: O(text length × distinct
 * half lengths) map look-ups, then one comparison per candidate. Built once per catalogue: O(keys).
 */
export class SlipFinder {
  /** Shortest name looked for: a shorter one is too easily another word with one character changed. */
  static readonly MIN_LENGTH = 6;
  private readonly byHalf = new Map<string, { key: string; offset: number }[]>();
  private readonly halfLengths = new Set<number>();

  constructor(keys: Iterable<string>) {
    for (const key of keys) {
      if (key.length < SlipFinder.MIN_LENGTH) continue;
      const h = key.length >> 1;
      for (const [half, offset] of [[key.slice(0, h), 0], [key.slice(h), h]] as const) {
        this.halfLengths.add(half.length);
        let list = this.byHalf.get(half);
        if (!list) this.byHalf.set(half, (list = []));
        list.push({ key, offset });
      }
    }
  }

  /** The slips in `text` (folded), at most `max`, none overlapping another; a name written exactly is none. */
  find(text: string, max = 3): Slip[] {
    const out: Slip[] = [];
    for (let i = 0; i < text.length && out.length < max; i++) {
      for (const n of this.halfLengths) {
        const list = this.byHalf.get(text.slice(i, i + n));
        if (!list) continue;
        for (const { key, offset } of list) {
          const start = i - offset;
          if (start < 0 || start + key.length > text.length) continue;
          const written = text.slice(start, start + key.length);
          const at = written === key ? -1 : Math.max(replacedAt(written, key), swappedAt(written, key));
          if (at < 0) continue;
          if (!out.some((s) => s.start < start + key.length && start < s.end)) out.push({ start, end: start + key.length, at: start + at, key });
        }
      }
    }
    return out;
  }
}

/**
 * The one position where two strings of the same length differ, by two characters of the same
 * script, else −1 (拠店/拠点, 持続可/持続化: a conversion slip; not 共済の/共済法, a particle after a name).
 */
function replacedAt(a: string, b: string): number {
  let diff = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (diff >= 0) return -1;
    diff = i;
  }
  return diff >= 0 && scriptOf(a.charCodeAt(diff)) === scriptOf(b.charCodeAt(diff)) ? diff : -1;
}

/**
 * The first of two adjacent characters written in the other order (継承 for 承継: a conversion slip
 * of a compound read the same both ways round), the rest equal, else −1.
 */
function swappedAt(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i + 1 >= a.length || a[i] === a[i + 1] || a[i] !== b[i + 1] || a[i + 1] !== b[i]) return -1;
  return a.slice(i + 2) === b.slice(i + 2) ? i : -1;
}

/** A character's script: 1 hiragana, 2 katakana, 3 kanji, 4 Latin letter or digit, 0 other. */
function scriptOf(c: number): number {
  if (c >= 0x3041 && c <= 0x309f) return 1;
  if (c >= 0x30a0 && c <= 0x30ff) return 2;
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return 3;
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return 4;
  return 0;
}
