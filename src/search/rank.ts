/**
 * Ranking and confidence. lunr's BM25 scores order the hits but are not comparable across
 * questions, so the "answered" decision uses a coverage confidence in [0, 1]: how much of the
 * question's information (terms weighted by inverse document frequency) the top record matches.
 * A question whose rare words are unknown to the catalogue (天気, 年金, パスポート) scores low.
 */
import type lunr from 'lunr';
import type { KnowledgeRecord } from '../knowledge/schema.ts';
import { BIGRAM_FIELDS, KEY_FIELD, MORPH_FIELDS } from './index-store.ts';
import { emptyMatchData } from './fuse.ts';
import type { Clause } from './query.ts';

/** A ranked record. `score` is the lunr score after status weighting; `confidence` ∈ [0, 1]. */
export interface RankedHit {
  record: KnowledgeRecord;
  score: number;
  confidence: number;
}


interface InvertedPosting {
  [field: string]: Record<string, unknown>;
}

/** Document frequencies of terms in a lunr index, per field group, memoised. */
export class TermStats {
  private readonly cache = new Map<string, number>();
  /** Entries kept at most in the memo of {@link df}. */
  static readonly CACHE_SIZE = 50_000;
  readonly docCount: number;
  private readonly inverted: Record<string, InvertedPosting>;

  constructor(idx: lunr.Index) {
    // lunr keeps these public at runtime; the type definitions mark them internal
    const raw = idx as unknown as { invertedIndex: Record<string, InvertedPosting>; fieldVectors: Record<string, unknown> };
    this.inverted = raw.invertedIndex;
    const refs = new Set(Object.keys(raw.fieldVectors).map((k) => k.slice(k.indexOf('/') + 1)));
    this.docCount = refs.size;
  }

  /** Number of records having `term` in any of `fields`. */
  df(term: string, fields: readonly string[]): number {
    const k = `${fields.join(',')}\0${term}`;
    const hit = this.cache.get(k);
    if (hit !== undefined) return hit;
    const posting = Object.prototype.hasOwnProperty.call(this.inverted, term) ? this.inverted[term] : undefined;
    let n = 0;
    if (posting) {
      const refs = new Set<string>();
      for (const f of fields) for (const ref of Object.keys(posting[f] ?? {})) refs.add(ref);
      n = refs.size;
    }
    // user text brings new terms: bounded (cleared when full), as the other memos
    if (this.cache.size >= TermStats.CACHE_SIZE) this.cache.clear();
    this.cache.set(k, n);
    return n;
  }

  /** BM25-style inverse document frequency; a term absent from the index gets the highest value. */
  idf(term: string, fields: readonly string[]): number {
    const df = this.df(term, fields);
    return Math.log(1 + (this.docCount - df + 0.5) / (df + 0.5));
  }
}

/** Bigram mass (sum of idf of the top hit's matched bigrams) that counts as full evidence. */
const BIGRAM_MASS_FULL = 40;

/**
 * Weight of a question term in coverage and confidence: its informativeness (`weightOf`, part of
 * speech: nouns 1, verbs/adjectives/one-character nouns ≈ 0.3) × its idf in the catalogue. A term
 * the catalogue does not know gets the idf of the rarest known term (df = 1), not more: an everyday
 * word the catalogue never uses (人, 店, 困る) must not be the question's most informative word.
 */
export function termWeight(term: string, stats: TermStats, weightOf: (term: string) => number = () => 1): number {
  const df = stats.df(term, MORPH_FIELDS);
  const idf = Math.log(1 + (stats.docCount - Math.max(1, df) + 0.5) / (Math.max(1, df) + 0.5));
  return weightOf(term) * idf;
}

