/**
 * The search service the dialogue engine, the CLI and the eval use: analyse → query the lunr index
 * → rank → decide answered/not found → cards and reply text.
 */
import type lunr from 'lunr';
import type { Card } from '../core/types.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { KnowledgeRecord, RecordKind } from '../knowledge/schema.ts';
import { createAnalyzer, type Analysis, type Analyzer } from '../text/analyzer.ts';
import { findQuantities, matchKey, type Quantity } from '../text/normalize.ts';
import type { Gazetteer } from '../text/gazetteer.ts';
import { preloadTokenizer } from '../text/tokenizer.ts';
import { cardText, recordCard } from './answer.ts';
import { buildAndSaveIndex, buildIndex, loadSavedIndex } from './index-store.ts';
import { mapIndustry } from '../eligibility/classify.ts';
import { ConceptIndex } from './concepts.ts';
import { buildClauses, type Clause } from './query.ts';
import { PARENT_WINDOW, TermStats, adjustedScore, bestCandidates, confidence, consultFallback, preferParents, timeCues, type RankContext, type RankedCandidate } from './rank.ts';
import { fuseScores } from './fuse.ts';
import { PostingWeights } from './postings.ts';
import { recordPrintedText } from './documents.ts';
import { fill, loadAnswersWording, type AnswersWording } from './wording.ts';

/** One ranked record. `score`: lunr BM25 score × status, kind and local weights (src/search/rank.ts; higher is better, not normalised). */
export interface SearchHit {
  record: KnowledgeRecord;
  score: number;
}

/** Options of {@link SearchService.search}. */
export interface SearchOptions {
  /** how many hits to return (default 5, at most 50) */
  top?: number;
  /** record kinds to return (default: every kind except `area`, which serves desk routing) */
  kinds?: RecordKind[];
}

/** Why a question was not answered. */
export type NotAnsweredReason = 'empty' | 'lowConfidence' | 'otherRegion' | 'outOfScope';

/**
 * The answer to one question. When `answered` is false, `hits` is empty, `reply` routes to the
 * general desk (intents/answers.yaml `generalDesk`) and `cards` holds that desk's card.
 */
export interface SearchResponse {
  /** the question as given */
  query: string;
  /** its normalised form (for the unanswered log) */
  normalized: string;
  answered: boolean;
  hits: SearchHit[];
  reply: string;
  cards: Card[];
  /** confidence of the best hit, 0–1 */
  confidence: number;
  reason?: NotAnsweredReason;
}

/** The search service over one KnowledgeBase. `search` never throws. */
export interface SearchService {
  kb: KnowledgeBase;
  analyzer: Analyzer;
  gazetteer: Gazetteer;
  index: lunr.Index;
  /** whether the index was built at startup (false: loaded from .cache) */
  indexBuilt: boolean;
  wording: AnswersWording;
  /** tokens, bigrams, recognised entities {municipalities, localities, records}, quantities … */
  analyze(text: string): Analysis;
  search(text: string, opts?: SearchOptions): SearchResponse;
}

/** Options of {@link createSearchService}. */
export interface CreateSearchOptions {
  wording?: AnswersWording;
  /** 'auto' (default): load the saved index or build and save it; 'memory': build, never touch .cache */
  index?: 'auto' | 'memory';
}

/** A term found in more than this share of the records is not queried (≈ no information, slow); lunr idf weighs the rest. */
const COMMON_TERM_SHARE = 0.6;
/** …but a small catalogue keeps terms up to this many records. */
const MIN_COMMON_DF = 20;
/**
 * A queried term found in more than this share of the records is scored from the index's posting
 * lists rather than through `idx.query()` (same score, src/search/fuse.ts): lunr would build match
 * data and walk a field vector for every record having it.
 */
const FREQUENT_TERM_SHARE = 0.01;
const DEFAULT_KINDS: RecordKind[] = ['program', 'desk', 'definition', 'measure'];
const MAX_TOP = 50;
const QUOTE_MAX = 40;

/**
 * Creates the search service: loads the shared tokenizer (≈0.5 s the first time), the wording, and
 * the saved index for `kb` (building and saving it when the knowledge changed). The wording and the
 * saved index are read while the dictionary loads.
 * @throws Error when the kuromoji dictionary or intents/answers.yaml cannot be read.
 */
