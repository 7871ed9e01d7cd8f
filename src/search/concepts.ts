/**
 * Concept matching through the synonym groups of knowledge/synonyms.yaml, on both sides: a record
 * "has" a group when any member of the group occurs in its text (name and aliases weigh most, then
 * the summary, then the body); a question "asks for" the groups whose members it contains. So 「息子に
 * 継がせたい」 (group 事業承継) meets a record that says 「親族内承継」 or 「後継者」, whatever the tokeniser
 * makes of either. Operators steer it by editing synonyms.yaml; no word lives in code.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import { recordText } from './documents.ts';

/** Weight of a group found in a record's names, keywords, summary, body (the best one counts). */
export const CONCEPT_FIELD_WEIGHT = { names: 1, keywords: 0.9, summary: 0.8, body: 0.5 } as const;

/** The synonym groups of each record with their field weight, as saved beside the index. */
export type RecordConcepts = [id: string, groups: [group: number, weight: number][]][];

/**
 * The groups each record has: every field value scanned on its own with `groupsIn` (the analyser's
 * token-wise member matching, src/text/synonyms.ts), the best field weight kept.
 */
export function recordConcepts(kb: Pick<KnowledgeBase, 'records' | 'byId'>, groupsIn: (text: string) => Set<number>): RecordConcepts {
  const out: RecordConcepts = [];
  for (const rec of kb.records) {
    const t = recordText(rec, kb);
    const found = new Map<number, number>();
    const add = (values: readonly string[], w: number) => {
      for (const v of values) for (const g of groupsIn(v)) found.set(g, Math.max(found.get(g) ?? 0, w));
    };
    add(t.names, CONCEPT_FIELD_WEIGHT.names);
    add(t.keywords, CONCEPT_FIELD_WEIGHT.keywords);
    add([t.summary], CONCEPT_FIELD_WEIGHT.summary);
    add(t.body, CONCEPT_FIELD_WEIGHT.body);
    if (found.size) out.push([rec.id, [...found]]);
  }
  return out;
}

/** The synonym groups each record has, and how rare each group is across the catalogue. */
export class ConceptIndex {
  private readonly byRecord = new Map<string, Map<number, number>>();
  private readonly df = new Map<number, number>();
  /** group → the records having it (by record number) and their field weight, once {@link number} is called */
  private byGroup = new Map<number, { docs: Int32Array; weights: Float64Array }>();
  private size = 0;
  readonly docCount: number;

  /** From the groups of each record ({@link recordConcepts}, computed when the index is built). */
  constructor(docCount: number, concepts: RecordConcepts) {
    this.docCount = docCount;
    for (const [id, groups] of concepts) {
      const found = new Map(groups);
      this.byRecord.set(id, found);
      for (const g of found.keys()) this.df.set(g, (this.df.get(g) ?? 0) + 1);
    }
  }

  /**
   * Numbers the records as the search's posting lists do (`numberOf(id)`, −1: not indexed; `size`
   * records), so that {@link shares} scores a question by walking each of its groups' records once
   * instead of looking every candidate up by id.
   */
  number(numberOf: (id: string) => number, size: number): void {
    const lists = new Map<number, { docs: number[]; weights: number[] }>();
    for (const [id, groups] of this.byRecord) {
      const d = numberOf(id);
      if (d < 0) continue;
      for (const [g, w] of groups) {
        let l = lists.get(g);
        if (!l) lists.set(g, (l = { docs: [], weights: [] }));
        l.docs.push(d);
        l.weights.push(w);
      }
    }
    this.byGroup = new Map([...lists].map(([g, l]) => [g, { docs: Int32Array.from(l.docs), weights: Float64Array.from(l.weights) }]));
    this.size = size;
  }

  /**
   * {@link score} of every record for one question, by record number (after {@link number}; before
   * it, an array of the size given, all 0). Same values as `scorer(questionGroups)(id)`.
   */
  shares(questionGroups: readonly number[]): Float64Array {
    const out = new Float64Array(this.size);
    if (!questionGroups.length) return out;
    const weights = questionGroups.map((g) => this.idf(g));
    const total = weights.reduce((a, b) => a + b, 0);
    if (!total) return out;
    // group by group in the question's order: each record's sum is added up as the scorer adds it
    for (let i = 0; i < questionGroups.length; i++) {
      const l = this.byGroup.get(questionGroups[i]);
      if (l) for (let j = 0; j < l.docs.length; j++) out[l.docs[j]] += weights[i] * l.weights[j];
    }
    for (let d = 0; d < out.length; d++) out[d] /= total;
    return out;
  }

  /** BM25-style inverse document frequency of a group (records having it). */
  idf(group: number): number {
    const df = this.df.get(group) ?? 0;
    return Math.log(1 + (this.docCount - df + 0.5) / (df + 0.5));
  }

  /** The groups of one record with their field weight (empty when none). */
  groupsOf(id: string): ReadonlyMap<number, number> {
    return this.byRecord.get(id) ?? new Map();
  }

  /**
   * Share (0–1) of the question's concepts a record has: Σ idf × field weight of the groups both
   * share, over Σ idf of the question's groups. 0 when the question has no concept.
   */
  score(id: string, questionGroups: readonly number[]): number {
    return this.scorer(questionGroups)(id);
  }

  /** {@link score} for one question, its group weights computed once: record id → share (0–1). */
  scorer(questionGroups: readonly number[]): (id: string) => number {
    if (!questionGroups.length) return () => 0;
    const weights = questionGroups.map((g) => this.idf(g));
    const total = weights.reduce((a, b) => a + b, 0);
    if (!total) return () => 0;
    return (id) => {
      const has = this.byRecord.get(id);
      if (!has) return 0;
      let got = 0;
      for (let i = 0; i < questionGroups.length; i++) {
        const f = has.get(questionGroups[i]);
        if (f) got += weights[i] * f;
      }
      return got / total;
    };
  }
}
