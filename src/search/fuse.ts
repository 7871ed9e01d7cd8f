/**
 * One score per record for a question: the morphological query (whole names, terms, synonyms) and
 * the character-bigram query are scored as lunr scores them, then fused with the concept share.
 *
 * Speed without changing a score: a term found in many records (`common`) costs lunr a match-data
 * object and a field-vector walk per record, yet only adds boost × its BM25 weight to each. So only
 * the other terms go through `idx.query()` (src/search/query.ts); each common term adds its weight
 * from the index's own field vectors ({@link PostingWeights}), and every field is divided by the
 * magnitude of the whole query vector, as lunr would. Match data of the common terms is added only
 * for the few records that need it (confidence, parents), when first read.
 */
import lunr from 'lunr';
import type { PostingWeights } from './postings.ts';
import { runClauses, type Clause } from './query.ts';

/** Weights of the three evidences fused into one score (each first scaled to 0–1 in the query). */
export const FUSION = { morph: 1, bigram: 0.6, concept: 0.5 };

/** A record found by a question, with each evidence and the match data of both queries. */
export interface Candidate {
  ref: string;
  /** score = `fused`; matchData holds the terms of both queries (for confidence), built when first read */
  result: lunr.Index.Result;
  morph: number;
  bigram: number;
  concept: number;
  /** FUSION-weighted sum of the scaled evidences */
  fused: number;
}

/** An empty lunr MatchData (its constructor's arguments are optional at runtime, not in the typings). */
export function emptyMatchData(): lunr.MatchData {
  const Ctor = lunr.MatchData as unknown as new () => lunr.MatchData;
  return new Ctor();
}

/** The scores one lunr query over `clauses` would give, and what the match data needs. */
interface QueryScores {
  /** score by record number (0 for records not found) */
  score: Float64Array;
  /** records found, in the order lunr would list them before sorting (first field match) */
  found: number[];
  /** results of the `idx.query()` calls, by ref */
  lunrHits: Map<string, lunr.Index.Result>[];
  /** the common clauses' terms and fields (their match data is added on demand) */
  common: { term: string; fields: string[] }[];
}

/**
 * Runs the question twice — morphological terms, synonyms and whole names (fields name/summary/body/
 * key) and character bigrams (nameBi/summaryBi/bodyBi) — and fuses the two scores, each divided by
 * its best score, with the concept share (`concept`, 0–1). Separate queries let the bigram evidence
 * weigh what {@link FUSION} says whatever the number of terms on either side. `common(clause)` picks
 * the clauses scored from `postings` instead of `idx.query()` (same scores either way). Candidates
 * come in lunr's order (morphological score, best first, then records found by bigrams only).
 */
export function fuse(idx: lunr.Index, clauses: Clause[], concept: (ref: string) => number, postings: PostingWeights, common: (c: Clause) => boolean = () => false): Candidate[] {
  const morph = scoreQuery(idx, postings, clauses.filter((c) => c.source !== 'bigram'), common);
  const bi = scoreQuery(idx, postings, clauses.filter((c) => c.source === 'bigram'), common);
  const byScore = (q: QueryScores) => q.found.map((d, i) => ({ d, i })).sort((x, y) => q.score[y.d] - q.score[x.d] || x.i - y.i);
  const morphOrder = byScore(morph);
  const maxM = (morphOrder.length ? morph.score[morphOrder[0].d] : 0) || 1;
  const biOrder = byScore(bi);
  const maxB = (biOrder.length ? bi.score[biOrder[0].d] : 0) || 1;
  const out: Candidate[] = [];
  const taken = new Uint8Array(postings.size);
  for (const { d } of [...morphOrder, ...biOrder]) {
    if (taken[d]) continue;
    taken[d] = 1;
    const ref = postings.refs[d];
    const c: Candidate = { ref, result: lazyResult(ref, [morph, bi], postings), morph: morph.score[d] / maxM, bigram: bi.score[d] / maxB, concept: concept(ref), fused: 0 };
    c.fused = FUSION.morph * c.morph + FUSION.bigram * c.bigram + FUSION.concept * c.concept;
    c.result.score = c.fused;
    out.push(c);
  }
  return out;
}

