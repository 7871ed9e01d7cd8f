/**
 * The search service the dialogue engine, the CLI and the eval use: analyse → query the lunr index
 * → rank → decide answered/not found → cards and reply text.
 */
import type lunr from 'lunr';
import type { Card } from '../core/types.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { KnowledgeRecord, RecordKind } from '../knowledge/schema.ts';
import { createAnalyzer, type Analysis, type Analyzer } from '../text/analyzer.ts';
import { findQuantities, fold, matchKey, normalize, type Quantity } from '../text/normalize.ts';
import { hasHint, hintParts, hintText, hintWord } from '../text/phrase.ts';
import { SlipFinder, withinOneEdit } from '../text/edit.ts';
import { Gazetteer } from '../text/gazetteer.ts';
import { preloadTokenizer } from '../text/tokenizer.ts';
import { cardText, recordCard } from './answer.ts';
import { MORPH_FIELDS, buildAndSaveIndex, buildExtras, buildIndex, indexExtras, loadSavedIndex } from './index-store.ts';
import { industryWordSpans, mapIndustry } from '../text/industry.ts';
import { ConceptIndex } from './concepts.ts';
import { buildClauses, type Clause } from './query.ts';
import { TermStats, adjustedScore, adjustedScoreBound, bestCandidates, confidence, consultFallback, termWeight, timeCues, type RankContext, type RankedCandidate } from './rank.ts';
import { emptyMatchData } from './fuse.ts';
import { KeywordMatcher } from './keywords.ts';
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

/**
 * Why a question was not answered: `unknownName` — it names a programme (〇〇補助金 …) no record
 * has; `unknownTopic` — most of its topical words are unknown to the catalogue.
 */
export type NotAnsweredReason = 'empty' | 'lowConfidence' | 'otherRegion' | 'outOfScope' | 'unknownName' | 'unknownTopic';

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
  /** true when nothing topical matched and the general desk comes first (a consultation question) */
  generalDesk?: boolean;
  /**
   * not answered for low confidence, yet the best candidates came near (confidence ≥ intents/answers.yaml
   * `relatedMin`): up to `relatedCount` of them, offered as possibly related — never as the answer
   * (`reply` names them in `reply.related`'s line after the not-found text)
   */
  related?: SearchHit[];
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
  /**
   * The question's word relevance (adjusted score ≥ 0, unnormalised) to each record of `ids` found by
   * its words; records not found are absent, and the map is empty when the question has no usable
   * word or is out of scope. For re-ordering a few given records. Never throws.
   */
  relevance(text: string, ids: readonly string[]): Map<string, number>;
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
const DEFAULT_KINDS: RecordKind[] = ['program', 'desk', 'definition', 'measure'];
/** Weight of a word that only says a desk is wanted (相談, 窓口, 電話番号: intents/answers.yaml kindHints.desk). */
const CONSULT_WORD_WEIGHT = 0.15;
/**
 * Share of a record's score kept whatever its coverage: score × (COORD_FLOOR + (1 − COORD_FLOOR) ×
 * coverage), coverage being the informativeness-weighted share of the question's words the record
 * has ({@link termWeight}). One shared common word (支援, 事業) no longer decides the ranking.
 */
const COORD_FLOOR = 0.15;
/**
 * `ranked` with `first` (in that order) ahead of the rest, their scores lifted just above the best
 * (×1.02 and up, in order) so that the scores still read as the order.
 */
function putFirst(ranked: RankedCandidate[], first: RankedCandidate[]): RankedCandidate[] {
  const top0 = ranked[0]?.score || 1;
  first.forEach((c, i) => (c.score = Math.max(c.score, top0 * (1.02 + 0.01 * (first.length - i)))));
  return [...first, ...ranked.filter((x) => !first.includes(x))];
}

/** A named record goes first unless the best candidate's coverage exceeds its own by more than this. */
const NAMED_COVER_MARGIN = 0.1;
/** Shortest scheme name (characters) whose absence from the lead's text puts the record named first. */
const SCHEME_NAME_MIN = 5;
/** Most records the question names that are put first (in the order named). */
const NAMED_MAX = 5;
/** Score multiplier of a directory-only desk (no `purposes`, no `keywords`: a 名簿 row) not named by the question. */
const DIRECTORY_ONLY = 0.5;
/** Score added per whole keyword found in the question (× its specificity, at most {@link KEYWORD_MAX} in all). */
const KEYWORD_PHRASE = 0.5;
const KEYWORD_MAX = 1.5;
/** A word of a disaster's name names that disaster when at most this share of the records has it (東日本 yes, 令和 no). */
const DISASTER_WORD_SHARE = 0.03;
/** A question is out of scope when more than this share of its topical words are unknown to the catalogue. */
const UNKNOWN_TOPIC_SHARE = 0.5;
const MAX_TOP = 50;
/** Shortest record name a mistyped programme name is matched to (one edit away). */
const NEAR_NAME_MIN = 5;
/**
 * A programme name the question uses with this many content words (two characters or more) or more
 * is one the catalogue lacks when no programme name holds all of them but one (「中小企業カーボンゼロ特別
 * 減税」); a shorter one (「人材育成助成金」) may be the user's own short name for a real programme.
 */
const LONG_NAME_MODIFIERS = 3;
/** Share of the records a word occurs in from which it names no topic of a consultation question (see `generic`). */
const GENERIC_SHARE = 1 / 3;
const QUOTE_MAX = 40;
/** Longest question (normalised characters) read once more with the names it wrote by their reading as printed. */
const REREAD_MAX_CHARS = 200;
/** Most terms whose synonym groups are remembered ({@link createSearchService}'s groupsOfTerm). */
const TERM_GROUPS_MAX = 20_000;

