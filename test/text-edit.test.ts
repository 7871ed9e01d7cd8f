import { describe, expect, it } from 'vitest';
import { withinOneEdit } from '../src/text/edit.ts';

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