export async function createSearchService(kb: KnowledgeBase, options: CreateSearchOptions = {}): Promise<SearchService> {
  preloadTokenizer();
  const wording = options.wording ?? loadAnswersWording();
  const saved = options.index === 'memory' ? null : loadSavedIndex(kb);
  const analyzer = await createAnalyzer(kb, { homeRegion: wording.homeRegion });
  const built = saved === null;
  const index = saved ?? (options.index === 'memory' ? buildIndex(kb, analyzer) : buildAndSaveIndex(kb, analyzer));
  const stats = new TermStats(index);
  const concepts = new ConceptIndex(kb, analyzer.synonyms);
  const cues = timeCues(kb.sources);
  const maxDf = Math.max(MIN_COMMON_DF, COMMON_TERM_SHARE * stats.docCount);
  const informative = (term: string, fields: readonly string[]) => stats.df(term, fields) <= maxDf;
  const postings = new PostingWeights(index);
  const frequentDf = FREQUENT_TERM_SHARE * stats.docCount;
  const frequent = (c: Clause) => c.source !== 'key' && stats.df(c.term, c.fields) > frequentDf;
  const outOfScope = wording.outOfScope.map(matchKey).filter(Boolean);
  const hints = (['program', 'desk', 'definition', 'measure'] as const).map((kind) => ({ kind, words: wording.kindHints[kind].map(matchKey).filter(Boolean) }));
  const deskCategories = new Set(wording.kindHints.deskCategories);
  const printedQuantities = new Map<string, Quantity[]>();
  const recordQuantities = (rec: KnowledgeRecord): Quantity[] => {
    let q = printedQuantities.get(rec.id);
    if (!q) printedQuantities.set(rec.id, (q = findQuantities(recordPrintedText(rec))));
    return q;
  };
  const isDeskLike = (rec: KnowledgeRecord) => rec.kind === 'desk' || (rec.kind === 'program' && deskCategories.has(rec.category));
  const rankContext = (a: Analysis): RankContext => {
    const kinds = new Set(hints.filter((h) => h.words.some((w) => a.folded.includes(w))).map((h) => h.kind));
    const localDesks = new Set<string>();
    for (const m of a.entities.municipalities) {
      const area = kb.byId.get(m.id);
      if (area?.kind !== 'area') continue;
      const named = a.entities.localities.filter((l) => l.areaId === area.id);
      // a named locality decides the desk; otherwise every desk of the 市町
      if (named.some((l) => l.desk)) for (const l of named) if (l.desk) localDesks.add(l.desk);
      else {
        area.desks.forEach((d) => localDesks.add(d));
        if (area.defaultDesk) localDesks.add(area.defaultDesk);
      }
    }
    const employees = a.quantities.find((q) => q.unit === '人')?.value;
    return {
      kinds,
      kindBoost: wording.kindHints.boost,
      deskCategories,
      kindPrior: wording.kindPrior,
      quantities: a.quantities,
      recordQuantities,
      localDesks,
      localBoost: wording.localBoost,
      historical: a.entities.records.some((r) => kb.byId.get(r.id)?.status === 'historical') || cues.historical.some((k) => a.folded.includes(k)),
      past: cues.past.some((k) => a.folded.includes(k)),
      employees,
      industryGroup: employees === undefined ? undefined : (mapIndustry(kb.industries, a.normalized)?.group ?? undefined),
    };
  };

  const generalDeskCard = (): Card[] => {
    const desk = kb.byId.get(wording.generalDesk);
    return desk ? [recordCard(desk, kb, wording)] : [];
  };

  const notAnswered = (query: string, normalized: string, reason: NotAnsweredReason, conf: number, regions: string[] = []): SearchResponse => {
    const desk = kb.byId.get(wording.generalDesk);
    const deskName = desk?.name ?? wording.generalDeskName;
    const phone = desk?.kind === 'desk' ? desk.phone : undefined;
    const quoted = quote(asTyped(query));
    let reply: string;
    if (reason === 'empty') reply = wording.reply.empty;
    else if (reason === 'outOfScope') {
      reply = fill(wording.reply.outOfScope, { query: quoted, deskName, phone }) ?? fill(wording.reply.notFoundNoPhone, { query: quoted, deskName })!;
    } else if (reason === 'otherRegion') {
      reply = fill(wording.reply.otherRegion, { regions: regions.join('・'), deskName, phone }) ?? fill(wording.reply.notFoundNoPhone, { query: quoted, deskName })!;
    } else reply = fill(wording.reply.notFound, { query: quoted, deskName, phone }) ?? fill(wording.reply.notFoundNoPhone, { query: quoted, deskName })!;
    return { query, normalized, answered: false, hits: [], reply, cards: reason === 'empty' ? [] : generalDeskCard(), confidence: conf, reason };
  };

  const search = (text: string, opts: SearchOptions = {}): SearchResponse => {
    const query = typeof text === 'string' ? text : '';
    const top = Math.max(1, Math.min(MAX_TOP, Math.floor(opts.top ?? 5) || 5));
    const kinds = new Set(opts.kinds?.length ? opts.kinds : DEFAULT_KINDS);
    const a = analyzer.analyze(query);
    const clauses = buildClauses(a, analyzer.gazetteer.heads(a.entities.records, a.folded), informative);
    if (clauses.length === 0) return notAnswered(query, a.normalized, 'empty', 0);
    if (a.otherRegions.length) return notAnswered(query, a.normalized, 'otherRegion', 0, a.otherRegions);
    if (a.entities.records.length === 0 && outOfScope.some((k) => a.folded.includes(k))) return notAnswered(query, a.normalized, 'outOfScope', 0);
    const ctx = rankContext(a);
    const conceptOf = concepts.scorer(a.synonyms.groupIds);
    // every record found gets its adjusted score; only the best few become objects (the rest on demand)
    const fused = fuseScores(index, clauses, conceptOf, postings, frequent);
    const adjusted = new Float64Array(postings.size);
    const records: (KnowledgeRecord | undefined)[] = new Array(postings.size);
    const pool: number[] = [];
    for (const d of fused.docs) {
      const record = kb.byId.get(postings.refs[d]);
      if (!record || !kinds.has(record.kind)) continue;
      records[d] = record;
      adjusted[d] = adjustedScore(fused.fused[d], record, ctx);
      pool.push(d);
    }
    const candidate = (d: number): RankedCandidate => ({ record: records[d]!, score: adjusted[d], result: fused.result(d) });
    const made = new Set<number>();
    const more = (id: string): RankedCandidate | undefined => {
      const d = postings.numberOf(id);
      if (d < 0 || !records[d] || made.has(d)) return undefined;
      made.add(d);
      return candidate(d);
    };
    const best = bestCandidates(pool, adjusted, Math.max(top, PARENT_WINDOW, wording.consultFallbackRank) + 1);
    for (const d of best) made.add(d);
    let ranked = preferParents(best.map(candidate), clauses, kb.byId, more).filter((c) => kinds.has(c.record.kind));
    if (ctx.kinds.has('desk') && kinds.has('desk')) ranked = consultFallback(ranked, wording.consultFallbackRank, wording.generalDesk, isDeskLike, kb.byId, more);
    const conf = ranked.length ? confidence(ranked[0].result, clauses, stats, new Set(a.explained), conceptOf(ranked[0].record.id)) : 0;
    if (conf < wording.threshold) return notAnswered(query, a.normalized, 'lowConfidence', conf);
    const hits: SearchHit[] = ranked.slice(0, top).map((r) => ({ record: r.record, score: r.score }));
    const cards = hits.map((h) => recordCard(h.record, kb, wording));
    const shown = cards.slice(0, wording.replyCards);
    // the reply quotes the question as the user typed it; the cards' text (CLI `ask`, staff) cites the lines
    const parts = [fill(wording.reply.found, { query: quote(asTyped(query)) }) ?? '', ...shown.map((c) => cardText(c, wording, { staff: true }))];
    if (ranked.length > shown.length) {
      const more = fill(wording.reply.more, { count: Math.min(ranked.length, top) - shown.length });
      if (more && Math.min(ranked.length, top) > shown.length) parts.push(more);
    }
    return { query, normalized: a.normalized, answered: true, hits, reply: parts.filter(Boolean).join('\n\n'), cards, confidence: conf };
  };

  const safeSearch = (text: string, opts?: SearchOptions): SearchResponse => {
    try {
      return search(text, opts);
    } catch {
      return notAnswered(typeof text === 'string' ? text : '', '', 'lowConfidence', 0);
    }
  };

  return {
    kb,
    analyzer,
    gazetteer: analyzer.gazetteer,
    index,
    indexBuilt: built,
    wording,
    analyze: (text) => analyzer.analyze(text),
    search: safeSearch,
  };
}

/**
 * The question as the user typed it, for quoting back (「ＤＸ補助金」 stays 「ＤＸ補助金」, not the
 * folded 「dx補助金」): control characters removed, runs of white space one space, trimmed.
 */
function asTyped(query: string): string {
  return query.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, ' ').replace(/\s+/g, ' ').trim();
}

function quote(normalized: string): string {
  const chars = [...normalized];
  return chars.length > QUOTE_MAX ? `${chars.slice(0, QUOTE_MAX).join('')}…` : normalized;
}
