/**
 * Names written with the wrong kanji of the same reading (a wrong IME conversion) or in kana are
 * still recognised by their reading, and the record they name comes first; short readings and kana
 * that name nothing are not read as names. Questions written for this test, not taken from an eval set.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../src/knowledge/load.ts';
import { createAnalyzer, type Analyzer } from '../src/text/analyzer.ts';
import type { SearchService } from '../src/search/service.ts';
import { realKb, searchFor } from './helpers/engine-fixture.ts';

let kb: KnowledgeBase | null;
let service: SearchService;
let analyzer: Analyzer;

beforeAll(async () => {
  kb = realKb();
  if (kb) {
    service = await searchFor(kb);
    analyzer = await createAnalyzer(kb);
    analyzer.setNameReadings(analyzer.nameReadings(kb));
  }
});

describe.runIf(realKb())('names read by their reading', () => {
  it.each([
    ['県の制度優資の利率を知りたい', '中小企業制度融資'],
    ['こようちょうせいじょせいきんの申請', '雇用調整助成金'],
    ['ものづくりほじょきんの締め切り', 'ものづくり・商業・サービス生産性向上促進補助金'],
    ['しょうきぼきぎょうきょうさいの掛金', '小規模企業共済制度'],
  ])('「%s」 finds %s first, with full confidence', (q, name) => {
    const r = service.search(q);
    expect(r.answered).toBe(true);
    expect(r.hits[0].record.name).toBe(name);
    expect(r.confidence).toBe(1);
  });

  it('keeps what the user typed as the matched text and the record’s own name as its key', () => {
    const rec = analyzer.analyze('県の制度優資を使いたい').entities.records.find((r) => r.name === '中小企業制度融資');
    expect(rec?.matched).toBe('制度優資');
    expect(rec?.key).toBe('制度融資');
  });

  it('does not read short or unrelated kana as a name', () => {
    for (const q of ['ありがとうございました', 'ゆうしをうけたい', 'こんにちは、きょうはいいてんきですね']) {
      const named = analyzer.analyze(q).entities.records.filter((r) => r.key);
      expect(named.map((r) => r.name), q).toEqual([]);
    }
  });

  it('does not change a name written correctly', () => {
    const recs = analyzer.analyze('雇用調整助成金の申請').entities.records;
    expect(recs.map((r) => r.key)).toEqual([undefined]);
  });
});

describe.runIf(realKb())('the reading index reads words, not grammar', () => {
  it('particles and auxiliaries are not read as a catalogue word of the same sound (しかない ↛ 課内)', () => {
    const terms = service.analyze('しばらく従業員に休んでもらうしかない').words.map((w) => w.term);
    expect(terms).not.toContain('課内');
    expect(terms).toContain('休む');
  });
  it('a kana word beside grammar is still read (きぎょうしたい → 起業)', () => {
    expect(service.analyze('きぎょうしたい').words.map((w) => w.term)).toContain('起業');
  });
});
