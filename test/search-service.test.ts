import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lunr from 'lunr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeOrThrow, type KnowledgeBase } from '../src/knowledge/load.ts';
import { cardText, recordCard } from '../src/search/answer.ts';
import { indexExtras, indexPath, loadSavedIndex } from '../src/search/index-store.ts';
import { buildClauses, runClauses } from '../src/search/query.ts';
import { copyCard, createSearchService, type SearchService } from '../src/search/service.ts';
import { loadAnswersWording } from '../src/search/wording.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'search-kb');
const FIXTURE_THRESHOLD = 0.29;
let cache: string;
let kb: KnowledgeBase;
let service: SearchService;
const savedEnv = process.env.SEARCH_CACHE_DIR;

beforeAll(async () => {
  cache = mkdtempSync(join(tmpdir(), 'shien-index-'));
  process.env.SEARCH_CACHE_DIR = cache;
  kb = loadKnowledgeOrThrow(FIXTURE);
  // the threshold of intents/answers.yaml is calibrated on the bundled catalogue (npm run eval); this
  // fixture's dozen records give other confidences, so it keeps the threshold it was written against
  service = await createSearchService(kb, { wording: { ...loadAnswersWording(), threshold: FIXTURE_THRESHOLD } });
});
afterAll(() => {
  if (savedEnv === undefined) delete process.env.SEARCH_CACHE_DIR;
  else process.env.SEARCH_CACHE_DIR = savedEnv;
  rmSync(cache, { recursive: true, force: true });
});

describe('programme names in a question (〇〇補助金)', () => {
  it('reads two names written back to back as two, each with its own modifier', () => {
    const names = service.analyze('ものづくり補助金IT導入補助金').namedPrograms.map((n) => n.text);
    expect(names).toEqual(['ものづくり補助金', 'it導入補助金']);
  });
  it('reads a paste of one name repeated as no made-up longer name (bounded work on a paste)', () => {
    expect(service.analyze('補助金'.repeat(40)).namedPrograms).toEqual([]);
    // longer than one tokenizer piece: the cuts may leave a few short names, never one spanning the paste
    const long = service.analyze('補助金'.repeat(300)).namedPrograms;
    expect(long.length).toBeLessThan(10);
    expect(long.every((n) => n.text.length <= 12)).toBe(true);
  });
});

describe('relevance: the words of a question for a few given records', () => {
  it('scores the desk the words are about above one they are not, among the records asked for only', () => {
    const r = service.relevance('後継者がいないので事業承継の相談をしたい', ['shokei-center', 'cci-tokuyama', 'dx-hojokin']);
    expect(r.get('shokei-center')).toBeGreaterThan(0);
    expect(r.get('shokei-center')!).toBeGreaterThan(r.get('cci-tokuyama') ?? 0);
    expect([...r.keys()].every((id) => ['shokei-center', 'cci-tokuyama', 'dx-hojokin'].includes(id))).toBe(true);
  });
  it('is empty for a question without words and ignores ids the catalogue does not have', () => {
    expect(service.relevance('？？', ['shokei-center']).size).toBe(0);
    expect(() => service.relevance('事業承継', ['__proto__', 'valueOf', 'no-such-id'])).not.toThrow();
    expect(service.relevance('事業承継', ['__proto__', 'valueOf']).size).toBe(0);
  });
});

describe('search', () => {
  it('finds a programme by words of its name and summary', () => {
    const r = service.search('デジタル化で生産性を上げる設備の補助金はある？');
    expect(r.answered).toBe(true);
    expect(r.hits[0].record.id).toBe('dx-hojokin');
  });
  it('finds a desk named in the question, whatever the width and kana', () => {
    const r = service.search('ﾖﾛｽﾞ支援拠点の電話番号');
    expect(r.answered).toBe(true);
    expect(r.hits[0].record.id).toBe('yorozu');
  });
  it('uses synonyms: a word only in synonyms.yaml finds the record', () => {
    const r = service.search('後継ぎの相談をしたい');
    expect(r.answered).toBe(true);
    expect(r.hits[0].record.id).toBe('shokei-center');
  });
  it('returns at most `top` hits and only the kinds asked for', () => {
    expect(service.search('中小企業の設備', { top: 1 }).hits.length).toBeLessThanOrEqual(1);
    const desks = service.search('中小企業の経営相談', { kinds: ['desk'] });
    expect(desks.hits.every((h) => h.record.kind === 'desk')).toBe(true);
  });
});

