/**
 * What every renderer (LINE, Slack, Teams) shows of a card the same way: the numbers its 電話する
 * buttons dial, the phone line and the plain-text form used for notifications and alt text, and
 * button labels cut to a platform's length without losing what tells two choices apart.
 */
import type { Card, DialNumber } from '../core/types.ts';
import { cardText, phoneText } from '../search/answer.ts';
import { parsePhones } from '../text/phone.ts';

/** The numbers a card's 電話する buttons dial: `card.dial`, else read from `card.phone`. Never a concatenation. */
export function dialNumbers(card: Card): DialNumber[] {
  return card.dial ?? parsePhones(card.phone);
}

/** 「電話する」 for a card's only number; 「電話する 083-222-6225」 when it has several. */
export function callLabel(n: DialNumber, all: DialNumber[]): string {
  return all.length > 1 ? `電話する ${n.number}` : '電話する';
}

/** The phone as text (「083-222-6225 / 083-223-2251」, 内線 included), else undefined. */
export function phoneLine(card: Card): string | undefined {
  return phoneText({ phone: card.phone, dial: dialNumbers(card) });
}

/** The card as plain lines (title, text, terms, 相談先, phone, notes, source): notification and alt text. */
export function cardPlain(card: Card): string {
  return cardText({ ...card, dial: dialNumbers(card) });
}

/**
 * Labels cut to `max` characters (Unicode code points) so that labels which differ still differ:
 * a label is cut at the end (「…」), unless that makes it equal to another one's cut, in which case it
 * shows the part where they differ (「生活関連サービス業・娯楽業（理容・美容…」 / 「…業・娯楽業（その他）」).
 */
export function distinctLabels(labels: string[], max: number): string[] {
  const cut = (s: string, from: number): string => {
    const chars = Array.from(s);
    if (chars.length <= max) return s;
    if (from <= 0) return chars.slice(0, max - 1).join('') + '…';
    const start = Math.min(from, chars.length - (max - 1));
    const body = chars.slice(start, start + max - 1);
    return start + max - 1 >= chars.length ? `…${body.join('')}` : `…${chars.slice(start, start + max - 2).join('')}…`;
  };
  const out = labels.map((l) => cut(l, 0));
  const groups = new Map<string, number[]>();
  out.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), i]));
  for (const idx of groups.values()) {
    const full = idx.map((i) => Array.from(labels[i]!));
    if (new Set(idx.map((i) => labels[i])).size < 2) continue;
    // longest common prefix of the colliding labels; show from a little before it
    let p = 0;
    while (full.every((f) => f[p] !== undefined && f[p] === full[0]![p])) p++;
    for (const i of idx) out[i] = cut(labels[i]!, Math.max(1, p - 4));
  }
  return out;
}