/** A deep copy of a card (its objects are flat: fields, numbers, notes and buttons are copied one level down); ≈10× cheaper than structuredClone. */
export function copyCard(c: Card): Card {
  const out: Card = { ...c, fields: c.fields.map((f) => ({ ...f })) };
  if (c.dial) out.dial = c.dial.map((d) => ({ ...d }));
  if (c.notes) out.notes = [...c.notes];
  if (c.actions) out.actions = c.actions.map((a) => ({ ...a }));
  return out;
}

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
  const savedExtras = saved ? indexExtras(saved) : undefined;
  const analyzer = await createAnalyzer(kb, { homeRegion: wording.homeRegion, regionHeads: wording.regionHeads, partyHeads: wording.partyHeads, setupSegments: savedExtras?.segments });
  const keywordMatcher = new KeywordMatcher(kb, analyzer.segmenter());
  const built = saved === null;
  const index = saved ?? (options.index === 'memory' ? buildIndex(kb, analyzer) : buildAndSaveIndex(kb, analyzer));
  const stats = new TermStats(index);
  const extras = indexExtras(index) ?? buildExtras(kb, analyzer);
  const concepts = new ConceptIndex(stats.docCount, extras.concepts);
  analyzer.gazetteer.setGenericAliases(extras.generic);
  analyzer.setNameReadings(extras.nameReadings);
  const known = (term: string) => stats.df(term, MORPH_FIELDS) > 0;
  /** a word in {@link GENERIC_SHARE} of the records or more: it tells no topic (事業 65 %, 支援 55 %, 企業 50 %, 中小 35 %) */
  const generic = (term: string) => stats.df(term, MORPH_FIELDS) >= GENERIC_SHARE * stats.docCount;
  const byReading = new Map<string, string[]>();
  for (const [term, reading] of extras.readings) {
    const list = byReading.get(reading);
    if (list) list.push(term);
    else byReading.set(reading, [term]);
  }
  const compounds = new Map(extras.compounds);
  analyzer.setVocabulary({ known, readings: byReading, compound: (x, y) => compounds.get(`${x}\0${y}`) ?? 0 });
  const consultWords = wording.kindHints.desk.map(hintParts).filter((p) => p.length);
  const contactWords = wording.contactWords.map(hintParts).filter((p) => p.length);
  /** synonym groups that only say a desk is wanted: their canonical word is a desk hint (窓口) */
  const deskHintWords = new Set(wording.kindHints.desk.map(matchKey));
  const signalGroups = new Set(analyzer.synonyms.canonicals.flatMap((c, g) => (deskHintWords.has(matchKey(c)) ? [g] : [])));
  const termWords = wording.termWords.map(hintParts).filter((p) => p.length);
  analyzer.endSetup();
  const cues = timeCues(kb.sources);
  const maxDf = Math.max(MIN_COMMON_DF, COMMON_TERM_SHARE * stats.docCount);
  const informative = (term: string, fields: readonly string[]) => stats.df(term, fields) <= maxDf;
  const postings = new PostingWeights(index);
  concepts.number((id) => postings.numberOf(id), postings.size);
  // what ranking reads of every record found, by record number (one array read, not a look-up by id per record)
  const recordAt: (KnowledgeRecord | undefined)[] = postings.refs.map((ref) => kb.byId.get(ref));
  // kinds by number (index in kindNames; records not in the knowledge get an index no kind has)
  const kindNames: RecordKind[] = [...new Set(kb.records.map((r) => r.kind))];
  const kindAt = Uint8Array.from(recordAt, (r) => (r ? kindNames.indexOf(r.kind) : kindNames.length));
  const priorAt = Float64Array.from(recordAt, (r) => (r && Object.prototype.hasOwnProperty.call(wording.sourcePrior, r.source.file) ? (wording.sourcePrior[r.source.file] ?? 1) : 1));
  // a question asking for the national programmes (「国の補助金」) or the prefecture's (「県の制度」):
  // the records of the national sources (wording.nationalSources) or the others get scopeFactor
  const national = (r: KnowledgeRecord | undefined) => !!r && wording.nationalSources.includes(r.source.file);
  const priorFor = {
    national: Float64Array.from(recordAt, (r) => (national(r) ? 1 : wording.scopeFactor)),
    prefectural: Float64Array.from(recordAt, (r, d) => (national(r) ? priorAt[d] * wording.scopeFactor : 1)),
  };
  const directoryOnlyAt = Uint8Array.from(recordAt, (r) => (r?.kind === 'desk' && !r.purposes?.length && !r.keywords?.length ? 1 : 0));
  // every clause is scored from the index's posting lists (the scores lunr's idx.query() gives,
  // src/search/fuse.ts, pinned by test/search-fuse.test.ts) without lunr's match data per record
  const fromPostings = () => true;
  const outOfScope = wording.outOfScope.map(matchKey).filter(Boolean);
  const hints = (['program', 'desk', 'definition', 'measure'] as const).map((kind) => ({ kind, words: wording.kindHints[kind].map(hintParts).filter((p) => p.length) }));
  const deskCategories = new Set(wording.kindHints.deskCategories);
  const categoryHints = wording.categoryHints.hints.map((h) => ({ categories: h.categories, words: h.words.map(hintParts).filter((p) => p.length) }));
  const printedQuantities = new Map<string, Quantity[]>();
  const recordQuantities = (rec: KnowledgeRecord): Quantity[] => {
    let q = printedQuantities.get(rec.id);
    if (!q) printedQuantities.set(rec.id, (q = findQuantities(recordPrintedText(rec))));
    return q;
  };
  /**
   * For each programme for those one disaster hit (`disasters`), what names that disaster: the
   * synonym groups of its names (新型コロナ: コロナ, コロナ禍 …) and the rarer words of its names (東日本,
   * 熊本, 令和2年7月: in at most {@link DISASTER_WORD_SHARE} of the records) — never a word of the
   * synonym groups of intents/answers.yaml `genericDisaster` (災害: 台風, 豪雨, 地震 are any disaster's).
   * Worked out on first use.
   */
  let disasterWords: Map<number, { groups: Set<number>; terms: Set<string> }> | null = null;
  const disasterWordsOf = () => {
    if (disasterWords) return disasterWords;
    disasterWords = new Map();
    const generic = new Set(wording.genericDisaster ? analyzer.synonyms.expand(wording.genericDisaster).groupIds : []);
    const genericKeys = new Set([...generic].flatMap((g) => analyzer.synonyms.members(g)).map((m) => matchKey(m)));
    const rare = Math.max(1, Math.floor(DISASTER_WORD_SHARE * kb.records.length));
    for (const rec of kb.records) {
      if (rec.kind !== 'program' || !rec.disasters?.length) continue;
      const groups = new Set<number>();
      const terms = new Set<string>();
      for (const d of rec.disasters) {
        for (const g of analyzer.synonyms.expand(d).groupIds) if (!generic.has(g)) groups.add(g);
        for (const t of analyzer.tokens(d)) if ([...t].length >= 2 && !/^\d+$/.test(t) && !genericKeys.has(t) && stats.df(t, MORPH_FIELDS) <= rare) terms.add(t);
      }
      const d = postings.numberOf(rec.id);
      if (d >= 0) disasterWords.set(d, { groups, terms });
    }
    return disasterWords;
  };
  const isDeskLike = (rec: KnowledgeRecord) => rec.kind === 'desk' || (rec.kind === 'program' && deskCategories.has(rec.category));
  /** `ht`: the question's {@link hintText} (made once per question by the caller) */
  const rankContext = (a: Analysis, ht: string): RankContext => {
    const kinds = new Set(hints.filter((h) => h.words.some((w) => hasHint(ht, w))).map((h) => h.kind));
    const categories = new Set(categoryHints.filter((h) => h.words.some((w) => hasHint(ht, w))).flatMap((h) => h.categories));
    const localDesks = new Set<string>();
    for (const m of a.entities.municipalities) {
      const area = kb.byId.get(m.id);
      if (area?.kind !== 'area') continue;
      const named = a.entities.localities.filter((l) => l.areaId === area.id);
      // a named locality decides the desk; otherwise every desk of the 市町
      if (named.some((l) => l.desk)) {
        for (const l of named) if (l.desk) localDesks.add(l.desk);
      } else {
        area.desks.forEach((d) => localDesks.add(d));
        if (area.defaultDesk) localDesks.add(area.defaultDesk);
      }
    }
    const employees = a.quantities.find((q) => q.unit === '人')?.value;
    return {
      kinds,
      kindBoost: wording.kindHints.boost,
      deskCategories,
      deskCategoryBoost: wording.kindHints.deskCategoryBoost,
      categories,
      categoryBoost: wording.categoryHints.boost,
      kindPrior: wording.kindPrior,
      quantities: a.quantities,
      recordQuantities,
      localDesks,
      localBoost: wording.localBoost,
      otherDistrictFactor: wording.otherDistrictFactor,
      historical: a.entities.records.some((r) => kb.byId.get(r.id)?.status === 'historical') || cues.historical.some((k) => a.folded.includes(k)),
      past: cues.past.some((k) => a.folded.includes(k)),
      employees,
      industryGroup: employees === undefined ? undefined : (mapIndustry(kb.industries, a.normalized)?.group ?? undefined),
    };
  };

  // a record's card and its text are the same all day (a reception period ends by the date):
  // made once per record and day, each caller getting its own copy (the dialogue edits its cards)
  let cardDay = '';
  const madeCards = new Map<string, { card: Card; text: string }>();
  const cardAndText = (rec: KnowledgeRecord): { card: Card; text: string } => {
    const day = new Date().toISOString().slice(0, 10);
    if (day !== cardDay) (madeCards.clear(), (cardDay = day));
    let m = madeCards.get(rec.id);
    if (!m) {
      const card = recordCard(rec, kb, wording);
      madeCards.set(rec.id, (m = { card, text: cardText(card, wording, { staff: true }) }));
    }
    return m;
  };
  const cardOf = (rec: KnowledgeRecord): Card => copyCard(cardAndText(rec).card);
  const generalDeskCard = (): Card[] => {
    const desk = kb.byId.get(wording.generalDesk);
    return desk ? [cardOf(desk)] : [];
  };

  const notAnswered = (query: string, normalized: string, reason: NotAnsweredReason, conf: number, regions: string[] = [], related: SearchHit[] = []): SearchResponse => {
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
    // a programme name the catalogue does not have: say which
    if (reason === 'unknownName' && regions.length) reply = fill(wording.reply.notFound, { query: regions.join('・'), deskName, phone }) ?? fill(wording.reply.notFoundNoPhone, { query: regions.join('・'), deskName })!;
    const relatedLine = related.length ? fill(wording.reply.related ?? '', { names: related.map((h) => h.record.name).join('、') }) : null;
    return {
      query,
      normalized,
      answered: false,
      hits: [],
      reply: relatedLine ? `${reply}\n\n${relatedLine}` : reply,
      cards: reason === 'empty' ? [] : generalDeskCard(),
      confidence: conf,
      reason,
      ...(relatedLine ? { related } : {}),
    };
  };

  /**
   * Coverage of each record (by record number, 0–1): the {@link termWeight}-weighted share of the
   * question's words (token clauses, consult signals excepted) it has in a morphological field; a word
   * explained by a synonym group counts by the record's concept share. null when the question has no word.
   */
  const coverageOf = (a: Analysis, clauses: Clause[], weightOf: (t: string) => number, explained: ReadonlySet<string>, concept: Float64Array, kwTerms: ReadonlyMap<string, ReadonlySet<string>>): Float64Array | null => {
    // the records whose keyword the question uses whole, by the words of that keyword
    const kwDocsOf = new Map<string, number[]>();
    for (const [id, terms] of kwTerms) {
      const d = postings.numberOf(id);
      if (d < 0) continue;
      for (const t of terms) {
        const l = kwDocsOf.get(t);
        if (l) l.push(d);
        else kwDocsOf.set(t, [d]);
      }
    }
    const units = clauses.filter((c) => c.source === 'token');
    let total = 0;
    const cov = new Float64Array(postings.size);
    const stamp = new Int32Array(postings.size).fill(-1);
    // a word explained by a synonym group counts for a record having the group's concept, by its
    // share, unless the record has the word itself: summed once at the end (not per word × record)
    let explainedTotal = 0;
    const explainedHas = new Float64Array(postings.size);
    units.forEach((c, i) => {
      const u = termWeight(c.term, stats, weightOf) * (c.boost > 0 ? 1 : 0);
      if (!u) return;
      total += u;
      const ex = explained.has(c.term);
      if (ex) explainedTotal += u;
      for (const f of MORPH_FIELDS) {
        const { docs } = postings.list(c.term, f);
        for (let j = 0; j < docs.length; j++) {
          const d = docs[j];
          if (stamp[d] === i) continue;
          stamp[d] = i;
          cov[d] += u;
          if (ex) explainedHas[d] += u;
        }
      }
      for (const d of kwDocsOf.get(c.term) ?? []) {
        if (stamp[d] === i) continue;
        stamp[d] = i;
        cov[d] += u;
        if (ex) explainedHas[d] += u;
      }
    });
    void a;
    if (!total) return null;
    if (explainedTotal) for (let d = 0; d < concept.length; d++) if (concept[d] > 0) cov[d] += Math.min(1, concept[d]) * (explainedTotal - explainedHas[d]);
    for (let d = 0; d < cov.length; d++) cov[d] = Math.min(1, cov[d] / total);
    return cov;
  };

  /**
   * Coverage (0–1) of one record as {@link coverageOf} computes it, except that a word explained by a
   * synonym group counts whole when the record has that word's own group (「金利」 for a record that
   * states its 利率): used to compare a record the question names with the best one.
   */
  const namedCoverage = (d: number, clauses: Clause[], weightOf: (t: string) => number, explained: ReadonlySet<string>, kwTerms: ReadonlyMap<string, ReadonlySet<string>>, written: ReadonlySet<string>): number => {
    const id = postings.refs[d];
    const kw = kwTerms.get(id);
    const groups = concepts.groupsOf(id);
    const hasGroupOf = (term: string) => groupsOfTerm(term).some((g) => groups.has(g));
    let total = 0;
    let got = 0;
    for (const c of clauses) {
      if (c.source !== 'token') continue;
      const u = termWeight(c.term, stats, weightOf) * (c.boost > 0 ? 1 : 0);
      if (!u) continue;
      total += u;
      const has = written.has(c.term) || MORPH_FIELDS.some((f) => postings.contains(c.term, f, d)) || kw?.has(c.term) || (explained.has(c.term) && hasGroupOf(c.term));
      if (has) got += u;
    }
    return total ? got / total : 1;
  };

  /**
   * The synonym groups a term is a member of, looked up once per term. Only words explained by a
   * synonym member or keyword the question uses are asked (catalogue vocabulary), and the memo is
   * emptied past {@link TERM_GROUPS_MAX} entries, so user text cannot grow it without bound.
   */
  const termGroups = new Map<string, readonly number[]>();
  const groupsOfTerm = (term: string): readonly number[] => {
    let ids = termGroups.get(term);
    if (!ids) {
      if (termGroups.size >= TERM_GROUPS_MAX) termGroups.clear();
      termGroups.set(term, (ids = analyzer.synonyms.expand(term).groupIds));
    }
    return ids;
  };

  /** Record `id`'s name or alias as printed (normalised) whose {@link matchKey} is `key`, or undefined. */
  const printedName = (id: string, key: string): string | undefined => {
    const rec = kb.byId.get(id);
    const printed = rec ? [rec.name, ...rec.aliases].find((x) => matchKey(x) === key) : undefined;
    return printed === undefined ? undefined : normalize(printed);
  };

  const allNameKeys = [...analyzer.gazetteer.recordKeys.keys()];
  const nameKeys = allNameKeys.filter((k) => k.length >= NEAR_NAME_MIN);
  /**
   * Name keys of the programmes: a record's name or alias holding a word that names a scheme
   * (intents/answers.yaml `schemeWords`; all of them when none is set) — 「…DX推進拠点」 is a place,
   * not the 「山口DX推進奨励金」 a question names.
   */
  const schemeWords = wording.schemeWords.map(matchKey).filter(Boolean);
  const programmeNameKeys = kb.records.filter((r) => r.kind === 'program').flatMap((r) => Gazetteer.keysOf(r)).filter((k) => !schemeWords.length || schemeWords.some((w) => k.includes(w)));
  const programmeKeySet = new Set(programmeNameKeys);
  /** the home region as a programme name may begin (山口県, 山口, やまぐち: folded) */
  const homeKeys = [...new Set([wording.homeRegion + '県', wording.homeRegion, ...wording.homeRegionAliases].map(matchKey))];
  /**
   * The desk a programme runs — one of its `desk` whose name (without the home region: 山口県〇〇)
   * its own name contains (「知財総合支援窓口運営事業」 → 山口県知財総合支援窓口) — or undefined.
   */
  const ownDeskMemo = new Map<string, KnowledgeRecord | null>();
  const ownDesk = (rec: KnowledgeRecord): KnowledgeRecord | undefined => {
    let d = ownDeskMemo.get(rec.id);
    if (d === undefined) {
      const name = matchKey(rec.name);
      d = null;
      for (const id of rec.kind === 'program' ? (rec.desk ?? []) : []) {
        const desk = kb.byId.get(id);
        if (desk?.kind !== 'desk') continue;
        let core = matchKey(desk.name);
        for (const h of homeKeys) if (core.startsWith(h) && core.length - h.length >= 4) core = core.slice(h.length);
        if (name.includes(core)) {
          d = desk;
          break;
        }
      }
      ownDeskMemo.set(rec.id, d);
    }
    return d ?? undefined;
  };

  /** Where the home region (a {@link homeKeys} key) begins a programme name the question uses, at or before the name as read; null when it does not. */
  const homeAt = (a: Analysis, np: Analysis['namedPrograms'][number]): { key: string; start: number } | null => {
    for (const h of homeKeys) {
      for (let s = Math.max(0, np.start - h.length + 1); s <= np.start; s++) if (fold(a.normalized.slice(s, s + h.length)) === h) return { key: h, start: s };
    }
    return null;
  };
  /** The name as typed: from where the home region begins when kuromoji read the name from inside it (「やまぐち理容室応援金」, read from ぐち). */
  const typedName = (a: Analysis, np: Analysis['namedPrograms'][number]): string => {
    const home = homeAt(a, np);
    return home && home.start < np.start ? a.normalized.slice(home.start, np.end) : np.text;
  };
  /**
   * The place a programme name the question uses begins with when it is the home region or one of its
   * 市町 (folded: 「やまぐち」「山口県」「宇部市」; also a 市町 without 市/町, 「宇部〇〇」), else null. The
   * home region may begin before the name as read (kuromoji splits やまぐち into や/ま/ぐち).
   */
  const ownPlace = (a: Analysis, np: Analysis['namedPrograms'][number]): string | null => {
    const home = homeAt(a, np);
    if (home) return home.key;
    const key = matchKey(np.text);
    for (const m of a.entities.municipalities) {
      if (m.viaLocality) continue;
      const full = matchKey(m.name);
      const bare = full.length > 2 ? full.slice(0, -1) : full;
      if (key.startsWith(full) || key.startsWith(bare)) return full;
    }
    return null;
  };

  /**
   * The name or alias (as printed) of a record whose key is one edit away from `key` (a programme
   * name the question uses that no record has), or undefined. Names of {@link NEAR_NAME_MIN}
   * characters or more only: a shorter one is too easily another word.
   */
  const nearName = (key: string): string | undefined => {
    if (key.length < NEAR_NAME_MIN) return undefined;
    const k = nameKeys.find((n) => withinOneEdit(n, key));
    if (!k) return undefined;
    for (const id of analyzer.gazetteer.recordKeys.get(k) ?? []) {
      const printed = printedName(id, k);
      if (printed) return printed;
    }
    return undefined;
  };

  /**
   * What the question's words say about the records of `kinds`: the analysis, the clauses, and each
   * record's adjusted score on demand; or why the question is not answered at all.
   */
  const evidenceOnce = (query: string, kinds: ReadonlySet<RecordKind>) => {
    const a = analyzer.analyze(query);
    const heads = analyzer.gazetteer.heads(a.entities.records, a.folded);
    // words that only say a desk is wanted (「どこに相談」「窓口」「電話番号」) are a signal, not content
    const ht = hintText(a.normalized);
    const consultPhrases = consultWords.filter((k) => hasHint(ht, k)).flat().map(hintWord);
    const signal = new Set(a.words.filter((w) => consultPhrases.some((k) => k.includes(w.surface))).map((w) => w.term));
    const weightOf = (t: string) => (signal.has(t) ? CONSULT_WORD_WEIGHT : (a.weights.get(t) ?? 1));
    const clauses = buildClauses(a, heads, informative, weightOf);
    if (clauses.length === 0) return { a, reason: 'empty' as const, regions: [] as string[] };
    if (a.otherRegions.length) return { a, reason: 'otherRegion' as const, regions: a.otherRegions };
    // a word of what the bot does not serve (住宅ローン), unless it is part of a record the question names
    if (outOfScope.some((k) => a.folded.includes(k) && !a.entities.records.some((r) => r.matched.includes(k) || k.includes(r.matched)))) return { a, reason: 'outOfScope' as const, regions: [] as string[] };
    const explained = new Set(a.explained);
    // whole keywords of records found in the question: evidence for their records, and their words are catalogue vocabulary
    const kwHits = keywordMatcher.hits(a.normalized, a.segments);
    const kwTerms = new Map<string, Set<string>>();
    const kwScore = new Map<string, number>();
    for (const h of kwHits) {
      const terms = a.words.filter((w) => w.start < h.end && w.end > h.start).map((w) => w.term);
      for (const t of terms) explained.add(t);
      for (const id of h.ids) {
        kwScore.set(id, (kwScore.get(id) ?? 0) + h.weight);
        let set = kwTerms.get(id);
        if (!set) kwTerms.set(id, (set = new Set()));
        for (const t of terms) set.add(t);
      }
    }
    const recordKeys = a.entities.records.map((r) => r.matched);
    // a programme named (〇〇補助金) that no record has, its modifier unknown to the catalogue
    for (const np of a.namedPrograms) {
      const key = matchKey(np.text);
      // (the home region alone, a record's alias, does not make 「山口県〇〇助成金」 that record's name)
      // (a record's name inside it counts when it names a scheme: 「山口県ものづくり補助金」, not 「…小規模事業者…給付金」)
      if (analyzer.gazetteer.recordKeys.has(key) || recordKeys.some((k) => k.includes(key) || (key.includes(k) && !homeKeys.includes(k) && programmeKeySet.has(k)))) continue;
      const unknownModifier = np.modifiers.some((m) => !known(m) && !explained.has(m));
      // named as the prefecture's or one of its 市町's own (「山口県〇〇助成金」「やまぐち〇〇給付金」「宇部市〇〇
      // 奨励金」) while no programme name holds its other words together: a name the catalogue does not
      // have, however well each word is known
      const place = ownPlace(a, np);
      const rest = place ? np.modifiers.filter((m) => !place.includes(m) && m !== '県' && m !== '市' && m !== '町') : [];
      const unknownOwn = rest.length > 0 && !programmeNameKeys.some((n) => rest.every((m) => n.includes(m)));
      // a long name (three modifiers or more) of which no programme name holds all words but one
      const words = np.modifiers.filter((m) => m.length >= 2);
      const unknownLong = !place && words.length >= LONG_NAME_MODIFIERS && !programmeNameKeys.some((n) => words.filter((m) => n.includes(m)).length >= words.length - 1);
      // a record's name typed with one slip whose words are all known (「人財開発支援助成金」): read again with it
      const slip = unknownModifier || unknownOwn || unknownLong ? undefined : nearName(key);
      if (slip) return { a, reason: 'unknownName' as const, regions: [typedName(a, np)], retry: a.normalized.slice(0, np.start) + slip + a.normalized.slice(np.end) };
      if (unknownModifier || unknownOwn || unknownLong) {
        // a record's name typed with one slip (「キャリヤアップ助成金」): `evidence` reads the text again with that name
        const near = nearName(key);
        return { a, reason: 'unknownName' as const, regions: [typedName(a, np)], retry: near && a.normalized.slice(0, np.start) + near + a.normalized.slice(np.end) };
      }
    }
    // most topical words unknown to the catalogue
    const topical = [...new Set(a.words.filter((w) => w.weight >= 1 && !signal.has(w.term)).map((w) => w.term))];
    const unknownTopical = topical.filter((t) => !known(t) && !explained.has(t));
    // (asked where to consult in a 市町 of ours — 「萩で土産物屋をしよるんじゃけど、どこに相談すりゃ」 — the
    // local desks answer whatever the trade: no question of that kind is out of scope)
    const localConsult = signal.size > 0 && a.entities.municipalities.length > 0;
    if (!heads.length && !localConsult && topical.length && unknownTopical.length / topical.length > UNKNOWN_TOPIC_SHARE) return { a, reason: 'unknownTopic' as const, regions: [] as string[] };
    const ctx = rankContext(a, ht);
    const conceptShare = concepts.shares(a.synonyms.groupIds);
    // every record found gets its adjusted score; only the best few become objects (the rest on demand)
    const fused = fuseScores(index, clauses, conceptShare, postings, fromPostings);
    const coverage = coverageOf(a, clauses, weightOf, explained, fused.concept, kwTerms);
    // a record whose keyword the question uses whole is a candidate even when lunr did not find it
    const extraAt = new Map<number, number>();
    for (const id of kwScore.keys()) {
      const d = postings.numberOf(id);
      if (d >= 0 && !fused.fused[d] && !fused.has(d) && !extraAt.has(d)) extraAt.set(d, extraAt.size);
    }
    // equal scores keep lunr's order; records found only by a keyword come after, in keyword order
    const before = (x: number, y: number): boolean => {
      const ex = extraAt.get(x);
      const ey = extraAt.get(y);
      if (ex === undefined && ey === undefined) return fused.before(x, y);
      if (ex === undefined || ey === undefined) return ex === undefined;
      return ex < ey;
    };
    const named = new Set(heads.map((h) => h.id));
    // a record's adjusted score is computed when it can still enter the best few (its upper bound
    // — fused score × the largest factors — beats the k-th so far) or when it is asked for by id
    const NOT_SCORED = -1;
    const adjusted = new Float64Array(postings.size).fill(NOT_SCORED);
    const inPool = new Uint8Array(postings.size);
    const pool: number[] = [];
    const kindOk = kindNames.map((k) => kinds.has(k));
    for (const d of [...fused.found, ...extraAt.keys()]) {
      if (!kindOk[kindAt[d]] || inPool[d]) continue;
      inPool[d] = 1;
      pool.push(d);
    }
    const base = (d: number) => fused.fused[d] + (kwScore.size ? KEYWORD_PHRASE * Math.min(KEYWORD_MAX, kwScore.get(postings.refs[d]) ?? 0) : 0);
    const factorBound = adjustedScoreBound(ctx);
    const prior = a.scope ? priorFor[a.scope] : priorAt;
    const upper = (d: number) => base(d) * factorBound * (coverage ? COORD_FLOOR + (1 - COORD_FLOOR) * coverage[d] : 1) * prior[d];
    // a special measure for those one disaster hit, the question naming neither a record nor that
    // disaster: the standing scheme for the same need comes first (台風で… → 災害復旧貸付)
    const special = named.size || wording.disasterPrior === 1 ? null : disasterWordsOf();
    const adjustedOf = (d: number): number => {
      if (adjusted[d] !== NOT_SCORED) return adjusted[d];
      const record = recordAt[d]!;
      let sc = adjustedScore(base(d), record, ctx);
      if (coverage) sc *= COORD_FLOOR + (1 - COORD_FLOOR) * coverage[d];
      sc *= prior[d];
      if (directoryOnlyAt[d] && !named.has(record.id)) sc *= DIRECTORY_ONLY;
      if (special && special.has(d)) {
        const w = special.get(d)!;
        if (!a.synonyms.groupIds.some((g) => w.groups.has(g)) && !a.tokens.some((t) => w.terms.has(t))) sc *= wording.disasterPrior;
      }
      return (adjusted[d] = sc);
    };
    return { a, reason: null, ht, heads, signal, weightOf, clauses, explained, kwTerms, topical, ctx, conceptShare, coverage, fused, inPool, pool, adjustedOf, upper, before, named };
  };

  /**
   * The question with each record name it wrote by its reading (「まるけい融資」「経営力工場計画」) replaced
   * by that name as printed, so that it is scored as if written so (the reply still quotes what was
   * typed); undefined when no name was read by its reading.
   */
  const withNamesAsPrinted = (a: Analysis): string | undefined => {
    const read = a.entities.records.filter((r) => r.key && r.span).sort((x, y) => y.span![0] - x.span![0]);
    if (!read.length) return undefined;
    let text = a.normalized;
    let before = Infinity; // start of the last span replaced: spans are replaced from the end, never overlapping
    for (const r of read) {
      if (r.span![1] > before) continue;
      const printed = printedName(r.id, r.key!);
      if (!printed) continue;
      text = text.slice(0, r.span![0]) + printed + text.slice(r.span![1]);
      before = r.span![0];
    }
    return text === a.normalized ? undefined : text;
  };

  /**
   * {@link evidenceOnce}, read once more (never twice) on the corrected text when a programme name was
   * mistyped by one character, or when a name was written by its reading.
   */
  const evidence = (query: string, kinds: ReadonlySet<RecordKind>) => {
    const ev = evidenceOnce(query, kinds);
    if (ev.reason === 'unknownName' && ev.retry) return evidenceOnce(ev.retry, kinds);
    if (ev.reason === 'otherRegion' || ev.reason === 'outOfScope' || ev.reason === 'empty') return ev;
    // a paste is read once (bounded work): only a question of a few sentences is read again
    if (ev.a.normalized.length > REREAD_MAX_CHARS) return ev;
    const asPrinted = withNamesAsPrinted(ev.a) ?? withSlipsMended(ev.a);
    return asPrinted === undefined ? ev : evidenceOnce(asPrinted, kinds);
  };

  const slips = new SlipFinder(analyzer.gazetteer.recordKeys.keys());
  /** every record's printed text, folded, in one string (≈0.2 M characters; ≈50 ms to make, so made here, not in a turn) */
  const catalogueText = kb.records.map((r) => matchKey(recordPrintedText(r))).join('\n');
  /**
   * The question with each name written with one character replaced (「よろず支援拠店」) spelt as its
   * record prints it, or undefined when it has none; a slip inside a name written exactly is left alone.
   */
  const withSlipsMended = (a: Analysis): string | undefined => {
    // positions are those of the folded text: only when folding kept every character in place
    if (a.folded.length !== a.normalized.length) return undefined;
    // names and places written exactly: the character replaced is never one of theirs (「萩の商工会議所」
    // is not 「光の商工会議所」 mistyped; よろず in 「よろず支援拠店」 does not stop 店 being mended)
    const written = [...a.entities.records, ...a.entities.municipalities].map((r) => [r.end - r.matched.length, r.end] as const);
    let text = a.normalized;
    for (const slip of slips.find(a.folded).sort((x, y) => y.start - x.start)) {
      if (written.some(([s, e]) => s <= slip.at && slip.at < e)) continue;
      // nor is what the catalogue itself writes (脱炭素関連製品 is no slip of 脱炭素関連枠)
      if (catalogueText.includes(a.folded.slice(slip.start, slip.end))) continue;
      const id = [...(analyzer.gazetteer.recordKeys.get(slip.key) ?? [])][0];
      const printed = id ? printedName(id, slip.key) : undefined;
      if (printed) text = text.slice(0, slip.start) + printed + text.slice(slip.end);
    }
    return text === a.normalized ? undefined : text;
  };

  /**
   * Relevance of the question's words to each record of `ids` (adjusted score, as in `search`, before
   * a named record or the general desk is lifted; absent: not found): for re-ordering a few given
   * records (the desks of a topic) without ranking the whole catalogue a second time. Empty when the
   * question would not be answered for lack of words or scope. Never throws.
   */
  const relevance = (text: string, ids: readonly string[]): Map<string, number> => {
    const out = new Map<string, number>();
    try {
      const wanted = new Set<RecordKind>();
      for (const id of ids) {
        const k = kb.byId.get(id)?.kind;
        if (k) wanted.add(k);
      }
      const ev = evidence(typeof text === 'string' ? text : '', wanted);
      if (ev.reason !== null) return out;
      for (const id of ids) {
        const d = postings.numberOf(id);
        if (d >= 0 && ev.inPool[d]) out.set(id, ev.adjustedOf(d));
      }
    } catch {
      out.clear();
    }
    return out;
  };

  /** terms of the question's words inside an industry word it writes (「運送業をしています」 → 運送, 業) */
  const tradeTerms = (a: Analysis): string[] => {
    if (a.folded.length !== a.normalized.length) return [];
    const spans = industryWordSpans(kb.industries, a.folded);
    return spans.length ? a.words.filter((w) => spans.some(([st, e]) => w.start < e && w.end > st)).map((w) => w.term) : [];
  };

  /** the 商工会議所・商工会 (wording.localDeskTypes) among the desks of the places the question names */
  const localChambers = (ctx: RankContext): KnowledgeRecord[] =>
    [...ctx.localDesks].map((id) => kb.byId.get(id)).filter((r): r is KnowledgeRecord => r?.kind === 'desk' && wording.localDeskTypes.includes(r.deskType ?? ''));

  const search = (text: string, opts: SearchOptions = {}): SearchResponse => {
    const query = typeof text === 'string' ? text : '';
    const top = Math.max(1, Math.min(MAX_TOP, Math.floor(opts.top ?? 5) || 5));
    const kinds = new Set(opts.kinds?.length ? opts.kinds : DEFAULT_KINDS);
    const ev = evidence(query, kinds);
    const { a } = ev;
    if (ev.reason !== null) return notAnswered(query, a.normalized, ev.reason, 0, ev.regions);
    const { ht, heads, signal, weightOf, clauses, explained, kwTerms, topical, ctx, conceptShare, coverage, fused, inPool, pool, adjustedOf, upper, before, named } = ev;
    const candidate = (d: number): RankedCandidate => ({ record: recordAt[d]!, score: adjustedOf(d), result: fused.result(d) });
    const made = new Set<number>();
    const more = (id: string): RankedCandidate | undefined => {
      const d = postings.numberOf(id);
      if (d < 0 || !inPool[d] || made.has(d)) return undefined;
      made.add(d);
      return candidate(d);
    };
    /** `rec` as ranked, else made now (scored when it is in the pool), else with score 0 (lifted by putFirst) */
    const candidateOf = (rec: KnowledgeRecord): RankedCandidate => ranked.find((x) => x.record.id === rec.id) ?? more(rec.id) ?? { record: rec, score: 0, result: { ref: rec.id, score: 0, matchData: emptyMatchData() } };
    const best = bestCandidates(pool, adjustedOf, Math.max(top, wording.consultFallbackRank) + 1, upper, before);
    for (const d of best) made.add(d);
    // a scheme that matched keeps its place above its 事業: the most specific record first (a card
    // names the scheme's 事業 beside it, src/dialogue/results.ts schemeTitle)
    let ranked = best.map(candidate).filter((c) => kinds.has(c.record.kind));
    // a record the question names comes first (heads: the most specific of the names used), unless
    // the best candidate covers clearly more of the question (the name is only its context:
    // 「女性向けの創業セミナー」 names 創業セミナー but asks for the women's one)
    if (named.size && ranked.length) {
      const covOf = (c: RankedCandidate) => (coverage ? coverage[postings.numberOf(c.record.id)] : 1);
      // the words of the name as the question wrote it count for the record it names (「経営確信計画」)
      const namedCovOf = (c: RankedCandidate, written: ReadonlySet<string>) => (coverage ? namedCoverage(postings.numberOf(c.record.id), clauses, weightOf, explained, kwTerms, written) : 1);
      const lead = ranked[0];
      let leadFolded: string | undefined;
      const leadText = () => (leadFolded ??= matchKey(recordPrintedText(lead.record)));
      const first: RankedCandidate[] = [];
      // a question names a few records; a paste of many names gets its first NAMED_MAX (bounded work)
      for (const id of [...named].slice(0, NAMED_MAX)) {
        const rec = kb.byId.get(id);
        if (!rec || !kinds.has(rec.kind)) continue;
        const c = candidateOf(rec);
        // a variant of the named record (its name contains the name used: 「雇用調整助成金(新型コロナ…特例)」
        // for 「雇用調整助成金」) goes first only when the question uses most of its qualifier — the
        // words its name adds (「女性向けの創業セミナー」 → 女性創業セミナー; not 「経営革新計画の申請」 →
        // 酒類業者による経営革新計画の申請)
        const head = heads.find((h) => h.id === id);
        const used = head?.matched;
        const written = new Set(used ? a.words.filter((w) => used.includes(matchKey(w.surface))).map((w) => w.term) : []);
        const cov = c === lead ? 1 : namedCovOf(c, written);
        // the lead is a variant when its name contains a name of the named record (「…豪雨災害マル経」
        // contains マル経, an alias of 「…（マル経融資）」 named as マル経融資)
        const namedKeys = used ? [head.key ?? used, ...Gazetteer.keysOf(rec)] : [];
        let variantName: string | undefined;
        let base: string | undefined;
        for (const n of used ? Gazetteer.keysOf(lead.record) : []) {
          base = namedKeys.find((k) => n !== k && n.includes(k));
          if (base) {
            variantName = n;
            break;
          }
        }
        let variant = false;
        if (variantName && head && base) {
          const own = new Set(analyzer.tokens(base));
          const extra = [...new Set(analyzer.tokens(variantName))].filter((t) => !own.has(t));
          const asked = new Set(clauses.map((x) => x.term));
          variant = extra.filter((t) => asked.has(t)).length * 2 < extra.length;
        }
        // a lead whose text never writes the scheme's name the question used (「法人版事業承継税制の特例承継計画
        // の提出先と期限」: a 届出手続 covers 提出・期限 but not the name) is about something else
        const schemeName = used !== undefined && [...used].length >= SCHEME_NAME_MIN && (programmeKeySet.has(used) || analyzer.gazetteer.bracketKeys.has(`${used}\0${id}`));
        const leadLacksName = schemeName && !leadText().includes(used);
        if (c !== lead && !variant && !leadLacksName && cov + NAMED_COVER_MARGIN < covOf(lead)) continue;
        first.push(c);
      }
      first.sort((x, y) => y.score - x.score);
      // asked a term (期間, 限度額 …) of several records it names (「事業円滑化資金の融資期間は？損失補償の対象？」),
      // those whose card gives it come first
      if (first.length > 1) {
        const asked = termWords.filter((k) => hasHint(ht, k)).map((k) => matchKey(k.map(hintWord).join('')));
        const gives = (c: RankedCandidate) => (asked.some((t) => matchKey(cardAndText(c.record).text).includes(t)) ? 1 : 0);
        if (asked.length) first.sort((x, y) => gives(y) - gives(x));
      }
      ranked = putFirst(ranked, first);
    }
    const consult = ctx.kinds.has('desk') && kinds.has('desk');
    // asked where to consult, a programme that is the running of its own desk (「知財総合支援窓口運営事業」,
    // desk 山口県知財総合支援窓口) gives way to that desk, which the user can call
    if (consult && ranked[0]?.record.kind === 'program' && !named.has(ranked[0].record.id)) {
      const desk = ownDesk(ranked[0].record);
      if (desk) ranked = putFirst(ranked, [candidateOf(desk), ranked[0]]);
    }
    if (consult) ranked = consultFallback(ranked, wording.consultFallbackRank, wording.generalDesk, isDeskLike, kb.byId, more);
    // asked where to go in a place of ours, when the best match is a programme and no desk (「山口市で店を
    // 開く予定です。まずどこに相談に」 → 創業セミナー): the 商工会議所・商工会 there come first, the programme after
    if (consult && !named.size && (a.entities.municipalities.length || a.entities.localities.length) && ranked[0] && !isDeskLike(ranked[0].record)) {
      const local = localChambers(ctx);
      if (local.length) ranked = putFirst(ranked, local.map(candidateOf));
    }
    let conf = ranked.length ? confidence(ranked[0].result, clauses, stats, explained, a.synonyms.groupIds.length ? (conceptShare[postings.numberOf(ranked[0].record.id)] ?? 0) : null, weightOf, signal, kwTerms.get(ranked[0].record.id)) : 0;
    // a consultation question nothing topical matched: the general desk first, with a one-line reason
    let general = false;
    // a place named (岩国, 小郡) says where, not what about: it does not make the question topical
    const placeKeys = [...a.entities.municipalities, ...a.entities.localities].map((m) => m.matched);
    const placeTerms = new Set(a.words.filter((w) => placeKeys.some((k) => k.includes(matchKey(w.surface)))).map((w) => w.term));
    // nor does a word a third of the catalogue uses (事業, 支援, 企業: 「周南市の事業者です」)
    const topicalKnown = topical.filter((t) => !placeTerms.has(t) && !generic(t) && (known(t) || explained.has(t)));
    // (naming a 市町 or locality: the 商工会議所・商工会 there first, then the general desk — the
    // desks a business of that place is sent to, knowledge/areas.yaml)
    let localPlace: string | undefined;
    let localNames = '';
    // nor does a lead that has none of the topical words and none of the question's concepts
    // (「経営のことで色々悩んで…どこに行けば」: a 知財 desk found by 相談 and 窓口 alone is not about 経営)
    const leadDoc = ranked.length ? postings.numberOf(ranked[0].record.id) : -1;
    const topicGroups = consult ? a.synonyms.groupIds.filter((g) => !signalGroups.has(g)) : [];
    const has = (t: string, d: number) => MORPH_FIELDS.some((f) => postings.contains(t, f, d));
    // (the asker's own trade — 「運送業をしています」, a word of knowledge/industries.yaml — says who asks,
    // not what about; and what the general desk itself takes, 「経営の相談」, is no topic another desk
    // is more specific for)
    const generalDoc = consult ? postings.numberOf(wording.generalDesk) : -1;
    const trade = consult ? new Set(tradeTerms(a)) : new Set<string>();
    const askedTopic = topicalKnown.filter((t) => !trade.has(t));
    // a record declares a word in its name or keywords (知財総合支援窓口: 知財); the general desk's
    // services text lists every field (知財 too) but declares only what it is for (経営の悩み …)
    const declares = (t: string, d: number) => postings.contains(t, 'kw', d) || postings.contains(t, 'name', d);
    // a word the lead has is the lead's topic unless the general desk has it too and the lead is not
    // the more specific (declaring it while the general desk does not)
    const leadsOn = (t: string, d: number) => has(t, d) && (generalDoc < 0 || generalDoc === d || !has(t, generalDoc) || (declares(t, d) && !declares(t, generalDoc)));
    const groupTokens = (g: number) => a.synonyms.tokenGroups[a.synonyms.groupIds.indexOf(g)] ?? [];
    // likewise a concept of the question the lead shares (経営相談 for 経営・技術診断助言事業)
    const leadConcept = (d: number) => {
      const shares = concepts.shares(topicGroups);
      if (!(shares[d] > 0)) return false;
      if (generalDoc < 0 || generalDoc === d || !(shares[generalDoc] > 0)) return true;
      return topicGroups.some((g) => groupTokens(g).some((t) => declares(t, d)) && !groupTokens(g).some((t) => declares(t, generalDoc)));
    };
    const leadOffTopic =
      leadDoc >= 0 &&
      topicalKnown.length > 0 &&
      !(topicGroups.length && leadConcept(leadDoc)) &&
      !kwTerms.has(ranked[0].record.id) &&
      !askedTopic.some((t) => leadsOn(t, leadDoc));
    if (consult && !named.size && (topicalKnown.length === 0 || leadOffTopic || conf < wording.threshold)) {
      const local = a.entities.municipalities.length ? localChambers(ctx) : [];
      const desk = kb.byId.get(wording.generalDesk);
      const firsts = [...local, ...(desk && !local.includes(desk) ? [desk] : [])];
      if (firsts.length) {
        ranked = putFirst(ranked, firsts.map(candidateOf));
        general = true;
        if (local.length) (localPlace = kb.byId.get(a.entities.municipalities[0].id)?.name), (localNames = local.slice(0, wording.replyCards).map((r) => r.name).join('・'));
        conf = Math.max(conf, wording.threshold);
      }
    }
    // a programme named and only whom to contact asked for (「制度融資の担当課は？」, not 「助成率と申請先」):
    // its desk first, then the programme (the confidence stays the programme's)
    const lead = ranked[0]?.record;
    if (!general && lead?.kind === 'program' && named.has(lead.id) && kinds.has('desk')) {
      const desk = (lead.desk ?? []).map((id) => kb.byId.get(id)).find((r) => r?.kind === 'desk');
      if (desk && contactWords.some((k) => hasHint(ht, k)) && !termWords.some((k) => hasHint(ht, k))) ranked = putFirst(ranked, [candidateOf(desk), ranked[0]]);
    }
    if (conf < wording.threshold) {
      // not an answer, but the nearest records, offered as such: a way on besides the general desk
      // (each offered by its name, so its name holds one of the question's topical words — the user sees why)
      const namesTopic = (id: string) => {
        const d = postings.numberOf(id);
        return d >= 0 && topicalKnown.some((t) => postings.contains(t, 'name', d));
      };
      const related = conf >= wording.relatedMin ? ranked.filter((r) => r.record.id !== wording.generalDesk && namesTopic(r.record.id)).slice(0, wording.relatedCount).map((r) => ({ record: r.record, score: r.score })) : [];
      return notAnswered(query, a.normalized, 'lowConfidence', conf, [], related);
    }
    const hits: SearchHit[] = ranked.slice(0, top).map((r) => ({ record: r.record, score: r.score }));
    // the reply's cards now, the other hits' when first read (a caller ranking 30 desks reads none of them)
    const shown = hits.slice(0, wording.replyCards).map((h) => cardOf(h.record));
    let cards: Card[] | undefined;
    const allCards = () => (cards ??= [...shown, ...hits.slice(shown.length).map((h) => cardOf(h.record))]);
    // the reply quotes the question as the user typed it; the cards' text (CLI `ask`, staff) cites the lines
    const head = !general
      ? fill(wording.reply.found, { query: quote(asTyped(query)) })
      : localPlace
        ? fill(wording.reply.localDeskFirst, { query: quote(asTyped(query)), place: localPlace, deskName: localNames })
        : fill(wording.reply.generalDeskFirst, { query: quote(asTyped(query)), deskName: ranked[0].record.name });
    const parts = [head ?? '', ...hits.slice(0, shown.length).map((h) => cardAndText(h.record).text)];
    if (ranked.length > shown.length) {
      const more = fill(wording.reply.more, { count: Math.min(ranked.length, top) - shown.length });
      if (more && Math.min(ranked.length, top) > shown.length) parts.push(more);
    }
    return {
      query,
      normalized: a.normalized,
      answered: true,
      hits,
      reply: parts.filter(Boolean).join('\n\n'),
      get cards() {
        return allCards();
      },
      confidence: conf,
      ...(general ? { generalDesk: true } : {}),
    };
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
    relevance,
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
