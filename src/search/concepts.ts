/**
 * Concept matching through the synonym groups of knowledge/synonyms.yaml, on both sides: a record
 * "has" a group when any member of the group occurs in its text (name and aliases weigh most, then
 * the summary, then the body); a question "asks for" the groups whose members it contains. So 「息子に
 * 継がせたい」 (group 事業承継) meets a record that says 「親族内承継」 or 「後継者」, whatever the tokeniser
 * makes of either. Operators steer it by editing synonyms.yaml; no word lives in code.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import { matchKey } from '../text/normalize.ts';
import type { SynonymExpander } from '../text/synonyms.ts';
import { recordText } from './documents.ts';

/** Weight of a group found in a record's names, summary, body (the best one counts). */
export const CONCEPT_FIELD_WEIGHT = { names: 1, summary: 0.8, body: 0.5 } as const;

/** The synonym groups each record has, and how rare each group is across the catalogue. */
export class ConceptIndex {
  private readonly byRecord = new Map<string, Map<number, number>>();
  private readonly df = new Map<number, number>();
  readonly docCount: number;

  /** Scans every record's searchable text once (≈ 50 ms for 650 records). */
  constructor(kb: Pick<KnowledgeBase, 'records' | 'byId'>, expander: SynonymExpander) {
    this.docCount = kb.records.length;
    for (const rec of kb.records) {
      const t = recordText(rec, kb);
      const found = new Map<number, number>();
      const add = (text: string, w: number) => {
        for (const g of expander.groupsIn(matchKey(text))) found.set(g, Math.max(found.get(g) ?? 0, w));
      };
      add(t.names.join('\n'), CONCEPT_FIELD_WEIGHT.names);
      add(t.summary, CONCEPT_FIELD_WEIGHT.summary);
      add(t.body.join('\n'), CONCEPT_FIELD_WEIGHT.body);
      if (!found.size) continue;
      this.byRecord.set(rec.id, found);
      for (const g of found.keys()) this.df.set(g, (this.df.get(g) ?? 0) + 1);
    }
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
