import { describe, expect, it } from 'vitest';
import { sentencePrefix } from '../src/text/normalize.ts';
import { getTokenizer, MAX_SEGMENT } from '../src/text/tokenizer.ts';
import { MAX_MESSAGE_CHARS, MAX_READ_CHARS } from '../src/dialogue/engine.ts';
import { engineFor, fixtureKb, turnText } from './helpers/engine-fixture.ts';

/** 2,000-character pastes of one kind each (issue #9, finding 2). */
const PASTES: Record<string, string> = {
  tilde: '~'.repeat(2000),
  wave: '〜'.repeat(2000),
  hiragana: 'あ'.repeat(2000),
  katakana: 'ア'.repeat(2000),
  longVowel: 'ー'.repeat(2000),
  kanji: '補'.repeat(2000),
  punctuation: '？！。、'.repeat(500),
  latin: 'x'.repeat(2000),
  digits: '1'.repeat(2000),
  place: '山口市周南市下関市'.repeat(223),
  programme: '事業承継・引継ぎ補助金'.repeat(182),
  sentences: '設備投資に使える補助金はありますか。'.repeat(112),
};

describe('bounded work on long text (issue #9, finding 2)', () => {
  it('the tokenizer reads a long unbroken text in pieces and keeps positions of the whole text', async () => {
    const tok = await getTokenizer();
    const short = '山口市で飲食店を営んでいます';
    expect(tok.tokenize(short).map((t) => t.surface_form).join('')).toBe(short);
    for (const text of Object.values(PASTES)) {
      const tokens = tok.tokenize(text);
      expect(tokens.map((t) => t.surface_form).join('')).toBe(text); // nothing lost or doubled
      const last = tokens.at(-1)!;
      expect(last.word_position + last.surface_form.length - 1).toBe(text.length);
    }
    // a text of one word per segment is cut between words, after the particle
    const sentence = '山口県の補助金を使って新しい機械を導入したいと考えている製造業の会社です'.repeat(8);
    expect(sentence.length).toBeGreaterThan(MAX_SEGMENT);
    const one = tok.tokenize(sentence.slice(0, sentence.length / 8)).map((t) => t.surface_form);
    const words = tok.tokenize(sentence).map((t) => t.surface_form);
    expect(words.sort()).toEqual(Array.from({ length: 8 }, () => one).flat().sort());
  });

  it('sentencePrefix cuts at the last sentence end within the limit', () => {
    expect(sentencePrefix('短い。', 10)).toBe('短い。');
    const text = `${'あ'.repeat(300)}。${'い'.repeat(150)}！${'う'.repeat(100)}`;
    expect(sentencePrefix(text, 500)).toBe(`${'あ'.repeat(300)}。${'い'.repeat(150)}！`);
    expect(sentencePrefix('え'.repeat(900), 500)).toHaveLength(500);
    expect(sentencePrefix(`${'え'.repeat(499)}😀x`, 500)).toHaveLength(499); // never half a surrogate pair
  });

  it('a long paste is answered from its first part and the reply says so', async () => {
    const { engine } = await engineFor(fixtureKb());
    for (const [kind, text] of Object.entries(PASTES)) {
      const t = await engine.handle(`paste-${kind}`, { type: 'text', text });
      expect(turnText(t), kind).not.toMatch(/うまく処理できませんでした/);
      expect(turnText(t), kind).toMatch(/メッセージが長いため、はじめの\d+文字（文の区切りまで）を読んで/);
    }
    const q = '事業承継の補助金はありますか。';
    // what comes after the part read does not change the answer
    const long = await engine.handle('paste-q', { type: 'text', text: q + '。'.repeat(MAX_READ_CHARS) + '創業の融資について教えて。'.repeat(100) });
    const short = await engine.handle('paste-q2', { type: 'text', text: q });
    expect(long.suggestions.map((s) => s.id)).toEqual(short.suggestions.map((s) => s.id));
    expect(turnText(short)).not.toMatch(/メッセージが長いため/);
    expect(MAX_READ_CHARS).toBeLessThan(MAX_MESSAGE_CHARS);
  });
});
