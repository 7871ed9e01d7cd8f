/**
 * Hint phrases with gaps: a phrase of intents/answers.yaml such as 「どこ…聞」 matches 「どこに話を聞き
 * に行けば」 — its parts in order, each at most {@link HINT_GAP} characters after the previous one.
 * Parts are matched in folded text (src/text/normalize.ts matchKey). Linear in the text: each
 * occurrence of the first part is checked once against a window of fixed size.
 */
import { fold, matchKey } from './normalize.ts';

/** A run of katakana (with 長音): a word of its own in a hint phrase and in the text a hint is looked for in. */
const KATAKANA_RUN = /[\u30a1-\u30fa\u30fc]+/g;
const KATAKANA_ONLY = /^[\u30a1-\u30fa\u30fc]+$/;
/** Marks the edges of a katakana word in {@link hintText}: never in folded text otherwise. */
const EDGE = '\u0001';

/**
 * The folded form of `normalized` that {@link hasHint} reads: each katakana word between
 * {@link EDGE} marks, so a katakana hint matches a whole word only (センター in 「支援センターに」, not in
 * 「マシニングセンタ」).
 */
export function hintText(normalized: string): string {
  return fold(normalized.replace(KATAKANA_RUN, (m) => `${EDGE}${m}${EDGE}`));
}

/** Most characters a 「…」 in a hint phrase may stand for. */
export const HINT_GAP = 8;

/** The folded parts of hint phrase `phrase` (「…」 or 「...」 separate parts; empty parts dropped; a katakana part is a whole word, see {@link hintText}). */
export function hintParts(phrase: string): string[] {
  return phrase
    .split(/…+|\.\.\.+/)
    .map((p) => (KATAKANA_ONLY.test(p.normalize('NFKC').trim()) ? `${EDGE}${matchKey(p)}${EDGE}` : matchKey(p)))
    .filter((p) => p && p !== EDGE + EDGE);
}

/** A part of {@link hintParts} as the word it matches (without the marks of a katakana word). */
export function hintWord(part: string): string {
  return part.replaceAll(EDGE, '');
}

/** Whether `folded` ({@link hintText} of the question) holds the parts in order, each within {@link HINT_GAP} characters of the previous. */
export function hasHint(folded: string, parts: readonly string[]): boolean {
  if (!parts.length) return false;
  if (parts.length === 1) return folded.includes(parts[0]);
  for (let at = folded.indexOf(parts[0]); at >= 0; at = folded.indexOf(parts[0], at + 1)) {
    let end = at + parts[0].length;
    let ok = true;
    for (let k = 1; k < parts.length && ok; k++) {
      const window = folded.slice(end, end + HINT_GAP + parts[k].length);
      const i = window.indexOf(parts[k]);
      if (i < 0) ok = false;
      else end += i + parts[k].length;
    }
    if (ok) return true;
  }
  return false;
}
