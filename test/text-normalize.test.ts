import { describe, expect, it } from 'vitest';
import { findQuantities, fold, matchKey, normalize } from '../src/text/normalize.ts';

describe('normalize', () => {
  it('folds width: full-width ASCII and half-width katakana', () => {
    expect(normalize('ＤＸ対応支援資金')).toBe('dx対応支援資金');
    expect(normalize('ｲﾝｽﾀとﾎｰﾑﾍﾟｰｼﾞ')).toBe('インスタとホームページ');
  });
  it('removes spaces inside Japanese runs and joins spaced-out ASCII', () => {
    expect(normalize('中 小 企 業 の I o T 導入')).toBe('中小企業のiot導入');
    expect(normalize('拓 D X 対応支援資金')).toBe('拓dx対応支援資金');
    expect(normalize('物価高騰対策 EC 送料支援事業')).toBe('物価高騰対策ec送料支援事業');
  });
  it('keeps the space between ASCII words', () => {
    expect(normalize('LINE  official account')).toBe('line official account');
  });
  it('unifies 〜 and ～ and drops control characters', () => {
    expect(normalize('10時～17時')).toBe(normalize('10時〜17時'));
    expect(normalize('補助\u0000金\u200b')).toBe('補助金');
  });
  it('never throws, even on non-strings', () => {
    expect(normalize('')).toBe('');
    expect(normalize(undefined as unknown as string)).toBe('');
  });
});

describe('fold', () => {
  it('folds katakana to hiragana so either script matches', () => {
    expect(matchKey('インスタ')).toBe(matchKey('いんすた'));
    expect(matchKey('ｲﾝｽﾀ')).toBe(matchKey('いんすた'));
  });
  it('treats a word-final 長音 as optional', () => {
    expect(matchKey('コンピューター')).toBe(matchKey('コンピュータ'));
    expect(matchKey('サーバー')).toBe(matchKey('サーバ'));
  });
  it('merges づ/ず and ぢ/じ', () => {
    expect(fold('ものづくり')).toBe(fold('ものずくり'));
  });
  it('leaves kanji and ASCII alone', () => {
    expect(fold('補助金dx')).toBe('補助金dx');
  });
});

describe('findQuantities', () => {
  it('reads money with units as 円', () => {
    expect(findQuantities('資本金５千万円です')).toEqual([{ text: '5千万円', value: 50_000_000, unit: '円' }]);
    expect(findQuantities('売上3億')[0]).toMatchObject({ value: 300_000_000, unit: '円' });
    expect(findQuantities('2,000 千円')[0]).toMatchObject({ value: 2_000_000, unit: '円' });
  });
  it('reads people, percent and years', () => {
    expect(findQuantities('従業員２０人')[0]).toMatchObject({ value: 20, unit: '人' });
    expect(findQuantities('20名')[0]).toMatchObject({ value: 20, unit: '人' });
    expect(findQuantities('年1.5%で5年')).toEqual([
      { text: '1.5%', value: 1.5, unit: '%' },
      { text: '5年', value: 5, unit: '年' },
    ]);
  });
  it('finds nothing in text without numbers', () => {
    expect(findQuantities('補助金はある？')).toEqual([]);
  });
});
