import { describe, expect, it } from 'vitest';
import { findQuantities, normalize } from '../src/text/normalize.ts';
import { MAX_NUMBER_DIGITS, overlongDigitRuns, parseCompoundNumber, parsePeople, parseYen } from '../src/text/numbers.ts';
import { engineFor, fixtureKb, turnText } from './helpers/engine-fixture.ts';

/** Digit runs as users (and attackers) type them: every width and separator of finding 1 of issue #9. */
function digitRuns(n: number): string[] {
  const ascii = '1234567890'.repeat(Math.ceil(n / 10)).slice(0, n);
  const wide = [...ascii].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
  return [
    ascii,
    wide,
    [...ascii].join('\u200b'), // zero-width space between digits
    [...ascii].join('\u0007'), // control character between digits
    [...ascii].join(' '), // spaced digits
    [...ascii].join(','), // comma after every digit
    ascii.replace(/\B(?=(\d{3})+(?!\d))/g, ','), // thousands separators
    '①'.repeat(n), // circled digits (NFKC → 1)
    `${ascii}千`, // a multiplier that does not make money
    `${ascii}.${ascii}`, // a fraction as long
    `1億${ascii}`,
    '1千'.repeat(Math.ceil(n / 2)), // many short pieces
  ];
}

describe('number readers on long digit runs (issue #9, finding 1)', () => {
  it('every reader finishes on runs of 20–400 digits in every width and separator', () => {
    for (const n of [20, 24, 30, 35, 60, 100, 400]) {
      for (const run of digitRuns(n)) {
        // no unit: nothing to read (a bare 万/億 amount only when a piece ends in one)
        for (const q of findQuantities(run)) expect(q.unit).toBe('円');
        expect(parseYen(run)).toBeNull();
        parseYen(run, false);
        parseCompoundNumber(run);
        parsePeople(run);
      }
    }
  });

  it('a run over MAX_NUMBER_DIGITS is not read as a number, with any unit after it', () => {
    const long = '9'.repeat(MAX_NUMBER_DIGITS + 1);
    expect(findQuantities(`${long}円`)).toEqual([]);
    expect(findQuantities(`従業員${long}人`)).toEqual([]);
    expect(findQuantities(`${long}億5千万円`)).toEqual([]); // the whole compound is skipped, not its tail
    expect(parseYen(`${long}円`)).toBeNull();
    expect(parsePeople(`${long}人`)).toBeNull();
    expect(parseCompoundNumber(long)).toBeNull();
    expect(overlongDigitRuns(normalize(`資本金${long}円、従業員${'1'.repeat(40)}人`))).toEqual([16, 40]);
    // at the cap it is still a number
    expect(findQuantities(`${'9'.repeat(MAX_NUMBER_DIGITS)}円`)[0].value).toBe(999_999_999_999_999);
    expect(overlongDigitRuns(normalize('5千万円で20人'))).toEqual([]);
  });

  it('reads what it read before: compounds, separators, units, bare 万/億 amounts', () => {
    expect(findQuantities('1億5千万円と２０名')).toEqual([
      { text: '1億5千万円', value: 150_000_000, unit: '円' },
      { text: '20名', value: 20, unit: '人' },
    ]);
    expect(findQuantities('売上1億5千')).toEqual([{ text: '1億', value: 100_000_000, unit: '円' }]);
    expect(findQuantities('1,000,000円')[0]).toMatchObject({ value: 1_000_000, unit: '円' });
    expect(findQuantities('３０パーセント')[0]).toMatchObject({ value: 30, unit: '%' });
    expect(findQuantities('1 2 人')[0]).toMatchObject({ value: 12, unit: '人' }); // spaced digits joined by normalize
    expect(parseYen('1億2,000万円')).toBe(120_000_000);
    expect(parseYen('3億', false)).toBe(300_000_000);
    expect(parseYen('3億')).toBeNull();
    expect(parsePeople('２０人')).toBe(20);
    expect(parsePeople('20')).toBe(20);
    expect(parsePeople('たくさん')).toBeNull();
    expect(parseCompoundNumber('2000千')).toBe(2_000_000);
    expect(parseCompoundNumber('なし')).toBeNull();
  });

  it('the engine answers a long digit run and says the number was not read', async () => {
    const { engine } = await engineFor(fixtureKb());
    for (const run of [...digitRuns(30), ...digitRuns(400)]) {
      const t = await engine.handle('digits', { type: 'text', text: run });
      expect(turnText(t)).not.toMatch(/うまく処理できませんでした/);
    }
    const t = await engine.handle('digits2', { type: 'text', text: `資本金${'1'.repeat(30)}円の補助金` });
    expect(turnText(t)).toMatch(/30桁の数字は桁数が多すぎる/);
    // answering the headcount question with a huge number is re-asked, not taken
    await engine.handle('digits3', { type: 'text', text: '診断' });
    await engine.handle('digits3', { type: 'text', text: '事業承継' });
    await engine.handle('digits3', { type: 'text', text: '飲食店' });
    const h = await engine.handle('digits3', { type: 'text', text: `${'2'.repeat(40)}人` });
    expect(h.awaiting).toBe('employees');
    expect(turnText(h)).toMatch(/40桁の数字は桁数が多すぎる/);
  });
});
