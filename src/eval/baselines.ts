/**
 * Baselines for the free-text eval, over the same catalogue and the same searchable text
 * (src/search/documents.ts), without our analysis, gazetteer, synonyms or threshold:
 *  - `ja`: lunr-languages' Japanese support (TinySegmenter tokenizer, its trimmer/stop words/stemmer),
 *  - `bigram`: a character-bigram-only index (NFKC + kana folding, bigrams, same field boosts).
 * A baseline "answers" whenever it returns any result.
 */
import { createRequire } from 'node:module';
import lunr from 'lunr';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { recordText } from '../search/documents.ts';
import { bigrams } from '../text/analyzer.ts';
import { matchKey } from '../text/normalize.ts';
import type { SystemAnswer } from './score.ts';

/** A baseline system: name and a search function returning result names best first. */
export interface Baseline {
  name: string;
  ask(q: string, top: number): SystemAnswer;
}

type LunrJa = typeof lunr & { ja: lunr.Builder.Plugin & { tokenizer: (s: string) => lunr.Token[] } };

function lunrJa(): LunrJa {
  const require = createRequire(import.meta.url);
  const l = lunr as LunrJa;
  if (!l.ja) {
    (require('lunr-languages/lunr.stemmer.support.js') as (x: unknown) => void)(l);
    (require('lunr-languages/tinyseg.js') as (x: unknown) => void)(l);
    (require('lunr-languages/lunr.ja.js') as (x: unknown) => void)(l);
  }
  return l;
}

function answer(kb: KnowledgeBase, results: lunr.Index.Result[], top: number): SystemAnswer {
  const names = results.slice(0, top).map((r) => kb.byId.get(r.ref)?.name ?? r.ref);
  return { answered: names.length > 0, names };
}

/**
 * A baseline index: fields name (10), summary (3), body (1) over recordText, each field's text
 * passed through `field` (a string for lunr's tokenizer, or an array of ready terms).
 */
function baselineIndex(kb: KnowledgeBase, l: typeof lunr, setup: (b: lunr.Builder) => void, field: (text: string) => string | string[]): lunr.Index {
  return l(function () {
    setup(this);
    this.ref('id');
    this.field('name', { boost: 10 });
    this.field('summary', { boost: 3 });
    this.field('body');
    for (const rec of kb.records) {
      const t = recordText(rec, kb);
      this.add({ id: rec.id, name: field(t.names.join('\n')), summary: field(t.summary), body: field(t.body.join('\n')) });
    }
  });
}

/** lunr-languages `ja` (TinySegmenter, its trimmer/stop words/stemmer) over the same fields. */
export function jaBaseline(kb: KnowledgeBase): Baseline {
  const l = lunrJa();
  const idx = baselineIndex(kb, l, (b) => b.use(l.ja), (text) => text.replace(/\n/g, ' '));
  return {
    name: 'lunr-languages ja',
    ask(q, top) {
      const terms = l.ja.tokenizer(q.normalize('NFKC')).map((t) => t.toString().replace(/\*/g, '')).filter(Boolean);
      if (!terms.length) return { answered: false, names: [] };
      return answer(kb, idx.query((qq) => terms.forEach((t) => qq.term(t, {}))), top);
    },
  };
}

/** Character bigrams only (after NFKC and kana folding), same fields and boosts. */
export function bigramBaseline(kb: KnowledgeBase): Baseline {
  const idx = baselineIndex(
    kb,
    lunr,
    (b) => {
      b.pipeline.reset();
      b.searchPipeline.reset();
    },
    (text) => bigrams(matchKey(text)),
  );
  return {
    name: 'char bigram',
    ask(q, top) {
      const terms = [...new Set(bigrams(matchKey(q)))].map((t) => t.replace(/\*/g, '')).filter(Boolean);
      if (!terms.length) return { answered: false, names: [] };
      return answer(kb, idx.query((qq) => terms.forEach((t) => qq.term(t, {}))), top);
    },
  };
}
