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
import type { ConceptIndex } from './concepts.ts';
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
  /** position of each record in `found` (−1: not found) */
  order: Int32Array;
  /** results of the `idx.query()` calls, by ref */
  lunrHits: Map<string, lunr.Index.Result>[];
  /** the common clauses' terms and fields (their match data is added on demand) */
  common: { term: string; fields: string[] }[];
}

/** The fused scores of every record a question finds, by record number ({@link PostingWeights.refs}). */
export interface FusedScores {
  /** records found, in lunr's order: morphological score, best first, then records found by bigrams only (sorted on first read) */
  readonly docs: number[];
  /** the same records unsorted: those the morphological query found, then those only the bigrams found */
  found: number[];
  /** whether record `d` was found */
  has(d: number): boolean;
  /** whether found record `x` comes before found record `y` in {@link docs} (for ties, without sorting every record) */
  before(x: number, y: number): boolean;
  /** each evidence scaled to 0–1, and their FUSION-weighted sum (0 for records not found) */
  morph: Float64Array;
  bigram: Float64Array;
  concept: Float64Array;
  fused: Float64Array;
  /** the lunr result of a found record: score = fused; match data of both queries, built when first read */
  result(d: number): lunr.Index.Result;
}

/**
 * Runs the question twice — morphological terms, synonyms and whole names (fields name/summary/body/
 * key) and character bigrams (nameBi/summaryBi/bodyBi) — and fuses the two scores, each divided by
 * its best score, with the concept share (`concept`, 0–1: by ref, or by record number as
 * {@link ConceptIndex.shares} gives it). Separate queries let the bigram evidence
 * weigh what {@link FUSION} says whatever the number of terms on either side. `common(clause)` picks
 * the clauses scored from `postings` instead of `idx.query()` (same scores either way).
 */
export function fuseScores(idx: lunr.Index, clauses: Clause[], concept: ((ref: string) => number) | Float64Array, postings: PostingWeights, common: (c: Clause) => boolean = () => false): FusedScores {
  const queries = [scoreQuery(idx, postings, clauses.filter((c) => c.source !== 'bigram'), common), scoreQuery(idx, postings, clauses.filter((c) => c.source === 'bigram'), common)];
  const [morph, bi] = queries;
  let maxM = 0;
  for (const d of morph.found) if (morph.score[d] > maxM) maxM = morph.score[d];
  let maxB = 0;
  for (const d of bi.found) if (bi.score[d] > maxB) maxB = bi.score[d];
  maxM ||= 1;
  maxB ||= 1;
  const n = postings.size;
  const results = new Map<number, LazyResult>();
  // lunr's order: by morphological score (best first, then first met); records only the bigrams found after, by bigram score
  const inMorph = (d: number) => morph.order[d] >= 0;
  const before = (x: number, y: number): boolean => {
    const mx = inMorph(x);
    if (mx !== inMorph(y)) return mx;
    const q = mx ? morph : bi;
    return q.score[x] > q.score[y] || (q.score[x] === q.score[y] && q.order[x] < q.order[y]);
  };
  let sorted: number[] | undefined;
  const out: FusedScores = {
    get docs() {
      return (sorted ??= out.found.slice().sort((x, y) => (x === y ? 0 : before(x, y) ? -1 : 1)));
    },
    found: [],
    has: (d) => morph.order[d] >= 0 || bi.order[d] >= 0,
    before,
    morph: new Float64Array(n),
    bigram: new Float64Array(n),
    concept: new Float64Array(n),
    fused: new Float64Array(n),
    result(d) {
      let r = results.get(d);
      if (!r) results.set(d, (r = new LazyResult(postings.refs[d], d, queries, postings)));
      r.score = out.fused[d];
      return r;
    },
  };
  for (const d of morph.found) out.found.push(d);
  for (const d of bi.found) if (!inMorph(d)) out.found.push(d);
  for (const d of out.found) {
    const m = (out.morph[d] = morph.score[d] / maxM);
    const b = (out.bigram[d] = bi.score[d] / maxB);
    const c = (out.concept[d] = typeof concept === 'function' ? concept(postings.refs[d]) : concept[d]);
    out.fused[d] = FUSION.morph * m + FUSION.bigram * b + FUSION.concept * c;
  }
  return out;
}

/** {@link fuseScores} as one object per record found, in the same order. */
export function fuse(idx: lunr.Index, clauses: Clause[], concept: (ref: string) => number, postings: PostingWeights, common?: (c: Clause) => boolean): Candidate[] {
  const f = fuseScores(idx, clauses, concept, postings, common);
  return f.docs.map((d) => ({ ref: postings.refs[d], result: f.result(d), morph: f.morph[d], bigram: f.bigram[d], concept: f.concept[d], fused: f.fused[d] }));
}

/** A lunr result whose match data (lunr's for the queried terms + the common terms the record has) is built on first read. */
class LazyResult implements lunr.Index.Result {
  score = 0;
  private md: lunr.MatchData | undefined;

