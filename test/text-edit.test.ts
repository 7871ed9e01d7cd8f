import { describe, expect, it } from 'vitest';
import { SlipFinder, withinOneEdit } from '../src/text/edit.ts';

describe('withinOneEdit', () => {
  it('accepts one character replaced, inserted or deleted anywhere', () => {
    expect(withinOneEdit('きゃりああっぷ助成金', 'きゃりやあっぷ助成金')).toBe(true);
    expect(withinOneEdit('it導入補助金', 'it導入補助金x')).toBe(true);
    expect(withinOneEdit('it導入補助金', 't導入補助金')).toBe(true);
    expect(withinOneEdit('事業承継補助金', '事業承継補助金')).toBe(true);
  });
  it('refuses two edits, a swap of neighbours and a longer or shorter word by two', () => {
    expect(withinOneEdit('きゃりああっぷ助成金', 'きゃりやあっぶ助成金')).toBe(false);
    expect(withinOneEdit('事業承継', '事業継承')).toBe(false);
    expect(withinOneEdit('創業補助金', '創業補助金です')).toBe(false);
  });
  it('is linear: two 100,000-character strings are compared at once', () => {
    const a = 'あ'.repeat(100_000);
    expect(withinOneEdit(a, a.slice(2) + 'いい')).toBe(false);
    expect(withinOneEdit(a, a + 'い')).toBe(true);
  });
});

describe('SlipFinder', () => {
  const finder = new SlipFinder(['よろず支援拠点', '小規模企業共済法', '創業補助金', 'ものづくり補助金']);
  it('finds a name written with one character replaced by another of its script, where the text has it', () => {
    expect(finder.find('よろず支援拠店に予約したい')).toEqual([{ start: 0, end: 7, at: 6, key: 'よろず支援拠点' }]);
    expect(finder.find('来月ものづくり補肋金に応募')).toEqual([{ start: 2, end: 10, at: 8, key: 'ものづくり補助金' }]);
  });
  it('ignores a name written exactly, a different script in the replaced place, and names shorter than six characters', () => {
    expect(finder.find('よろず支援拠点に予約したい')).toEqual([]);
    // の after 小規模企業共済 is a particle, not a slip of 法
    expect(finder.find('小規模企業共済の加入資格')).toEqual([]);
    expect(finder.find('創業補肋金')).toEqual([]);
  });
  it('is bounded: a 2,000-character paste is scanned at once', () => {
    expect(finder.find('よろず支援拠'.repeat(400), 3).length).toBeLessThanOrEqual(3);
  });
  it('finds a name with two neighbouring characters swapped (継承 for 承継), not one with two apart or with another slip too', () => {
    const f = new SlipFinder(['事業承継支援資金']);
    expect(f.find('事業継承支援資金って借りられる？')).toEqual([{ start: 0, end: 8, at: 2, key: '事業承継支援資金' }]);
    expect(f.find('事業支承継援資金')).toEqual([]);
    expect(f.find('事業継承支援資全')).toEqual([]);
  });
});
