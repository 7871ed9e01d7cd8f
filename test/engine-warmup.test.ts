/**
 * The engine's warm-up (run by the server before a catalogue serves, src/ops/generation.ts): it
 * stores no conversation and changes no answer. Its speed is in `npm run bench` (adversarial).
 */
import { describe, expect, it } from 'vitest';
import { engineFor, fixtureKb, turnText } from './helpers/engine-fixture.ts';

describe('engine warm-up', () => {
  it('runs the long-paste turns on throwaway conversations: nothing is stored, later answers are unchanged', async () => {
    const kb = fixtureKb();
    const cold = await engineFor(kb);
    const warm = await engineFor(kb);
    expect(await warm.engine.warmUp()).toBeGreaterThan(0);
    expect(warm.store.size).toBe(0);
    const paste = kb.records.map((r) => r.name).join('').repeat(50).slice(0, 2000);
    for (const text of ['設備投資に使える補助金はある？', paste]) {
      const a = await cold.engine.handle('u', { type: 'text', text });
      const b = await warm.engine.handle('u', { type: 'text', text });
      expect(turnText(b)).toBe(turnText(a));
    }
    expect(warm.store.size).toBe(1);
    await cold.store.close();
    await warm.store.close();
  });
});
