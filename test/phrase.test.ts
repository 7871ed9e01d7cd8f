import { describe, expect, it } from 'vitest';
import { HINT_GAP, hasHint, hintParts, hintText } from '../src/text/phrase.ts';

describe('hint phrases with gaps (intents/answers.yaml kindHints)', () => {
  it('match their parts in order with at most HINT_GAP characters between them', () => {
    const parts = hintParts('どこ…聞');
    expect(parts).toEqual(['どこ', '聞']);
    expect(hasHint('どこに話を聞きに行けばええかね', parts)).toBe(true);
    expect(hasHint('どこにきけば', hintParts('どこ…聞'))).toBe(false);
    expect(hasHint('聞いたけどどこ', parts)).toBe(false);
    expect(hasHint(`どこ${'あ'.repeat(HINT_GAP + 1)}聞`, parts)).toBe(false);
    expect(hasHint(`どこ${'あ'.repeat(HINT_GAP)}聞`, parts)).toBe(true);
  });
  it('a phrase without 「…」 is a plain substring; an empty phrase matches nothing', () => {
    expect(hasHint('相談先はどこ', hintParts('相談先'))).toBe(true);
    expect(hasHint('相談先はどこ', hintParts('…'))).toBe(false);
  });
  it('a long text of first parts finishes (each occurrence is checked against a fixed window)', () => {
    expect(hasHint('どこ'.repeat(5000), hintParts('どこ…聞…相談'))).toBe(false);
  });
});

describe('katakana hint words', () => {
  it('match a whole katakana word only: センター in 「支援センターに」, not in 「マシニングセンタ」', () => {
    const parts = hintParts('センター');
    expect(hasHint(hintText('支援センターに電話したい'), parts)).toBe(true);
    expect(hasHint(hintText('マシニングセンタを入れたい'), parts)).toBe(false);
    // a hint with kana and kanji is matched as before
    expect(hasHint(hintText('どこに話を聞きに行けば'), hintParts('どこ…聞'))).toBe(true);
  });
});