describe('threshold', () => {
  for (const q of ['明日の天気は？', '住宅ローンの金利を比較したい', '年金はいつからもらえる？', '大阪府の中小企業向け補助金', 'ペットの病院を探している', '母の介護認定を申請したい']) {
    it(`routes the out-of-scope question 「${q}」 to the general desk`, () => {
      const r = service.search(q);
      expect(r.answered).toBe(false);
      expect(r.hits).toEqual([]);
      expect(r.cards.map((c) => c.id)).toEqual(['yorozu']);
      expect(r.reply).toContain('山口県よろず支援拠点');
      expect(r.reply).toContain('083-902-5959');
    });
  }
  it('a household matter named (介護認定) is out of scope; an employer\'s question about care leave is not', () => {
    expect(service.search('母の介護認定を申請したい').reason).toBe('outOfScope');
    expect(service.search('親の介護で仕事を休みたい').reason).not.toBe('outOfScope');
  });
  it('answers an empty or symbol-only message with a prompt, not an exception', () => {
    for (const q of ['', '   ', '？？', '😀']) {
      const r = service.search(q);
      expect(r.answered).toBe(false);
      expect(r.reply.length).toBeGreaterThan(0);
    }
  });
  it('survives 10,000 characters and control characters', () => {
    const r = service.search('補助金'.repeat(3400) + '\u0000\u0007');
    expect(typeof r.reply).toBe('string');
  });
});

describe('query builder', () => {
  it('treats lunr operator characters in user text as text', () => {
    for (const q of ['補助金:製造業 +DX -', '：＋－', 'name:補助金^10 ~2 *', '+補助金 -融資', '*']) {
      expect(() => service.search(q)).not.toThrow();
    }
    // the operators are ignored: the same answer as the question without them
    const withOps = service.search('補助金:製造業 +DX -', { top: 10 });
    const plain = service.search('補助金、製造業、DX', { top: 10 });
    expect(withOps.answered).toBe(plain.answered);
    expect(withOps.hits.map((h) => h.record.id)).toEqual(plain.hits.map((h) => h.record.id));
    expect(service.analyze('補助金:製造業 +DX -').tokens).toEqual(expect.arrayContaining(['補助', '製造', 'dx']));
  });
  it('never passes a wildcard into lunr', () => {
    const a = service.analyze('DX* 補助金*');
    const clauses = buildClauses(a);
    expect(clauses.length).toBeGreaterThan(0);
    const withStar = clauses.map((c) => ({ ...c, term: `${c.term}*` }));
    // the registered pipeline strips "*", so a starred term matches exactly what the bare term matches
    expect(runClauses(service.index, withStar).map((r) => r.ref)).toEqual(runClauses(service.index, clauses).map((r) => r.ref));
  });
});