/**
 * Confidence in [0, 1] that `hit` (the best hit) answers the question the clauses came from.
 * 1 when the question names the record (whole-name key match). Otherwise the mean of four shares,
 * each weighting the question's terms by {@link termWeight}:
 *  - known: share of the question's terms the catalogue knows at all (or that are part of a
 *    recognised name / synonym found in the question: `explained`) — low for 天気, 年金, パスポート;
 *  - covered: share of the question's terms the hit matches (explained terms count when the hit
 *    matched a synonym or name clause);
 *  - bigram evidence: idf mass of the hit's matched bigrams, relative to {@link BIGRAM_MASS_FULL};
 *  - concept: the hit's share of the question's synonym-group concepts ({@link ConceptIndex.score});
 *    null when the question has no concept at all (the mean is then of the other three).
 * Terms in `ignore` (the words that only say a desk is wanted: 相談, 窓口) do not count; terms in
 * `viaKeyword` (inside a keyword of the hit the question uses whole) count as covered.
 */
export function confidence(
  hit: lunr.Index.Result,
  clauses: Clause[],
  stats: TermStats,
  explained: ReadonlySet<string> = new Set(),
  concept: number | null = 0,
  weightOf: (term: string) => number = () => 1,
  ignore: ReadonlySet<string> = new Set(),
  viaKeyword: ReadonlySet<string> = new Set(),
): number {
  const inFields = (term: string, fields: readonly string[]) => matchedIn(hit, term, fields);
  let viaSynonymOrName = false;
  for (const c of clauses) {
    if (c.source === 'key' && inFields(c.term, [KEY_FIELD])) return 1;
    if (c.source === 'synToken' && inFields(c.term, MORPH_FIELDS)) viaSynonymOrName = true;
  }
  let total = 0;
  let known = 0;
  let covered = 0;
  let biMass = 0;
  for (const c of clauses) {
    if (c.source === 'token') {
      if (ignore.has(c.term)) continue;
      const w = termWeight(c.term, stats, weightOf);
      const isExplained = explained.has(c.term);
      total += w;
      if (isExplained || stats.df(c.term, MORPH_FIELDS) > 0) known += w;
      if (inFields(c.term, MORPH_FIELDS) || (isExplained && viaSynonymOrName) || viaKeyword.has(c.term)) covered += w;
    } else if (c.source === 'bigram' && inFields(c.term, BIGRAM_FIELDS)) {
      biMass += stats.idf(c.term, BIGRAM_FIELDS);
    }
  }
  const bigram = Math.min(1, biMass / BIGRAM_MASS_FULL);
  // a question without any synonym-group concept has no concept share to earn: the mean of the others
  const parts = concept === null ? [bigram] : [bigram, concept];
  if (total > 0) parts.push(known / total, covered / total);
  return parts.reduce((x, y) => x + y, 0) / (total > 0 ? parts.length : parts.length + 2);
}

/** Score multipliers that depend on the question: wanted kinds, local desks, time and size. */
export interface RankContext {
  /** kinds hinted by the question's words (intents/answers.yaml `kindHints`) */
  kinds: ReadonlySet<KnowledgeRecord['kind']>;
  kindBoost: number;
  /** multiplier of each kind when the question does not hint at it (intents/answers.yaml `kindPrior`) */
  kindPrior?: Partial<Record<KnowledgeRecord['kind'], number>>;
  /** quantities the question states (「1年」「3%」); a record printing the same one fits better */
  quantities?: readonly { value: number; unit: string }[];
  /** the quantities a record prints (memoised by the caller) */
  recordQuantities?: (rec: KnowledgeRecord) => readonly { value: number; unit: string }[];
  /** programme categories that count as desks when desks are hinted */
  deskCategories?: ReadonlySet<string>;
  /** multiplier of such a programme when desks are hinted (less than `kindBoost`: the desk itself is the more direct answer); default kindBoost */
  deskCategoryBoost?: number;
  /** programme categories the question's words ask for (intents/answers.yaml `categoryHints`) */
  categories?: ReadonlySet<string>;
  /** multiplier of a programme of one of `categories` */
  categoryBoost?: number;
  /** ids of the desks located in / serving the 市町 and localities the question names */
  localDesks: ReadonlySet<string>;
  localBoost: number;
  /** multiplier of a programme served only by desks of another place than the one named (intents/answers.yaml `otherDistrictFactor`) */
  otherDistrictFactor?: number;
  /** the question is about the time of the historical source (names its plan or its years) */
  historical?: boolean;
  /** the question asks about past results (names the past source's year or 実績) */
  past?: boolean;
  /** 従業員数 (人) the question states, and its 中小企業基本法 industry group when known */
  employees?: number;
  industryGroup?: string;
}

