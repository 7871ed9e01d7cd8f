/**
 * The text analyser shared by indexing and queries:
 *  - morphological terms: kuromoji (one shared dictionary, src/text/tokenizer.ts) base forms of content
 *    words (名詞・動詞・形容詞), the surface form where the base form is unknown (`*`), stop words removed,
 *    adjacent ASCII pieces joined (「3」「d」 → 「3d」), all folded with {@link matchKey};
 *  - a character-bigram field for compounds IPADIC splits (補助金 → 補助/金, 周南市 → 周/南市);
 *  - known names recognised first (gazetteer built from the knowledge);
 *  - synonym expansion (knowledge/synonyms.yaml);
 *  - quantities with units (「５千万円」「２０人」).
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import { Gazetteer, type Entities } from './gazetteer.ts';
import { findQuantities, fold, matchKey, normalize, type Quantity } from './normalize.ts';
import { STOP_WORDS } from './stopwords.ts';
import { SynonymExpander, type Expansion } from './synonyms.ts';
import { getTokenizer, type Token, type Tokenizer } from './tokenizer.ts';

/** Longest text analysed (characters after normalising); the rest is ignored. */
export const MAX_ANALYSED_CHARS = 2000;

/** Terms of one text: morphological terms and character bigrams, both folded, in text order. */
export interface TermSet {
  tokens: string[];
  bigrams: string[];
}

/** Everything the analyser finds in a question. */
export interface Analysis extends TermSet {
  /** the input as given */
  text: string;
  /** {@link normalize}d input (truncated to {@link MAX_ANALYSED_CHARS}) */
  normalized: string;
  /** {@link fold}ed normalised input */
  folded: string;
  entities: Entities;
  quantities: Quantity[];
  /**
   * synonym groups hit; `tokens`/`bigrams`: terms of the added members not already in the question;
   * `tokenGroups`: those tokens per group hit (for weighting a group as a whole)
   */
  synonyms: Expansion & TermSet & { tokenGroups: string[][] };
  /** places named as 〇〇県/府/都/道 that are not the home prefecture (e.g. 「大阪府」) */
  otherRegions: string[];
  /** tokens that are part of a recognised name or a synonym-group member found in the question */
  explained: string[];
}

/** Options of {@link Analyzer}. */
export interface AnalyzerOptions {
  /** the home prefecture's name without 県 (e.g. 「山口」); places of other prefectures are reported */
  homeRegion?: string;
}

const WORD_RUN = /[\p{L}\p{N}ー]+/gu;
const ASCII_WORD = /^[a-z0-9]+$/;
const HAS_LETTER = /[\p{L}]/u;
const PREFECTURE_SUFFIX = new Set(['県', '府', '都', '道']);

/**
 * Analyser over one KnowledgeBase (its gazetteer and synonyms). Methods never throw for any string.
 */
export class Analyzer {
  readonly gazetteer: Gazetteer;
  readonly synonyms: SynonymExpander;
  /** terms of each synonym-group member, analysed on first use (members are a fixed list) */
  private readonly memberTerms = new Map<string, TermSet>();

  constructor(
    private readonly tokenizer: Tokenizer,
    kb: Pick<KnowledgeBase, 'records' | 'areas' | 'synonyms'>,
    private readonly options: AnalyzerOptions = {},
  ) {
    this.gazetteer = new Gazetteer(kb);
    this.synonyms = new SynonymExpander(kb.synonyms);
  }

  /** Folded content-word terms of `text` (normalised first). For indexing and queries alike. */
  tokens(text: string): string[] {
    return this.contentTerms(this.tokenize(normalize(text).slice(0, MAX_ANALYSED_CHARS)));
  }

  /** Morphological terms and bigrams of `text` (normalised and folded). */
  terms(text: string): TermSet {
    const normalized = normalize(text).slice(0, MAX_ANALYSED_CHARS);
    return { tokens: this.contentTerms(this.tokenize(normalized)), bigrams: bigrams(fold(normalized)) };
  }

