/**
 * The per-catalogue memo behind the diagnosis's classifications and counts: a reloaded catalogue
 * (a new object) is never answered from the old one's values, and a long key is not kept.
 */
import { describe, expect, it } from 'vitest';
import { CatalogueMemo } from '../src/eligibility/memo.ts';

describe('CatalogueMemo', () => {
  it('keeps a value per catalogue and wording, and computes afresh for a reloaded catalogue', () => {
    const memo = new CatalogueMemo<{ n: number }>(10, 50);
    let calls = 0;
    const compute = () => ({ n: ++calls });
    const kb = {};
    const w = {};
    expect(memo.get(kb, 'a', compute, w).n).toBe(1);
    expect(memo.get(kb, 'a', compute, w).n).toBe(1);
    expect(memo.get(kb, 'a', compute).n).toBe(2); // another wording scope
    expect(memo.get({}, 'a', compute, w).n).toBe(3); // a reload is a new catalogue object
  });
  it('computes a key longer than its limit each time (bounded memory for long pastes)', () => {
    const memo = new CatalogueMemo<{ n: number }>(10, 5);
    let calls = 0;
    const kb = {};
    memo.get(kb, 'x'.repeat(6), () => ({ n: ++calls }));
    memo.get(kb, 'x'.repeat(6), () => ({ n: ++calls }));
    expect(calls).toBe(2);
  });
  it('keeps at most `max` keys per catalogue (least recently used first out)', () => {
    const memo = new CatalogueMemo<{ k: string }>(2, 50);
    const kb = {};
    let calls = 0;
    for (const k of ['a', 'b', 'c']) memo.get(kb, k, () => (calls++, { k }));
    memo.get(kb, 'a', () => (calls++, { k: 'a' }));
    expect(calls).toBe(4);
  });
});