/** Score multipliers by record status when the question says nothing about time. */
export const STATUS_WEIGHT_DEFAULT: Record<KnowledgeRecord['status'], number> = { current: 1, past: 0.85, historical: 0.55 };
/** …when the question names the historical plan or its years (historical records wanted). */
export const STATUS_WEIGHT_HISTORICAL: Record<KnowledgeRecord['status'], number> = { current: 0.8, past: 0.8, historical: 1.2 };
/** …when the question asks about past results. */
export const STATUS_WEIGHT_PAST: Record<KnowledgeRecord['status'], number> = { current: 1, past: 1.1, historical: 0.55 };
/** Multiplier for a programme whose stated 従業員 ranges fit / exclude the question's headcount. */
export const EMPLOYEES_FIT = 1.15;
export const EMPLOYEES_MISFIT = 0.6;
/** Multiplier for a record that prints a quantity the question states (「1年」 ↔ 「1年間」). */
export const QUANTITY_FIT = 1.15;

/**
 * Whether `employees` (人) fits a programme's stated ranges: true / false, or null when the
 * programme states none. A range limited to industry groups counts only when `industryGroup` is one
 * of them (or unknown).
 */
export function employeesFit(rec: KnowledgeRecord, employees: number, industryGroup?: string): boolean | null {
  if (rec.kind !== 'program') return null;
  const ranges = rec.eligibility?.employees;
  if (!ranges?.length) return null;
  const relevant = industryGroup ? ranges.filter((r) => !r.industryGroups || r.industryGroups.includes(industryGroup as never)) : ranges;
  if (!relevant.length) return null;
  return relevant.some((r) => (r.min === undefined || employees >= r.min) && (r.max === undefined || employees <= r.max));
}

/**
 * The score of a record for this question: fused score × status weight (current first; historical
 * records only when the question is about that time) × kind boost (when its kind is hinted) × local
 * boost (a desk of the named place, or a programme handled by one), or the kind's prior when its
 * kind is not hinted × category boost (a programme of the kind of support asked for: a tax measure
 * for a tax saving) × headcount fit × quantity fit × other district (a 商工会議所's own service asked about
 * from another 市町).
 */
export function adjustedScore(score: number, rec: KnowledgeRecord, ctx: RankContext): number {
  const status = ctx.historical ? STATUS_WEIGHT_HISTORICAL : ctx.past ? STATUS_WEIGHT_PAST : STATUS_WEIGHT_DEFAULT;
  let s = score * status[rec.status];
  const deskLike = rec.kind === 'program' && ctx.kinds.has('desk') && ctx.deskCategories?.has(rec.category);
  if (ctx.kinds.has(rec.kind)) s *= ctx.kindBoost;
  else if (deskLike) s *= ctx.deskCategoryBoost ?? ctx.kindBoost;
  else s *= ctx.kindPrior?.[rec.kind] ?? 1;
  if (ctx.categories?.size && rec.kind === 'program' && ctx.categories.has(rec.category)) s *= ctx.categoryBoost ?? 1;
  if (ctx.quantities?.length && ctx.recordQuantities) {
    const printed = ctx.recordQuantities(rec);
    if (ctx.quantities.some((q) => printed.some((p) => p.unit === q.unit && p.value === q.value))) s *= QUANTITY_FIT;
  }
  if (ctx.localDesks.size) {
    const local = rec.kind === 'desk' ? ctx.localDesks.has(rec.id) : rec.kind === 'program' && rec.desk.some((d) => ctx.localDesks.has(d));
    if (local) s *= ctx.localBoost;
    // a programme only for the members of a 商工会議所/商工会 (eligibility.servedBy, 004 L8 「管内事業者」)
    // none of whose desks serves the place named: a business there is not served by it
    const servedBy = rec.kind === 'program' ? rec.eligibility?.servedBy : undefined;
    if (servedBy?.length && !servedBy.some((d) => ctx.localDesks.has(d))) s *= ctx.otherDistrictFactor ?? 1;
  }
  if (ctx.employees !== undefined) {
    const fit = employeesFit(rec, ctx.employees, ctx.industryGroup);
    if (fit !== null) s *= fit ? EMPLOYEES_FIT : EMPLOYEES_MISFIT;
  }
  return s;
}

