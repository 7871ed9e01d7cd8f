/**
 * Record keywords (`keywords` in knowledge/: everyday words and short phrases for what a record
 * does, 電気代 for 省エネ設備, 人手が足りない for 人材確保) matched as phrases in the question, with the
 * same token-wise rules as synonym members (src/text/synonyms.ts): a keyword matches whole tokens or
 * token sequences, never a folded substring across a script boundary. A keyword whose case particle
 * (を・が・に・で) is followed by its predicate allows words in between (「給料を上げたい」 matches
 * 「給料をもっと上げたい」).
 *
 * Besides the `kw` field of the index (each keyword's terms, scored by lunr), a keyword found whole
 * in the question is evidence of its own: each of its records gets {@link KeywordMatcher.hits}
 * weight by how specific the keyword is (1 / √records sharing it).
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import { searchKeywords } from './documents.ts';
import { fold, normalize } from '../text/normalize.ts';
import { SynonymExpander, type Segment, type Segmenter } from '../text/synonyms.ts';
import { commonWordLimit } from '../text/gazetteer.ts';

/** A keyword found in a question: its records, its specificity and its span in the normalised text. */
export interface KeywordHit {
  keyword: string;
  ids: readonly string[];
  /** 1 / √(number of records carrying it) */
  weight: number;
  start: number;
  end: number;
}

const GAP_AFTER_PARTICLE = /^(.+?[^\u3041-\u309f][をがにで])(.+)$/u;

/** The phrase form of a keyword: 「…」 after its first case particle when a predicate follows. */
export function phraseForm(keyword: string): string {
  const n = normalize(keyword);
  if (n.includes('…')) return n;
  const m = n.match(GAP_AFTER_PARTICLE);
  return m ? `${m[1]}…${m[2]}` : n;
}

/** Finds record keywords in questions. */
export class KeywordMatcher {
  private readonly matcher: SynonymExpander;
  private readonly ids: string[][] = [];
  private readonly words: string[] = [];

  /**
   * @param kb the catalogue (each record's keywords as searched: src/search/documents.ts searchKeywords)
   * @param segment the analyser's tokenizer
   * @param maxShared a keyword carried by more records than this is a generic word: it is left to
   *   the `kw` field (where its idf is low) and gives no phrase evidence
   */
  constructor(kb: Pick<KnowledgeBase, 'records' | 'byId'>, segment: Segmenter, maxShared = commonWordLimit(kb.records.length)) {
    const byKey = new Map<string, { word: string; ids: string[] }>();
    for (const rec of kb.records) {
      for (const k of searchKeywords(rec, kb)) {
        const key = fold(normalize(k));
        if (!key) continue;
        let e = byKey.get(key);
        if (!e) byKey.set(key, (e = { word: k, ids: [] }));
        if (!e.ids.includes(rec.id)) e.ids.push(rec.id);
      }
    }
    const groups: { canonical: string; words: string[] }[] = [];
    for (const e of byKey.values()) {
      if (e.ids.length > maxShared) continue;
      groups.push({ canonical: phraseForm(e.word), words: [] });
      this.ids.push(e.ids);
      this.words.push(e.word);
    }
    this.matcher = new SynonymExpander(groups, segment);
  }

  /** Keywords found in `normalized` (tokenised as `segments`), each once, in text order. */
  hits(normalized: string, segments: Segment[]): KeywordHit[] {
    const out: KeywordHit[] = [];
    const seen = new Set<number>();
    for (const m of this.matcher.scan(normalized, segments)) {
      if (seen.has(m.group)) continue;
      seen.add(m.group);
      const ids = this.ids[m.group];
      out.push({ keyword: this.words[m.group], ids, weight: 1 / Math.sqrt(ids.length), start: m.start, end: m.end });
    }
    return out;
  }
}