  constructor(
    readonly ref: string,
    private readonly doc: number,
    private readonly queries: QueryScores[],
    private readonly postings: PostingWeights,
  ) {}

  /**
   * Whether the record matched `term` in one of `fields` — what `matchData.metadata[term]` says,
   * answered from the posting lists and lunr's hits without building the match data.
   */
  matched(term: string, fields: readonly string[]): boolean {
    if (this.md) {
      const m = (this.md.metadata as Record<string, Record<string, unknown> | undefined>)[term];
      return m !== undefined && fields.some((f) => f in m);
    }
    for (const q of this.queries) {
      for (const hits of q.lunrHits) {
        const m = (hits.get(this.ref)?.matchData.metadata as Record<string, Record<string, unknown> | undefined> | undefined)?.[term];
        if (m && fields.some((f) => f in m)) return true;
      }
      for (const c of q.common) if (c.term === term) for (const f of c.fields) if (fields.includes(f) && this.postings.contains(term, f, this.doc)) return true;
    }
    return false;
  }

  get matchData(): lunr.MatchData {
    if (this.md) return this.md;
    const md = (this.md = emptyMatchData());
    // MatchData.add exists at runtime; @types/lunr omits it
    const add = (md as unknown as { add(term: string, field: string, metadata: object): void }).add.bind(md);
    for (const q of this.queries) {
      for (const hits of q.lunrHits) {
        const r = hits.get(this.ref);
        if (r) md.combine(r.matchData);
      }
      for (const c of q.common) for (const f of c.fields) if (this.postings.contains(c.term, f, this.doc)) add(c.term, f, Object.create(null) as object);
    }
    return md;
  }

  set matchData(value: lunr.MatchData) {
    this.md = value;
  }
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
  const out: QueryScores = { score: new Float64Array(postings.size), found: [], order: new Int32Array(postings.size).fill(-1), lunrHits: [], common: [] };
  // terms as lunr looks them up (after the search pipeline)
  const terms = clauses.map((c) => pipeline.runString(c.term));
  let groups = new Map<string, number[]>();
  for (let i = 0; i < clauses.length; i++) {
    const key = clauses[i].fields.join('\0');
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  const fieldsSeen = new Set<string>();
  let fieldCount = 0;
  for (const g of groups.values()) for (const f of clauses[g[0]].fields) (fieldsSeen.add(f), fieldCount++);
  // overlapping field lists: one lunr query for everything (no rescaling possible)
  const disjoint = fieldsSeen.size === fieldCount;
  if (!disjoint) groups = new Map([['', clauses.map((_, i) => i)]]);
  // a clause the pipeline changes is left to lunr
  const isCommon = clauses.map((c, i) => disjoint && terms[i].length === 1 && terms[i][0] === c.term && common(c));
  // each common clause's factor: boost / magnitude of its group's query vector
  const factor = new Float64Array(clauses.length);
  for (const g of groups.values()) {
    const full = magnitude(g, clauses, terms, postings);
    for (const i of g) if (isCommon[i]) factor[i] = full ? clauses[i].boost / full : 0;
    const rare = g.filter((i) => !isCommon[i]);
    if (!full || !rare.length) continue;
    const hits = runClauses(idx, rare.map((i) => clauses[i]));
    const scale = magnitude(rare, clauses, terms, postings) / full;
    out.lunrHits.push(new Map(hits.map((r) => [r.ref, r])));
    for (const r of hits) out.score[postings.numberOf(r.ref)] += r.score * scale;
  }
  // clause by clause, field by field, in posting order: records in the order lunr first meets them,
  // and the common clauses' boost × weight / magnitude
  const { score, order, found } = out;
  for (let i = 0; i < clauses.length; i++) {
    const k = factor[i];
    if (isCommon[i]) out.common.push({ term: clauses[i].term, fields: clauses[i].fields });
    for (const t of terms[i]) {
      for (const f of clauses[i].fields) {
        const { docs, weights } = postings.list(t, f);
        for (let j = 0; j < docs.length; j++) {
          const d = docs[j];
          if (order[d] < 0) (order[d] = found.length), found.push(d);
          if (k) score[d] += k * weights[j];
        }
      }
    }
  }
  return out;
}

/** Magnitude of lunr's query vector for clauses `which` (one field): boosts summed per indexed term, √Σ² in term order. */
function magnitude(which: number[], clauses: Clause[], terms: string[][], postings: PostingWeights): number {
  const byIndex = new Map<number, number>();
  for (const i of which) {
    for (const t of terms[i]) {
      const ti = postings.termIndex(t);
      if (ti >= 0) byIndex.set(ti, (byIndex.get(ti) ?? 0) + clauses[i].boost);
    }
  }
  let sum = 0;
  for (const ti of [...byIndex.keys()].sort((a, b) => a - b)) sum += byIndex.get(ti)! ** 2;
  return Math.sqrt(sum);
}