/**
 * The largest factor {@link adjustedScore} can apply to any record under `ctx` (for a score ≥ 0,
 * `adjustedScore(score, rec, ctx) ≤ score × bound` for every record): the largest status weight,
 * kind factor, and each fit that `ctx` makes possible. A caller ranking many records skips those
 * whose bound cannot reach its best few. Kept beside adjustedScore: a new factor there belongs here.
 */
export function adjustedScoreBound(ctx: RankContext): number {
  const status = ctx.historical ? STATUS_WEIGHT_HISTORICAL : ctx.past ? STATUS_WEIGHT_PAST : STATUS_WEIGHT_DEFAULT;
  let m = Math.max(...Object.values(status));
  m *= Math.max(1, ctx.kindBoost, ...Object.values(ctx.kindPrior ?? {}).filter((x): x is number => typeof x === 'number'));
  if (ctx.categories?.size) m *= Math.max(1, ctx.categoryBoost ?? 1);
  if (ctx.quantities?.length && ctx.recordQuantities) m *= Math.max(1, QUANTITY_FIT);
  if (ctx.localDesks.size) m *= Math.max(1, ctx.localBoost);
  if (ctx.employees !== undefined) m *= Math.max(1, EMPLOYEES_FIT, EMPLOYEES_MISFIT);
  // products taken in another order can differ in the last bit
  return m * (1 + 1e-9);
}

/**
 * Words that put a question in the time of the past or historical sources (knowledge/sources.yaml):
 * for each such source the years of its `period` (「平成25〜28年度（2013〜2016年度）」 → 2013…2016) and
 * its `fiscalYear`, as 「2013年」「平成25」「h25」「令和5」, in {@link matchKey} form.
 */
export function timeCues(sources: readonly { period: string; fiscalYear: number; status: KnowledgeRecord['status'] }[]): { historical: string[]; past: string[] } {
  const out = { historical: [] as string[], past: [] as string[] };
  for (const s of sources) {
    if (s.status === 'current') continue;
    const years = [...s.period.matchAll(/(?<!\d)(19|20)\d{2}(?!\d)/g)].map((m) => Number(m[0]));
    const from = Math.min(s.fiscalYear, ...years);
    const to = s.status === 'past' ? s.fiscalYear : Math.max(s.fiscalYear, ...years);
    for (let y = from; y <= to; y++) {
      const keys = [`${y}年`];
      if (y >= 1989 && y <= 2019) keys.push(`平成${y - 1988}年`, `h${y - 1988}年`);
      if (y >= 2019) keys.push(`令和${y - 2018}年`, `r${y - 2018}年`);
      out[s.status].push(...keys);
    }
  }
  return out;
}

/** A ranked candidate as the service holds it: the record, its adjusted score and lunr match data. */
export interface RankedCandidate {
  record: KnowledgeRecord;
  score: number;
  result: lunr.Index.Result;
}

/**
 * Whether a result matched `term` in one of `fields` (its match data's metadata): asked of the
 * result itself when it can tell without building the match data (src/search/fuse.ts LazyResult).
 */