describe('saved index', () => {
  it('is written to the cache keyed by the knowledge hash and reloads in a fresh lunr', () => {
    expect(readdirSync(cache)).toContain(indexPath(kb).split('/').pop());
    const loaded = loadSavedIndex(kb);
    expect(loaded).toBeInstanceOf(lunr.Index);
    const a = service.analyze('製造業の設備資金');
    expect(runClauses(loaded!, buildClauses(a)).map((r) => r.ref)).toEqual(runClauses(service.index, buildClauses(a)).map((r) => r.ref));
  });
  it('is used by the next service instead of rebuilding', async () => {
    const again = await createSearchService(kb);
    expect(again.indexBuilt).toBe(false);
    expect(again.search('製造業の設備資金').hits[0].record.id).toBe('seizo-shikin');
  });
  it('carries the segmentations of synonym members and keywords, and the service it starts answers as the one that built it', async () => {
    const segs = indexExtras(loadSavedIndex(kb)!)?.segments ?? [];
    expect(segs.length).toBeGreaterThan(0);
    const again = await createSearchService(kb);
    expect(again.indexBuilt).toBe(false);
    for (const q of ['製造業の設備資金', 'お金を借りたい', '跡継ぎがいない', 'ネットで売りたい', '人手が足りない']) {
      const [x, y] = [service.search(q), again.search(q)];
      expect(y.hits.map((h) => [h.record.id, h.score])).toEqual(x.hits.map((h) => [h.record.id, h.score]));
      expect(y.confidence).toBe(x.confidence);
      expect(again.analyze(q).synonyms.groupIds).toEqual(service.analyze(q).synonyms.groupIds);
    }
  });
  it('is rebuilt when the knowledge changes', async () => {
    const changed = { ...kb, hash: `${kb.hash}-edited` };
    expect(loadSavedIndex(changed)).toBeNull();
    expect((await createSearchService(changed)).indexBuilt).toBe(true);
  });
});

describe('cards', () => {
  it('gives each answer cards of its own: a card edited by one caller does not change the next answer', () => {
    const q = 'デジタル化で生産性を上げる設備の補助金はある？';
    const first = service.search(q);
    const want = structuredClone(first.cards);
    expect(first.cards[0]).toEqual(recordCard(first.hits[0].record, kb, service.wording));
    first.cards[0].title = 'edited';
    first.cards[0].fields.push({ label: 'x', value: 'y' });
    const again = service.search(q);
    expect(again.cards).toEqual(want);
    expect(again.reply).toBe(first.reply);
  });
  it('shows the key terms as printed, the desk with phone and the source', () => {
    const card = recordCard(kb.byId.get('seizo-shikin')!, kb);
    expect(card.fields).toEqual(
      expect.arrayContaining([
        { label: '融資限度額', value: '80百万円' },
        { label: '利率', value: '年1.5%' },
        { label: '期間', value: '10年以内' },
      ]),
    );
    expect(card.deskName).toBe('徳山商工会議所');
    expect(card.phone).toBe('0834-31-3000');
    expect(card.sourceLabel).toBe('出典: 令和6年度 産業労働部事業概要、2024年度');
  });
  it('states no term the record does not give', () => {
    const card = recordCard(kb.byId.get('dx-hojokin')!, kb);
    expect(card.fields.map((f) => f.label)).toEqual(['補助率', '補助上限', '対象']);
    expect(cardText(card)).not.toMatch(/利率|融資限度額/);
  });
  it('says when a record is historical', () => {
    const text = cardText(recordCard(kb.byId.get('sogyo-shien-2013')!, kb));
    expect(text).toContain('平成25〜28年度');
    expect(text).toContain('出典: やまぐち商工業推進計画、2013年度');
  });
});

describe('cards handed out', () => {
  it('are copies: a caller editing one (the dialogue adds buttons, drops fields) does not change the next answer’s', () => {
    const first = service.search('設備投資に使える補助金はある？');
    expect(first.answered).toBe(true);
    const card = first.cards[0];
    const copy = copyCard(card);
    expect(copy).toEqual(card);
    copy.fields.push({ label: 'x', value: 'y' });
    (copy.actions ??= []).push({ label: 'b', value: 'v' });
    if (copy.fields[0]) copy.fields[0].value = 'changed';
    expect(card.fields.some((f) => f.value === 'changed' || f.label === 'x')).toBe(false);
    card.fields.length = 0;
    (card.actions ??= []).push({ label: 'edited', value: 'edited' });
    const again = service.search('設備投資に使える補助金はある？').cards[0];
    expect(again.fields.length).toBeGreaterThan(0);
    expect(again.actions?.some((a) => a.label === 'edited') ?? false).toBe(false);
  });
});
