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

function randomText(r: () => number): string {
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
      const incoming: Incoming = r() < 0.15 ? { type: 'choice', value: VALUES[Math.floor(r() * VALUES.length)] } : { type: 'text', text: randomText(r) };
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