function matchedIn(result: lunr.Index.Result, term: string, fields: readonly string[]): boolean {
  const lazy = result as lunr.Index.Result & { matched?: (term: string, fields: readonly string[]) => boolean };
  if (typeof lazy.matched === 'function') return lazy.matched(term, fields);
  const m = (result.matchData.metadata as Record<string, Record<string, unknown> | undefined>)[term];
  return m !== undefined && fields.some((f) => f in m);
}

/**
 * For a question asking where to consult: when none of the first `rank` candidates is a desk or a
 * desk-like programme (`isDeskLike`), the general desk `generalId` takes place `rank` (its score set
 * between its neighbours), so a consultation question always offers a place to ask. Sorts in place.
 * `ranked` may hold only the best candidates (see {@link bestCandidates}); `more(id)` then gives any
 * other candidate, which joins `ranked` when its score is lifted.
 */
export function consultFallback(ranked: RankedCandidate[], rank: number, generalId: string, isDeskLike: (rec: KnowledgeRecord) => boolean, byId: ReadonlyMap<string, KnowledgeRecord>, more?: (id: string) => RankedCandidate | undefined): RankedCandidate[] {
  if (rank < 1 || ranked.length < rank - 1) return ranked;
  const head = ranked.slice(0, rank);
  if (head.some((c) => isDeskLike(c.record))) return ranked;
  const rec = byId.get(generalId);
  if (!rec) return ranked;
  let g = findCandidate(ranked, generalId, more);
  if (!g) ranked.push((g = { record: rec, score: 0, result: { ref: rec.id, score: 0, matchData: emptyMatchData() } }));
  const above = ranked[rank - 2];
  const below = ranked[rank - 1];
  g.score = above ? (below && below !== g ? (above.score + below.score) / 2 : above.score * 0.99) : Math.max(g.score, 1);
  return ranked.sort((x, y) => y.score - x.score);
}

/** The candidate for record `id`: in `ranked`, else from `more` (then appended to `ranked`). */
function findCandidate(ranked: RankedCandidate[], id: string, more?: (id: string) => RankedCandidate | undefined): RankedCandidate | undefined {
  const found = ranked.find((c) => c.record.id === id);
  if (found || !more) return found;
  const c = more(id);
  if (c) ranked.push(c);
  return c;
}

/**
 * The `k` best of `pool` (record numbers) by `score`, best first; equal scores keep their order in
 * `pool`, as a stable sort of the whole pool would. Whatever {@link consultFallback} then does,
 * the first `k` − 1 places come out as if they had the whole pool
 * (every other record scores at most the k-th; the records they lift are fetched by id).
 * `score` is an array by record number or a function computing it; with `upper(d)` ≥ score(d), a
 * record whose bound is no higher than the k-th best so far is skipped unscored (same result).
 * `before(x, y)`, when given, is the order of equal scores instead of their order in `pool`.
 */
export function bestCandidates(
  pool: readonly number[],
  score: Float64Array | ((d: number) => number),
  k: number,
  upper?: (d: number) => number,
  before?: (x: number, y: number) => boolean,
): number[] {
  const at = typeof score === 'function' ? score : (d: number) => score[d];
  const best: number[] = [];
  const scores: number[] = [];
  // x ahead of the entry at i: a higher score, or an equal one and earlier in the order
  const ahead = (d: number, s: number, i: number) => scores[i] < s || (before !== undefined && scores[i] === s && before(d, best[i]));
  for (const d of pool) {
    const full = best.length >= k;
    // a record whose upper bound cannot beat the k-th is not scored (it could not enter)
    if (upper && full && upper(d) < scores[k - 1]) continue;
    if (upper && full && !before && !(upper(d) > scores[k - 1])) continue;
    const s = at(d);
    if (full && !ahead(d, s, k - 1)) continue;
    let i = best.length;
    while (i > 0 && ahead(d, s, i - 1)) i--;
    best.splice(i, 0, d);
    scores.splice(i, 0, s);
    if (best.length > k) (best.pop(), scores.pop());
  }
  return best;
}
