/**
 * Hint phrases with gaps: a phrase of intents/answers.yaml such as 「どこ…聞」 matches 「どこに話を聞き
 * に行けば」 — its parts in order, each at most {@link HINT_GAP} characters after the previous one.
 * Parts are matched in folded text (src/text/normalize.ts matchKey). Linear in the text: each
 * occurrence of the first part is checked once against a window of fixed size.
 */
import { matchKey } from './normalize.ts';

/** Most characters a 「…」 in a hint phrase may stand for. */
export const HINT_GAP = 8;

/** The folded parts of hint phrase `phrase` (「…」 or 「...」 separate parts; empty parts dropped). */
export function hintParts(phrase: string): string[] {
  return phrase
    .split(/…+|\.\.\.+/)
    .map(matchKey)
    .filter(Boolean);
}

/** Whether `folded` (matchKey'd text) holds the parts in order, each within {@link HINT_GAP} characters of the previous. */
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
