import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadKnowledgeOrThrow } from '../src/knowledge/load.ts';
import { bigrams, createAnalyzer, type Analyzer } from '../src/text/analyzer.ts';
import { SynonymExpander } from '../src/text/synonyms.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'search-kb');
let analyzer: Analyzer;

beforeAll(async () => {
  analyzer = await createAnalyzer(loadKnowledgeOrThrow(FIXTURE), { homeRegion: '山口' });
});

describe('tokenisation', () => {
  it('keeps base forms of content words and drops particles and stop words', () => {
    const t = analyzer.tokens('補助金を借りたいので教えてください');
    expect(t).toContain('補助');
    expect(t).toContain('借りる');
    expect(t).not.toContain('を');
    expect(t).not.toContain('教える');
  });
  it('uses the surface form when kuromoji has no base form, folded to hiragana', () => {
    expect(analyzer.tokens('インスタで集客')).toContain('いんすた');
  });
  it('joins ASCII pieces', () => {
    expect(analyzer.tokens('3Dプリンターの研究会')).toContain('3d');
  });
  it('gives the bigrams of compounds IPADIC splits', () => {
    const b = analyzer.terms('周南市の補助金').bigrams;
    expect(b).toEqual(expect.arrayContaining(['周南', '南市', '補助', '助金']));
  });
  it('keeps ASCII words whole in the bigram field and pairs them with neighbours', () => {
    expect(bigrams('dx対応')).toEqual(['dx', 'dx対', '対応']);
    expect(bigrams('あくしょん6')).toContain('ん6');
  });
  it('never throws on odd input', () => {
    for (const s of ['', '😀😀', '\u0000\u0001', 'あ'.repeat(10_000), ': ^ ~ + - *']) {
      expect(() => analyzer.analyze(s)).not.toThrow();
    }
  });
});

describe('gazetteer', () => {
  it('recognises 市町 and localities before tokenising', () => {
    const e = analyzer.analyze('周南市鹿野でお店をやっています').entities;
    expect(e.municipalities.map((m) => m.name)).toEqual(['周南市']);
    expect(e.localities).toMatchObject([{ name: '鹿野', desk: 'sci-kano', municipality: '周南市' }]);
  });
  it('recognises programme and desk names and aliases, longest first', () => {
    const e = analyzer.analyze('ＤＸ補助金と山口県よろず支援拠点について').entities;
    expect(e.records.map((r) => r.id)).toEqual(['dx-hojokin', 'yorozu']);
  });
  it('does not read 〇〇県 as the 市町 whose alias is 〇〇 (周南県 ≠ 周南市)', () => {
    expect(analyzer.analyze('周南県の話').entities.municipalities).toEqual([]);
  });
  it('reports places of other prefectures', () => {
    expect(analyzer.analyze('大阪府の補助金').otherRegions).toEqual(['大阪府']);
    expect(analyzer.analyze('山口県の補助金').otherRegions).toEqual([]);
  });
});

describe('synonyms', () => {
  it('expands a group member found in the question with the other members', () => {
    const a = analyzer.analyze('後継ぎがいない');
    expect(a.synonyms.matched).toEqual(['後継ぎ']);
    expect(a.synonyms.added).toEqual(expect.arrayContaining(['事業承継', '跡継ぎ']));
    expect(a.synonyms.tokens).toContain('承継');
  });
  it('matches ASCII members only as whole words', () => {
    const x = new SynonymExpander([{ canonical: 'ホームページ', words: ['HP'] }]);
    expect(x.expand('hpを作りたい').added).toEqual(['ホームページ']);
    expect(x.expand('phpの勉強').added).toEqual([]);
  });
  it('matches across kana and width', () => {
    const x = new SynonymExpander([{ canonical: 'ホームページ', words: ['ウェブサイト'] }]);
    expect(x.expand('ほーむぺーじ').matched).toEqual(['ホームページ']);
  });
});
