import { describe, expect, it } from 'vitest';
import type { Incoming } from '../src/core/types.ts';
import { engineFor, fixtureKb, turnText } from './helpers/engine-fixture.ts';

const PROTO = ['constructor', 'toString', '__proto__', 'valueOf', 'isPrototypeOf', 'hasOwnProperty', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupGetter__', 'prototype'];
const ERROR = /うまく処理できませんでした/;

describe('prototype names (issue #9, finding 3)', () => {
  it('as text and as choice values, at every step of the dialogue', async () => {
    const { engine } = await engineFor(fixtureKb());
    const bad: string[] = [];
    const steps = [[], ['診断'], ['診断', '事業承継'], ['診断', '事業承継', '飲食店'], ['診断', '事業承継', '飲食店', '4人', '個人でやってます', '山口市', '阿知須', 'それ以降'], ['補助金']];
    let u = 0;
    for (const pre of steps) {
      for (const name of PROTO) {
        const values = [name, ` ${name} `, `slot:industry:${name}`, `slot:${name}:x`, `slot:${name}`, `detail:${name}`, `intent:${name}`, `change:${name}`, `${name}:${name}`];
        for (const v of values) {
          for (const kind of ['text', 'choice'] as const) {
            const user = `p${u++}`;
            for (const t of pre) await engine.handle(user, { type: 'text', text: t });
            const incoming: Incoming = kind === 'text' ? { type: 'text', text: v } : { type: 'choice', value: v };
            const turn = await engine.handle(user, incoming);
            if (!turn.replies.length || ERROR.test(turnText(turn))) bad.push(`${pre.join('>')} ${kind} ${v}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  }, 120_000);
});

describe('state read back from the store (issue #9, finding 3)', () => {
  it('a stored state with prototype keys or a wrong shape never breaks a turn', async () => {
    const { engine, store } = await engineFor(fixtureKb());
    const base = { version: 1, mode: 'diagnosis', history: ['purpose'], awaiting: 'industry', lastResults: [], updatedAt: 0 };
    const states: unknown[] = [
      { ...base, slots: JSON.parse('{"__proto__": {"x": 1}, "_choices": {"__proto__": "intent:restart", "constructor": 5, "toString": "detail:constructor"}, "_labels": {"__proto__": "x"}}') },
      { ...base, slots: { _choices: 'not an object', _labels: 7 } },
      { ...base, slots: [] },
      { ...base, history: 'purpose' },
      { ...base, lastResults: [1, 2] },
      { ...base, awaiting: 'constructor', slots: {} },
      { ...base, mode: 'toString', slots: {} },
      { ...base, awaiting: '__proto__', slots: { constructor: 'x' } },
      'a string',
      42,
      null,
    ];
    let u = 0;
    for (const state of states) {
      for (const text of ['constructor', '__proto__', 'toString', '飲食店', '戻る', '回答を変更']) {
        const user = `s${u++}`;
        await store.update(user, async () => ({ state: state as never, result: undefined }));
        const turn = await engine.handle(user, { type: 'text', text });
        expect(turnText(turn), `${JSON.stringify(state)} / ${text}`).not.toMatch(ERROR);
        expect(turn.replies.length).toBeGreaterThan(0);
      }
    }
  });

  it('a choice value that was not offered is read as text; an offered label picks its button', async () => {
    const { engine } = await engineFor(fixtureKb());
    const q = await engine.handle('c1', { type: 'text', text: '診断' });
    expect(q.awaiting).toBe('purpose');
    // an unknown intent or slot value is not acted on: the question stays
    for (const value of ['intent:constructor', 'intent:nope', 'slot:constructor:x', 'change:__proto__']) {
      const t = await engine.handle('c1', { type: 'choice', value });
      expect(t.awaiting, value).toBe('purpose');
      expect(turnText(t)).not.toMatch(ERROR);
    }
    // the label of a button offered last turn, typed as text, is that button
    const label = (await engine.handle('c1', { type: 'text', text: '戻る' })).choices.find((c) => c.startsWith('事業承継'))!;
    const t = await engine.handle('c1', { type: 'text', text: label });
    expect(t.awaiting).toBe('industry');
  });
});
