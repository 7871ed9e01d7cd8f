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
