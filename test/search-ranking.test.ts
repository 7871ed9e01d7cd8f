/**
 * Ranking behaviour a user notices, on a small catalogue (test/fixtures/ranking-kb): the kind the
 * question asks for, current before historical records, synonym groups from the knowledge, 事業 vs
 * its schemes, and the headcount a question states.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeOrThrow, type KnowledgeBase } from '../src/knowledge/load.ts';
import { ConceptIndex, recordConcepts } from '../src/search/concepts.ts';
import { createSearchService, type SearchService } from '../src/search/service.ts';
import { employeesFit, timeCues } from '../src/search/rank.ts';
import { loadAnswersWording } from '../src/search/wording.ts';
import { SynonymExpander } from '../src/text/synonyms.ts';
import { matchKey } from '../src/text/normalize.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'ranking-kb');
let kb: KnowledgeBase;
let service: SearchService;

beforeAll(async () => {
  kb = loadKnowledgeOrThrow(FIXTURE);
  // order is what these tests look at: every question answered (the threshold has its own tests)
  service = await createSearchService(kb, { index: 'memory', wording: { ...loadAnswersWording(), threshold: 0 } });
});

const ids = (q: string, top = 5) => service.search(q, { top }).hits.map((h) => h.record.id);

describe('kind hints', () => {
  it('puts a desk first when the question asks where to call', () => {
    expect(ids('創業の相談先の電話番号は？')[0]).toBe('sogyo-desk');
  });
  it('does not put the desk first when the question does not ask for one', () => {
    expect(ids('創業を志す人の創業経費を支援してほしい')[0]).not.toBe('sogyo-desk');
  });
});

describe('consultation questions', () => {
  it('offer the general desk among the first three when no desk matches the topic', () => {
    const r = ids('商店街のデータ分析とイベントを相談できるところは？', 3);
    expect(r).toContain('yorozu');
    expect(r[0]).not.toBe('yorozu');
  });
});

describe('current over historical', () => {
  it('prefers the current record when the question says nothing about time', () => {
    const r = ids('創業経費を支援してほしい');
    expect(r).toContain('sogyo-2013');
    expect(r.indexOf('sogyo-hojo')).toBeLessThan(r.indexOf('sogyo-2013'));
  });
  it('prefers the historical record when the question names the plan years', () => {
    expect(ids('2013年の計画で創業経費を支援してほしい')[0]).toBe('sogyo-2013');
    expect(ids('平成25年に創業経費を支援してほしい')[0]).toBe('sogyo-2013');
  });
  it('reads the historical years from sources.yaml', () => {
    const cues = timeCues(kb.sources);
    expect(cues.historical).toEqual(expect.arrayContaining(['2013年', '2016年', '平成25年', 'h28年']));
    expect(cues.historical).not.toContain('2024年');
  });
});

describe('synonyms from the knowledge', () => {
  it('finds a record through a group member the record does not contain', () => {
    // 「インスタ」 is only in synonyms.yaml; the record speaks of ホームページ
    expect(ids('インスタの使い方を相談したい')[0]).toBe('it-katsuyo');
    expect(ids('息子に店を継がせたい。相談できるところは？')[0]).toBe('shokei-desk');
  });
  it('gives records the groups their text mentions', () => {
    const x = new SynonymExpander(kb.synonyms);
    const concepts = new ConceptIndex(kb.records.length, recordConcepts(kb, (t) => x.groupsIn(t)));
    const g = [...x.groupsIn(matchKey('インスタ'))];
    expect(concepts.score('it-katsuyo', g)).toBeGreaterThan(0);
    expect(concepts.score('taiyo-small', g)).toBe(0);
  });
  it('reports a word listed in two groups for both', () => {
    const x = new SynonymExpander([
      { canonical: 'A', words: ['資金繰り'] },
      { canonical: 'B', words: ['資金繰り', '運転資金'] },
    ]);
    expect([...x.groupsIn(matchKey('資金繰りが苦しい'))].sort()).toEqual([0, 1]);
  });
});

describe('事業 and its schemes', () => {
  it('a question spanning two of its schemes gets a scheme first, with the 事業 among the first three', () => {
    const r = ids('商店街でデータ分析とイベントをやりたい。補助ある？', 3);
    expect(['nigiwai-data', 'nigiwai-event']).toContain(r[0]);
    expect(r).toContain('nigiwai');
  });
  it('answers with the scheme when the question fits one scheme only', () => {
    expect(ids('データ分析の経費を補助してほしい')[0]).toBe('nigiwai-data');
  });
});

describe('headcount in the question', () => {
  it('ranks the programme whose 従業員 range fits first', () => {
    expect(ids('社員80人の会社です。設備を割賦で貸与してほしい')[0]).toBe('taiyo-mid');
    expect(ids('従業員10人の会社です。設備を割賦で貸与してほしい')[0]).toBe('taiyo-small');
  });
  it('reads the ranges of the record, null when it states none', () => {
    const small = kb.byId.get('taiyo-small')!;
    expect(employeesFit(small, 20)).toBe(true);
    expect(employeesFit(small, 21)).toBe(false);
    expect(employeesFit(kb.byId.get('sogyo-hojo')!, 5)).toBeNull();
  });
});
