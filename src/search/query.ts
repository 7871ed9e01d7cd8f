/**
 * Query building. User text never reaches `idx.search()` (its parser reads `: ^ ~ + - *` as
 * operators, and NFKC turns ：＋－ into them): the analysed terms become clauses built with
 * `idx.query()`, each restricted to its fields, all optional.
 */
import type lunr from 'lunr';
import type { Analysis } from '../text/analyzer.ts';
import { BIGRAM_FIELDS, KEY_FIELD, MORPH_FIELDS } from './index-store.ts';

/** One query clause: a term, the fields it is looked up in and its weight. */
export interface Clause {
  term: string;
  fields: string[];
  boost: number;
  /** where the term came from, for coverage and debugging */
  source: 'token' | 'bigram' | 'synToken' | 'key';
}

/**
 * Relative clause weights. lunr normalises the query vector per field, so these only weigh clauses
 * that share a field against each other (synonym terms against question terms); the weight of a
 * field as a whole is its boost in the index (src/search/index-store.ts).
 */
export const CLAUSE_WEIGHT: Record<Clause['source'], number> = {
  token: 1,
  bigram: 0.35,
  synToken: 0.6,
  key: 30,
};

/**
 * Weight of a question term that only belongs to a recognised name the question uses as context —
 * an ancestor of, or a modifier of, the record it is about (「2013年の商工業推進計画のアクション6」:
 * 商工業推進計画 only says which アクション6).
 */
export const CONTEXT_TERM_WEIGHT = 0.3;

/** A synonym group with more terms than this has its terms' weight divided among them. */
export const SYNONYM_GROUP_TERMS = 3;

/** Most clauses of one query (a long message is cut; its first terms are kept). */
export const MAX_CLAUSES = 120;

/**
 * The clauses for an analysed question: each distinct morphological term over the morph fields,
 * each distinct bigram over the bigram fields, synonym terms at lower weight (a group's weight shared
 * among its terms; synonyms' bigrams are not used, they are mostly noise), and every recognised
 * record name over the whole-name key field (`keyRecords`, default all recognised records).
 * `keep` can drop terms (the service drops terms found in a large share of records: they carry
 * almost no information and make lunr score most of the catalogue). Terms are de-duplicated; at most {@link MAX_CLAUSES}.
 */
export function buildClauses(
  a: Analysis,
  keyRecords: { matched: string; key?: string }[] = a.entities.records,
  keep: (term: string, fields: readonly string[]) => boolean = () => true,
  weightOf: (term: string) => number = (t) => a.weights?.get(t) ?? 1,
): Clause[] {
  const out: Clause[] = [];
  const seen = new Set<string>();
  const push = (term: string, source: Clause['source'], fields: readonly string[], share = 1) => {
    const k = `${source === 'key' ? 'k' : source === 'bigram' ? 'b' : 't'}:${term}`;
    if (!term || seen.has(k) || out.length >= MAX_CLAUSES) return;
    if (source !== 'key' && !keep(term, fields)) return;
    seen.add(k);
    out.push({ term, fields: [...fields], boost: CLAUSE_WEIGHT[source] * share, source });
  };
  for (const r of keyRecords) push(r.key ?? r.matched, 'key', [KEY_FIELD]);
  const heads = new Set(keyRecords.map((r) => r.matched));
  const contextKeys = a.entities.records.map((r) => r.matched).filter((k) => !heads.has(k));
  const isContext = (t: string) => contextKeys.some((k) => k.includes(t)) && ![...heads].some((k) => k.includes(t));
  // each question word weighs by its informativeness (part of speech, src/text/analyzer.ts posWeight)
  for (const t of a.tokens) push(t, 'token', MORPH_FIELDS, (isContext(t) ? CONTEXT_TERM_WEIGHT : 1) * weightOf(t));
  for (const t of a.bigrams) push(t, 'bigram', BIGRAM_FIELDS);
  // a synonym group weighs about as much as one question term, however many members it has
  for (const group of a.synonyms.tokenGroups) {
    const share = Math.min(1, SYNONYM_GROUP_TERMS / group.length);
    for (const t of group) push(t, 'synToken', MORPH_FIELDS, share);
  }
  return out;
}

/** Runs clauses with `idx.query()` (never the query-string parser). An empty clause list → []. */
export function runClauses(idx: lunr.Index, clauses: Clause[]): lunr.Index.Result[] {
  if (clauses.length === 0) return [];
  return idx.query((q) => {
    for (const c of clauses) q.term(c.term, { fields: c.fields, boost: c.boost });
  });
}
