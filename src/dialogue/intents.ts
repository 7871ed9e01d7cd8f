/**
 * Intent classification on kuromoji tokens: each example utterance of intents/intents.yaml becomes
 * a set of content-word base forms; a message is scored against every example by Jaccard similarity
 * (|A∩B| / |A∪B|) and the best intent at or above the file's `threshold` wins. Unknown words
 * (basic_form `*`) count by surface form. Messages of more than {@link MAX_INTENT_CHARS} characters are
 * never a control intent (they are questions or business descriptions).
 */
import { normalize } from '../text/normalize.ts';
import type { Token, Tokenizer } from '../text/tokenizer.ts';
import type { IntentsFile } from './data.ts';

/** Longer messages skip intent matching. */
export const MAX_INTENT_CHARS = 40;

const CONTENT_POS = new Set(['名詞', '動詞', '形容詞', '副詞', '感動詞', '連体詞', '接頭詞']);
const DROP_BASE = new Set(['する', 'ある', 'いる', 'なる', 'れる', 'られる', 'ない', 'ます', 'です', 'こと', 'もの', 'の', 'ん', 'よう', 'さ']);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` without lone surrogates (malformed UTF-16 makes kuromoji throw). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '');
}

/** Content-word base forms of a text (surface form for unknown words), deduplicated. */
export function contentWords(tokenizer: Tokenizer, text: string): string[] {
  const s = normalize(text).replace(/[?？!！。、,.・「」『』（）()\s]+/g, ' ').trim();
  if (!s) return [];
  const out = new Set<string>();
  let tokens: Token[];
  try {
    tokens = tokenizer.tokenize(wellFormed(s)) as Token[];
  } catch {
    return [];
  }
  for (const t of tokens) {
    if (!CONTENT_POS.has(t.pos) || t.pos_detail_1 === '非自立' || t.pos_detail_1 === '接尾' && t.surface_form === 'さん') continue;
    const base = t.basic_form && t.basic_form !== '*' ? t.basic_form : t.surface_form;
    if (!base.trim() || DROP_BASE.has(base)) continue;
    out.add(base);
  }
  return [...out];
}

/** A classified message. */
export interface IntentMatch {
  name: string;
  score: number;
}

/** Context flags an intent may need (`needs` in intents.yaml). */
export interface IntentContext {
  lastResults: boolean;
  lastDiagnosis: boolean;
  diagnosis: boolean;
}

/** Intent classifier built once from intents.yaml; `classify` never throws. */
export class IntentClassifier {
  private readonly examples: { name: string; needs?: string; words: Set<string>; exact: string }[] = [];

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly file: IntentsFile,
  ) {
    for (const intent of file.intents) {
      for (const ex of intent.examples) {
        this.examples.push({ name: intent.name, needs: intent.needs, words: new Set(contentWords(tokenizer, ex)), exact: squash(ex) });
      }
    }
  }

  /** The best intent for `text` in `ctx`, or null (→ free-text search). */
  classify(text: string, ctx: IntentContext): IntentMatch | null {
    const exact = squash(text);
    if (!exact || exact.length > MAX_INTENT_CHARS) return null;
    const words = new Set(contentWords(this.tokenizer, text));
    let best: IntentMatch | null = null;
    for (const ex of this.examples) {
      if (ex.needs && !ctx[ex.needs as keyof IntentContext]) continue;
      let score: number;
      if (ex.exact === exact) score = 1;
      else {
        let inter = 0;
        for (const w of words) if (ex.words.has(w)) inter++;
        const union = words.size + ex.words.size - inter;
        score = union ? inter / union : 0;
      }
      if (!best || score > best.score) best = { name: ex.name, score };
    }
    return best && best.score >= this.file.threshold ? best : null;
  }
}

/** Comparison form for exact matches: normalised, punctuation and spaces removed. */
export function squash(text: string): string {
  return normalize(text).replace(/[?？!！。、,.・「」『』（）()〜~ー\s]+/g, '');
}
