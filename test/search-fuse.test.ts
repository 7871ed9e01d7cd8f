import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type lunr from 'lunr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeOrThrow } from '../src/knowledge/load.ts';
import { fuse } from '../src/search/fuse.ts';
import { PostingWeights } from '../src/search/postings.ts';
import { bestCandidates } from '../src/search/rank.ts';
import { ConceptIndex, recordConcepts } from '../src/search/concepts.ts';
import { buildClauses, runClauses, type Clause } from '../src/search/query.ts';
import { createSearchService, type SearchService } from '../src/search/service.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'search-kb');
const QUESTIONS = ['デジタル化で生産性を上げる設備の補助金はある？', '後継ぎの相談をしたい', '中小企業の経営相談', '製造業の設備資金', 'ﾖﾛｽﾞ支援拠点の電話番号', '補助金:製造業 +DX -'];
let cache: string;
let service: SearchService;
let postings: PostingWeights;
const savedEnv = process.env.SEARCH_CACHE_DIR;

beforeAll(async () => {
  cache = mkdtempSync(join(tmpdir(), 'shien-fuse-'));
  process.env.SEARCH_CACHE_DIR = cache;
  service = await createSearchService(loadKnowledgeOrThrow(FIXTURE), { index: 'memory' });
  postings = new PostingWeights(service.index);
});
afterAll(() => {
  if (savedEnv === undefined) delete process.env.SEARCH_CACHE_DIR;
  else process.env.SEARCH_CACHE_DIR = savedEnv;
  rmSync(cache, { recursive: true, force: true });
});

/** term/field pairs of a match data, sorted */
function matched(md: lunr.MatchData): string[] {
  const meta = md.metadata as Record<string, Record<string, unknown>>;
  return Object.keys(meta).flatMap((t) => Object.keys(meta[t]).map((f) => `${t}/${f}`)).sort();
}

/** lunr's own scores for one query over `clauses`, divided by the best (what fuse scales to 0–1) */
function lunrScaled(clauses: Clause[]): Map<string, { score: number; terms: string[] }> {
  const res = runClauses(service.index, clauses);
  const max = res[0]?.score || 1;
  return new Map(res.map((r) => [r.ref, { score: r.score / max, terms: matched(r.matchData) }]));
}

describe('fuse: frequent terms scored from posting lists', () => {
  const splits: ((clauses: Clause[]) => (c: Clause) => boolean)[] = [
    () => () => false, // every term through idx.query()
    () => () => true, // every term from posting lists
    (clauses) => (c) => clauses.indexOf(c) % 2 === 0, // every other term
    (clauses) => (c) => clauses.indexOf(c) % 3 !== 0,
  ];
  for (const q of QUESTIONS) {
    it(`gives lunr's scores, order and match data for 「${q}」 however terms are split`, () => {
      const clauses = buildClauses(service.analyze(q));
      const morph = lunrScaled(clauses.filter((c) => c.source !== 'bigram'));
      const bi = lunrScaled(clauses.filter((c) => c.source === 'bigram'));
      const morphOrder = [...morph.keys()];
      for (const split of splits) {
        const got = fuse(service.index, clauses, () => 0, postings, split(clauses));
        expect(new Set(got.map((c) => c.ref))).toEqual(new Set([...morph.keys(), ...bi.keys()]));
        expect(got.slice(0, morphOrder.length).map((c) => c.ref)).toEqual(morphOrder);
        for (const c of got) {
          expect(c.morph).toBeCloseTo(morph.get(c.ref)?.score ?? 0, 12);
          expect(c.bigram).toBeCloseTo(bi.get(c.ref)?.score ?? 0, 12);
          const want = [...new Set([...(morph.get(c.ref)?.terms ?? []), ...(bi.get(c.ref)?.terms ?? [])])].sort();
          expect(matched(c.result.matchData)).toEqual(want);
        }
      }
    });
  }
});

