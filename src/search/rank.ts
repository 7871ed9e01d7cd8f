/**
 * Ranking and confidence. lunr's BM25 scores order the hits but are not comparable across
 * questions, so the "answered" decision uses a coverage confidence in [0, 1]: how much of the
 * question's information (terms weighted by inverse document frequency) the top record matches.
 * A question whose rare words are unknown to the catalogue (天気, 年金, パスポート) scores low.
 */
import type lunr from 'lunr';
import type { KnowledgeRecord } from '../knowledge/schema.ts';
import { BIGRAM_FIELDS, KEY_FIELD, MORPH_FIELDS } from './index-store.ts';
import type { Clause } from './query.ts';

/** A ranked record. `score` is the lunr score after status weighting; `confidence` ∈ [0, 1]. */
export interface RankedHit {
  record: KnowledgeRecord;
  score: number;
  confidence: number;
}

/** Score multipliers by record status: current records first when otherwise equal. */
export const STATUS_WEIGHT: Record<KnowledgeRecord['status'], number> = { current: 1, past: 0.9, historical: 0.85 };

interface InvertedPosting {
  [field: string]: Record<string, unknown>;
}

/** Document frequencies of terms in a lunr index, per field group, memoised. */
export class TermStats {
  private readonly cache = new Map<string, number>();
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
 * Confidence in [0, 1] that `hit` (the best hit) answers the question the clauses came from.
 * 1 when the question names the record (whole-name key match). Otherwise the mean of three shares,
 * each weighting the question's terms by idf (a term unknown to the catalogue weighs most):
 *  - known: share of the question's terms the catalogue knows at all (or that are part of a
 *    recognised name / synonym found in the question: `explained`) — low for 天気, 年金, パスポート;
 *  - covered: share of the question's terms the hit matches (explained terms count when the hit
 *    matched a synonym or name clause);
 *  - bigram evidence: idf mass of the hit's matched bigrams, relative to {@link BIGRAM_MASS_FULL}.
 */
export function confidence(hit: lunr.Index.Result, clauses: Clause[], stats: TermStats, explained: ReadonlySet<string> = new Set()): number {
  const meta = hit.matchData.metadata as Record<string, Record<string, unknown>>;
  const inFields = (term: string, fields: readonly string[]) => {
    const m = meta[term];
    return m !== undefined && fields.some((f) => f in m);
  };
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
      const w = stats.idf(c.term, MORPH_FIELDS);
      const isExplained = explained.has(c.term);
      total += w;
      if (isExplained || stats.df(c.term, MORPH_FIELDS) > 0) known += w;
      if (inFields(c.term, MORPH_FIELDS) || (isExplained && viaSynonymOrName)) covered += w;
    } else if (c.source === 'bigram' && inFields(c.term, BIGRAM_FIELDS)) {
      biMass += stats.idf(c.term, BIGRAM_FIELDS);
    }
  }
  const bigram = Math.min(1, biMass / BIGRAM_MASS_FULL);
  if (total === 0) return bigram / 3;
  return (known / total + covered / total + bigram) / 3;
}

/** Score multipliers that depend on the question: wanted kinds and local desks. */
export interface RankContext {
  /** kinds hinted by the question's words (intents/answers.yaml `kindHints`) */
  kinds: ReadonlySet<KnowledgeRecord['kind']>;
  kindBoost: number;
  /** ids of the desks located in / serving the 市町 and localities the question names */
  localDesks: ReadonlySet<string>;
  localBoost: number;
}

/**
 * The score of a record for this question: lunr score × status weight × kind boost (when its kind
 * is hinted) × local boost (a desk of the named place, or a programme handled by one).
 */
export function adjustedScore(score: number, rec: KnowledgeRecord, ctx: RankContext): number {
  let s = score * STATUS_WEIGHT[rec.status];
  if (ctx.kinds.has(rec.kind)) s *= ctx.kindBoost;
  if (ctx.localDesks.size) {
    const local = rec.kind === 'desk' ? ctx.localDesks.has(rec.id) : rec.kind === 'program' && rec.desk.some((d) => ctx.localDesks.has(d));
    if (local) s *= ctx.localBoost;
  }
  return s;
}
