/**
 * Phone numbers as the sources print them → numbers a 電話する button can dial.
 *
 * The desk lists print one number per desk (「083-933-3180」), but some fields hold several:
 * 「(083) ①222-6225 ②223-2251」 (an area code in brackets, then circled numbers), 「0836-65-2129・2130」
 * (the last group of a second number), 「083-933-3180（内線 1234）」. Stripping everything but the digits
 * of such a field dials a concatenation that reaches nobody; this reader splits the field into its
 * numbers, carries the area code (or the first groups) over to a number printed without them, and keeps
 * an extension apart (a `tel:` link dials the main line; the extension is shown beside it).
 *
 * A number is valid when it has the digit count of the Japanese numbering plan (総務省 電気通信番号計画):
 * 10 digits starting with 0 (固定電話 0AB-CDE-FGHJ, 0120 フリーダイヤル, 0570), or 11 digits for 050 (IP電話),
 * 070/080/090 (携帯電話) and 0800. Anything else is not offered as a link (the printed text still shows).
 * Linear in the length of the field; never throws.
 */

import type { DialNumber } from '../core/types.ts';

export type { DialNumber };

/** ①–⑳, ⑴–⒇, ⒈–⒛, ⓵–⓾, ❶–❿ … (NFKC would turn them into digits and glue them to the number). */
const ENCLOSED = /[\u2460-\u249b\u24ea-\u24ff\u2776-\u2793]/g;
const DASHES = /[\u2010-\u2015\u2212\u30fc\uff0d\u2500]/g;
/** Between two numbers of one field. */
const SEPARATOR = /[|,、，/／;；・\n]|または|又は|及び|および|\s{2,}/;
const EXTENSION = /(?:内線|内|ext\.?|ex\.?)\s*[:：]?\s*(\d{1,6})/i;

/** Whether `digits` has the length of a number of the Japanese numbering plan. */
export function validPhoneDigits(digits: string): boolean {
  if (/^0[5789]0\d{8}$/.test(digits) || /^0800\d{7}$/.test(digits)) return true;
  return /^0[1-9]\d{8}$/.test(digits) && !/^0[5789]0/.test(digits.slice(0, 3)) && !digits.startsWith('0800');
}

/**
 * Every number a printed phone field holds, in order, without duplicates.
 * @param printed the field as printed (「(083) ①222-6225 ②223-2251」); undefined/empty → []
 * @returns `[{number:'083-222-6225', tel:'tel:083-222-6225'}, {number:'083-223-2251', …}]`
 */
export function parsePhones(printed: string | undefined | null): DialNumber[] {
  if (typeof printed !== 'string' || !printed.trim()) return [];
  const s = printed.slice(0, 500).replace(ENCLOSED, '|').normalize('NFKC').replace(DASHES, '-');
  const out: DialNumber[] = [];
  let area: string | null = null;
  let prev: string[] | null = null;
  for (const raw of s.split(SEPARATOR)) {
    let piece = raw;
    const ext = EXTENSION.exec(piece);
    if (ext) piece = piece.slice(0, ext.index) + piece.slice(ext.index + ext[0].length);
    let groups: string[] = piece.match(/\d+/g) ?? [];
    if (!groups.length) {
      if (ext && out.length && !out[out.length - 1]!.ext) out[out.length - 1]!.ext = ext[1];
      continue;
    }
    const digits = groups.join('');
    if (digits.startsWith('0')) {
      if (groups.length === 1 && digits.length <= 5) {
        area = digits; // 「(083)」: the area code of the numbers that follow
        continue;
      }
    } else if (area && groups.length === 2) groups = [area, ...groups];
    else if (prev && groups.length === 1 && groups[0]!.length === prev[prev.length - 1]!.length) groups = [...prev.slice(0, -1), groups[0]!];
    else if (prev && groups.length === 2 && prev.length === 3) groups = [prev[0]!, ...groups];
    const all = groups.join('');
    if (!validPhoneDigits(all)) continue;
    const number = groups.length > 1 ? groups.join('-') : all;
    prev = groups.length > 1 ? groups : prev;
    if (groups.length > 1) area = groups[0]!;
    if (out.some((n) => n.number.replace(/-/g, '') === all)) continue;
    out.push({ number, tel: `tel:${number}`, ...(ext ? { ext: ext[1] } : {}) });
  }
  return out;
}

/** 「083-933-3180」, or 「083-933-3180（内線1234）」 with its extension. */
export function phoneLabel(n: DialNumber): string {
  return n.ext ? `${n.number}（内線${n.ext}）` : n.number;
}