  /** Full analysis of a question: terms, recognised names, synonyms, quantities, other regions. */
  analyze(text: string): Analysis {
    const src = typeof text === 'string' ? text : '';
    const normalized = normalize(src).slice(0, MAX_ANALYSED_CHARS);
    const folded = fold(normalized);
    const toks = this.tokenize(normalized);
    const words = this.contentWords(toks);
    const tokens = words.map((w) => w.term);
    const bi = bigrams(folded);
    const expansion = this.synonyms.expand(folded);
    const have = new Set([...tokens, ...bi]);
    const tokenGroups: string[][] = [];
    const synBigrams: string[] = [];
    for (const group of expansion.groups) {
      const list: string[] = [];
      for (const phrase of group) {
        let t = this.memberTerms.get(phrase);
        if (!t) this.memberTerms.set(phrase, (t = this.terms(phrase)));
        for (const x of t.tokens) if (!have.has(x)) (have.add(x), list.push(x));
        for (const x of t.bigrams) if (!have.has(x)) (have.add(x), synBigrams.push(x));
      }
      if (list.length) tokenGroups.push(list);
    }
    const entities = this.gazetteer.recognise(folded);
    const spans = [...expansion.matched.map((w) => this.synonyms.keyOf(w)), ...entities.records.map((r) => r.matched), ...entities.municipalities.map((m) => m.matched), ...entities.localities.map((l) => l.matched)];
    const explained = words.filter((w) => spans.some((k) => k.includes(w.surface) || w.surface.includes(k))).map((w) => w.term);
    return {
      text: src,
      normalized,
      folded,
      tokens,
      bigrams: bi,
      explained: [...new Set(explained)],
      entities,
      quantities: findQuantities(normalized),
      synonyms: { ...expansion, tokens: tokenGroups.flat(), bigrams: synBigrams, tokenGroups },
      otherRegions: this.otherRegions(toks),
    };
  }

  private tokenize(normalized: string): Token[] {
    if (!normalized) return [];
    try {
      return this.tokenizer.tokenize(normalized);
    } catch {
      return [];
    }
  }

  private contentTerms(toks: Token[]): string[] {
    return this.contentWords(toks).map((w) => w.term);
  }

  /** Content words: folded term (base form) and folded surface. */
  private contentWords(toks: Token[]): { term: string; surface: string }[] {
    const out: { term: string; surface: string }[] = [];
    let ascii = '';
    const flush = () => {
      if (/[a-z]/.test(ascii)) out.push({ term: ascii, surface: ascii });
      ascii = '';
    };
    for (const t of toks) {
      const surface = t.surface_form;
      if (/^[a-z0-9]+$/.test(surface)) {
        ascii += surface;
        continue;
      }
      flush();
      if (!isContent(t)) continue;
      const term = fold(t.basic_form && t.basic_form !== '*' ? t.basic_form : surface);
      if (!HAS_LETTER.test(term) || STOP_WORDS.has(term)) continue;
      if (t.pos_detail_1 === '接尾' && [...term].length < 2) continue;
      out.push({ term, surface: fold(surface) });
    }
    flush();
    return out;
  }

  private otherRegions(toks: Token[]): string[] {
    const home = this.options.homeRegion;
    if (!home) return [];
    const out: string[] = [];
    for (let i = 0; i + 1 < toks.length; i++) {
      const a = toks[i];
      const b = toks[i + 1];
      if (a.pos_detail_1 === '固有名詞' && a.pos_detail_2 === '地域' && PREFECTURE_SUFFIX.has(b.surface_form) && b.pos_detail_1 === '接尾') {
        if (a.surface_form !== home) out.push(a.surface_form + b.surface_form);
      }
    }
    return out;
  }
}

function isContent(t: Token): boolean {
  switch (t.pos) {
    case '名詞':
      return !['非自立', '代名詞', '数', '特殊'].includes(t.pos_detail_1);
    case '動詞':
    case '形容詞':
      return t.pos_detail_1 === '自立';
    default:
      return false;
  }
}

/**
 * Character bigrams of a folded string. Inside each run of letters/digits the units are single
 * Japanese characters and whole ASCII words (「dx」「iot」「6」); the result is every pair of adjacent
 * units (「あくしょん6」 → …「ょん」「ん6」) plus every ASCII word that is not only digits. A run of one
 * Japanese character gives nothing.
 */
export function bigrams(folded: string): string[] {
  const out: string[] = [];
  for (const m of folded.matchAll(WORD_RUN)) {
    const units: string[] = [];
    for (const part of m[0].match(/[a-z0-9]+|[^a-z0-9]+/g) ?? []) {
      if (ASCII_WORD.test(part)) {
        units.push(part);
        if (!/^\d+$/.test(part)) out.push(part);
      } else units.push(...part);
    }
    for (let i = 0; i + 1 < units.length; i++) out.push(units[i] + units[i + 1]);
  }
  return out;
}

/**
 * An {@link Analyzer} for `kb` on the shared tokenizer (loads the dictionary on first use, ≈0.6 s).
 * @throws Error when the kuromoji dictionary cannot be read.
 */
export async function createAnalyzer(kb: Pick<KnowledgeBase, 'records' | 'areas' | 'synonyms'>, options?: AnalyzerOptions): Promise<Analyzer> {
  return new Analyzer(await getTokenizer(), kb, options);
}