describe('LazyResult.matched: what the match data says, without building it', () => {
  for (const q of QUESTIONS) {
    it(`agrees with lunr's match data on every question term and field for 「${q}」 however terms are split`, () => {
      const clauses = buildClauses(service.analyze(q));
      const fields = [...new Set(clauses.flatMap((c) => c.fields))];
      for (const split of [() => false, () => true, (c: Clause) => clauses.indexOf(c) % 2 === 0]) {
        const asked = fuse(service.index, clauses, () => 0, postings, split);
        const built = fuse(service.index, clauses, () => 0, postings, split);
        for (let i = 0; i < asked.length; i++) {
          const lazy = asked[i].result as lunr.Index.Result & { matched(term: string, fields: readonly string[]): boolean };
          const meta = built[i].result.matchData.metadata as Record<string, Record<string, unknown> | undefined>;
          for (const c of clauses) for (const f of fields) expect(lazy.matched(c.term, [f])).toBe(f in (meta[c.term] ?? {}));
        }
      }
    });
  }
});

describe('bestCandidates', () => {
  it('keeps the k best in the order a stable sort of the whole pool gives, ties by pool order', () => {
    const score = Float64Array.from([0.5, 2, 1, 2, 0.1, 1, 3]);
    const pool = [4, 0, 1, 2, 3, 5, 6];
    const sorted = [...pool].sort((x, y) => score[y] - score[x]);
    for (let k = 1; k <= pool.length + 1; k++) expect(bestCandidates(pool, score, k)).toEqual(sorted.slice(0, k));
  });

  it('gives the same k best when records are scored lazily under an upper bound, and skips those that cannot enter', () => {
    const score = Float64Array.from([0.5, 2, 1, 2, 0.1, 1, 3, 0.2, 2]);
    const pool = [8, 4, 0, 1, 2, 3, 5, 6, 7];
    // ties in the order of `rank`, not of the pool
    const rank = [5, 2, 6, 1, 7, 4, 0, 8, 3];
    const before = (x: number, y: number) => rank[x] < rank[y];
    const sorted = [...pool].sort((x, y) => score[y] - score[x] || rank[x] - rank[y]);
    for (let k = 1; k <= pool.length + 1; k++) {
      const scored: number[] = [];
      const lazy = (d: number) => (scored.push(d), score[d]);
      expect(bestCandidates(pool, lazy, k, (d) => score[d] * 1.5, before)).toEqual(sorted.slice(0, k));
      if (k === 1) expect(scored).not.toContain(4); // 0.1 × 1.5 cannot beat the 2 met first
    }
  });
});

describe('numbered look-ups give what the look-ups by id give', () => {
  it('PostingWeights.contains agrees with has for every record and field of the question terms', () => {
    const terms = QUESTIONS.flatMap((q) => buildClauses(service.analyze(q)).map((c) => [c.term, c.fields] as const));
    let yes = 0;
    for (const [t, fields] of terms) {
      for (const f of fields) {
        for (let d = 0; d < postings.size; d++) {
          const has = postings.has(t, f, postings.refs[d]);
          expect(postings.contains(t, f, d)).toBe(has);
          if (has) yes++;
        }
      }
    }
    expect(yes).toBeGreaterThan(0);
  });

  it('PostingWeights keeps no list for a word the index does not have: new words in messages do not grow memory', () => {
    const before = postings.remembered();
    for (let i = 0; i < 2000; i++) expect(postings.list(`未知語${i}`, 'name').docs.length).toBe(0);
    expect(postings.remembered()).toBe(before);
  });

  it('ConceptIndex.shares gives every record the share scorer gives it', () => {
    const kb = loadKnowledgeOrThrow(FIXTURE);
    const concepts = new ConceptIndex(kb.records.length, recordConcepts(kb, (t) => new Set(service.analyze(t).synonyms.groupIds)));
    concepts.number((id) => postings.numberOf(id), postings.size);
    let some = 0;
    for (const q of QUESTIONS) {
      const groups = service.analyze(q).synonyms.groupIds;
      const byId = concepts.scorer(groups);
      const shares = concepts.shares(groups);
      for (let d = 0; d < postings.size; d++) {
        expect(shares[d]).toBe(byId(postings.refs[d]));
        if (shares[d] > 0) some++;
      }
    }
    expect(some).toBeGreaterThan(0);
  });
});