/** A result whose match data (lunr's for the queried terms + the common terms the record has) is built on first read. */
function lazyResult(ref: string, queries: QueryScores[], postings: PostingWeights): lunr.Index.Result {
  let md: lunr.MatchData | undefined;
  return {
    ref,
    score: 0,
    get matchData(): lunr.MatchData {
      if (md) return md;
      md = emptyMatchData();
      // MatchData.add exists at runtime; @types/lunr omits it
      const add = (md as unknown as { add(term: string, field: string, metadata: object): void }).add.bind(md);
      for (const q of queries) {
        for (const hits of q.lunrHits) {
          const r = hits.get(ref);
          if (r) md.combine(r.matchData);
        }
        for (const c of q.common) for (const f of c.fields) if (postings.has(c.term, f, ref)) add(c.term, f, Object.create(null) as object);
      }
      return md;
    },
    set matchData(value: lunr.MatchData) {
      md = value;
    },
  };
}

/**
 * The scores lunr gives for one query over `clauses`. Clauses are grouped by their field list; each
 * group's field lists must be disjoint from the others' (as in src/search/query.ts) so that every
 * field's query-vector magnitude belongs to one group. A group's non-common clauses run through
 * `idx.query()`, whose scores (Σ over fields of dot / |their query vector|) are rescaled to the
 * whole group's magnitude; each common clause adds boost × weight / magnitude from its posting lists.
 */
function scoreQuery(idx: lunr.Index, postings: PostingWeights, clauses: Clause[], common: (c: Clause) => boolean): QueryScores {
  const pipeline = (idx as unknown as { pipeline: lunr.Pipeline }).pipeline;
  const out: QueryScores = { score: new Float64Array(postings.size), found: [], lunrHits: [], common: [] };
  let groups = new Map<string, Clause[]>();
  for (const c of clauses) {
    const key = c.fields.join('\0');
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  const fieldsSeen = new Set<string>();
  for (const g of groups.values()) for (const f of g[0].fields) fieldsSeen.add(f);
  const disjoint = fieldsSeen.size === [...groups.values()].reduce((n, g) => n + g[0].fields.length, 0);
  // overlapping field lists: one lunr query for everything (no rescaling possible)
  if (!disjoint) groups = new Map([['', clauses]]);
  // terms as lunr looks them up (after the search pipeline); a clause changed by it is left to lunr
  const termsOf = new Map<Clause, string[]>(clauses.map((c) => [c, pipeline.runString(c.term)]));
  const isCommon = (c: Clause) => disjoint && common(c) && termsOf.get(c)!.length === 1 && termsOf.get(c)![0] === c.term;
  const order = new Int32Array(postings.size).fill(-1);
  const seen = (d: number) => {
    if (d >= 0 && order[d] < 0) (order[d] = out.found.length), out.found.push(d);
  };
  // first matches in lunr's order: clause by clause, field by field, posting order
  for (const c of clauses) for (const t of termsOf.get(c)!) for (const f of c.fields) for (const d of postings.list(t, f, isCommon(c)).docs) seen(d);
  for (const g of groups.values()) {
    const rare = g.filter((c) => !isCommon(c));
    const full = magnitude(g, termsOf, postings);
    if (!full) continue;
    if (rare.length) {
      const hits = runClauses(idx, rare);
      const scale = magnitude(rare, termsOf, postings) / full;
      out.lunrHits.push(new Map(hits.map((r) => [r.ref, r])));
      for (const r of hits) out.score[postings.numberOf(r.ref)] += r.score * scale;
    }
    for (const c of g) {
      if (!isCommon(c)) continue;
      out.common.push({ term: c.term, fields: c.fields });
      for (const f of c.fields) {
        const { docs, weights } = postings.list(c.term, f);
        const k = c.boost / full;
        for (let i = 0; i < docs.length; i++) out.score[docs[i]] += k * weights[i];
      }
    }
  }
  return out;
}

/** Magnitude of lunr's query vector for `clauses` (one field): boosts summed per indexed term, √Σ² in term order. */
function magnitude(clauses: Clause[], termsOf: Map<Clause, string[]>, postings: PostingWeights): number {
  const byIndex = new Map<number, number>();
  for (const c of clauses) {
    for (const t of termsOf.get(c)!) {
      const i = postings.termIndex(t);
      if (i >= 0) byIndex.set(i, (byIndex.get(i) ?? 0) + c.boost);
    }
  }
  let sum = 0;
  for (const i of [...byIndex.keys()].sort((a, b) => a - b)) sum += byIndex.get(i)! ** 2;
  return Math.sqrt(sum);
}
