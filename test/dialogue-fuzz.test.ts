import { describe, expect, it } from 'vitest';
import type { Incoming } from '../src/core/types.ts';
import { engineFor, fixtureKb } from './helpers/engine-fixture.ts';

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '診断', '戻る', '最初から', 'やめる', 'わからない', '対象外は？', 'その補助率は？', '電話番号は？', '詳しく', '回答を変更',
  '飲食店', '２５人', '5千万円', '3億', '周南市熊毛', '個人でやってます', '山口市阿知須', '事業承継', '創業前', '3年目',
  '補助金:製造業 +DX -', '~*^:', '\u0000\u0007\u001b[2J', '😀🏭💴', '\u202e逆', 'ｶﾌｪ', '　', '\n\t', '"\'<script>', '%s%n',
  'NaN', '-1人', '99999999999999999999人', '1e309円', '0.5人', '四人', 'た', '', '山口県外', '大阪府の補助金',
];
const VALUES = ['intent:back', 'intent:restart', 'intent:misses', 'intent:change', 'intent:nope', 'slot:employees:6〜20人', 'slot:nope:x', 'slot:industry:', 'detail:nope', 'detail:sogyo-hojokin', 'change:capital', 'change:nope', ':::', ''];

/** Names on Object.prototype and friends: user text must never be read as a key of a plain object (issue #9, finding 3). */
const PROTO = ['constructor', 'toString', '__proto__', 'valueOf', 'isPrototypeOf', 'hasOwnProperty', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', 'prototype'];
const PROTO_VALUES = PROTO.flatMap((n) => [n, `slot:industry:${n}`, `slot:${n}:x`, `detail:${n}`, `intent:${n}`, `change:${n}`]);
/** Separators of a digit run (finding 1): none, zero-width, control, space, comma, full-width comma. */
const SEPARATORS = ['', '\u200b', '\u0007', ' ', ',', '，', '\u2060'];
const BIDI = ['\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u061c'];
const PASTE_UNITS = ['~', '〜', 'あ', 'ア', 'ｱ', 'ー', '補', '。', '、', '！？', 'x', '1', '山口市', '事業承継', '😀', '\ud800', '\udfff'];

/** A digit run of 20–400 digits, any width, any separator, maybe a unit after it. */
function digitRun(r: () => number): string {
  const n = 20 + Math.floor(r() * 381);
  const wide = r() < 0.3;
  const sep = SEPARATORS[Math.floor(r() * SEPARATORS.length)];
  const digits = Array.from({ length: n }, () => {
    const d = Math.floor(r() * 10);
    return wide ? String.fromCharCode(0xff10 + d) : r() < 0.05 ? '①' : String(d);
  });
  return digits.join(sep) + (['', '円', '人', '万', '億円', '%', '年'][Math.floor(r() * 7)]);
}

/** Text of an adversarial kind: prototype names, digit runs, long pastes, bidi and surrogate characters. */
function adversarial(r: () => number): string {
  const kind = r();
  if (kind < 0.3) return PROTO[Math.floor(r() * PROTO.length)];
  if (kind < 0.55) return digitRun(r);
  if (kind < 0.7) {
    const unit = PASTE_UNITS[Math.floor(r() * PASTE_UNITS.length)];
    return unit.repeat(Math.ceil((500 + r() * 2500) / unit.length));
  }
  if (kind < 0.85) return Array.from({ length: 1 + Math.floor(r() * 8) }, () => BIDI[Math.floor(r() * BIDI.length)] + PIECES[Math.floor(r() * PIECES.length)]).join('');
  // lone and paired surrogates mixed with text
  return Array.from({ length: 1 + Math.floor(r() * 30) }, () => (r() < 0.5 ? String.fromCharCode(0xd800 + Math.floor(r() * 0x800)) : PIECES[Math.floor(r() * PIECES.length)])).join('');
}

function randomText(r: () => number): string {
  if (r() < 0.2) return adversarial(r);
  const kind = r();
  if (kind < 0.6) {
    const n = 1 + Math.floor(r() * 4);
    return Array.from({ length: n }, () => PIECES[Math.floor(r() * PIECES.length)]).join(r() < 0.5 ? '' : '、');
  }
  if (kind < 0.99) {
    const n = Math.floor(r() * 40);
    return Array.from({ length: n }, () => String.fromCodePoint(r() < 0.5 ? 0x3040 + Math.floor(r() * 0x60) : Math.floor(r() * 0x2ffff))).join('');
  }
  return '補助金'.repeat(Math.floor(r() * 3400)); // up to 10,000 characters
}

describe('fuzz: any input gets a reply, never an exception', () => {
  it('10,000 random messages and button values over 50 users', async () => {
    const { engine } = await engineFor(fixtureKb());
    const r = rng(20240601);
    for (let i = 0; i < 10_000; i++) {
      const user = `fuzz-${Math.floor(r() * 50)}`;
      const pick = r();
      const incoming: Incoming =
        pick < 0.12 ? { type: 'choice', value: VALUES[Math.floor(r() * VALUES.length)] }
        : pick < 0.17 ? { type: 'choice', value: PROTO_VALUES[Math.floor(r() * PROTO_VALUES.length)] }
        : { type: 'text', text: randomText(r) };
      const turn = await engine.handle(user, incoming);
      if (!turn.replies.length || turn.replies.some((m) => m.type === 'text' && m.text === '申し訳ありません、うまく処理できませんでした。言い方を変えてもう一度お試しください。')) {
        throw new Error(`turn ${i} for ${user} gave ${JSON.stringify(turn.replies).slice(0, 200)} on ${JSON.stringify(incoming).slice(0, 200)}`);
      }
      expect(typeof turn.awaiting === 'string' || turn.awaiting === null).toBe(true);
    }
  }, 300_000);
  it('malformed incoming objects are answered too', async () => {
    const { engine } = await engineFor(fixtureKb());
    for (const bad of [null, undefined, {}, { type: 'text' }, { type: 'text', text: 42 }, { type: 'choice' }, { type: 'weird', text: 'x' }]) {
      const t = await engine.handle('bad', bad as unknown as Incoming);
      expect(t.replies.length).toBeGreaterThan(0);
    }
  });
});
