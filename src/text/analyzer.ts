/**
 * The text analyser shared by indexing and queries:
 *  - morphological terms: kuromoji (one shared dictionary, src/text/tokenizer.ts) base forms of content
 *    words (名詞・動詞・形容詞), the surface form where the base form is unknown (`*`), stop words removed,
 *    adjacent ASCII pieces joined (「3」「d」 → 「3d」), all folded with {@link matchKey};
 *  - a character-bigram field for compounds IPADIC splits (補助金 → 補助/金, 周南市 → 周/南市);
 *  - known names recognised first (gazetteer built from the knowledge);
 *  - synonym expansion (knowledge/synonyms.yaml), members matched as whole tokens (src/text/synonyms.ts);
 *  - word informativeness: each term's weight by part of speech ({@link posWeight});
 *  - a reading index: hiragana-only words the catalogue does not know are looked up by their
 *    kuromoji reading (「きぎょうしたい」 → 起業・企業, 「じぎょうしょうけい」 → 事業 承継), and a two-kanji
 *    word the catalogue does not know whose reverse it knows is read as that (事業継承 → 承継);
 *  - places of other prefectures (kuromoji's 名詞,固有名詞,地域 and the 47 prefecture names);
 *  - quantities with units (「５千万円」「２０人」).
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import { Gazetteer, PREFECTURES, type Entities } from './gazetteer.ts';
import { findQuantities, fold, matchKey, normalize, type Quantity } from './normalize.ts';
import { STOP_WORDS } from './stopwords.ts';
import { SynonymExpander, type Expansion, type Segment } from './synonyms.ts';
import { getTokenizer, type Token, type Tokenizer } from './tokenizer.ts';

export { PREFECTURES };

/** Longest text analysed (characters after normalising); the rest is ignored. */
export const MAX_ANALYSED_CHARS = 2000;

/** Terms of one text: morphological terms and character bigrams, both folded, in text order. */
export interface TermSet {
  tokens: string[];
  bigrams: string[];
}

/** A content word of a question: folded term, folded surface, informativeness weight, span. */
export interface Word {
  term: string;
  surface: string;
  /** {@link posWeight}: 1 for nouns and compounds of two or more characters, less for the rest */
  weight: number;
  /** offsets [start, end) in the normalised text */
  start: number;
  end: number;
  /** found through the reading index or a reversed compound, not written as such */
  derived?: boolean;
}

/** The catalogue's vocabulary for the reading index: every indexed term and its reading (hiragana). */
export interface Vocabulary {
  /** whether the catalogue has the (folded) term in a morphological field */
  known(term: string): boolean;
  /** reading (hiragana) → indexed terms read so, most frequent first */
  readings: ReadonlyMap<string, readonly string[]>;
  /** how many records write the noun `a` directly followed by the noun `b` (「事業」「承継」) */
  compound?(a: string, b: string): number;
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
  /** the content words with their weight and span ({@link Word}) */
  words: Word[];
  /** term → informativeness weight (the highest of its occurrences), 0–1 */
  weights: Map<string, number>;
  /**
   * programme names the question uses: a compound ending in a programme word (〇〇補助金, 〇〇助成金,
   * 〇〇融資, 〇〇共済 …) with its modifier's content terms (「さくら補助金」 → modifiers [さくら])
   */
  namedPrograms: { text: string; start: number; end: number; modifiers: string[] }[];
  /** kuromoji's tokens of `normalized` as matching segments (for phrase matchers over the same text) */
  segments: Segment[];
  /**
   * whose programmes the question asks for: 'national' when it says 国 as a word of its own (「国の
   * 補助金」, not 全国・外国), 'prefectural' when it says 県 (「県の制度」「山口県の」), null for neither or both
   */
  scope: 'national' | 'prefectural' | null;
}

/** Options of {@link Analyzer}. */
export interface AnalyzerOptions {
  /** the home prefecture's name without 県 (e.g. 「山口」); places of other prefectures are reported */
  homeRegion?: string;
  /**
   * Nouns that make another place the business's or programme's when it qualifies them (「福岡県の補助金」);
   * another place qualifying any other noun (「東京の展示会」) is only mentioned. Absent: every other place counts.
   */
  regionHeads?: readonly string[];
  /**
   * Nouns of a business (会社, メーカー): heads like the regionHeads, except that another place
   * qualifying one is only mentioned when a case particle after it makes it another party
   * (「東京のメーカーと組んで」).
   */
  partyHeads?: readonly string[];
  /**
   * Segmentations of the set-up texts (synonym members, keywords) saved with the index
   * (src/search/index-store.ts setupSegmentations): read instead of tokenising them again at start-up.
   */
  setupSegments?: readonly SavedSegmentation[];
}

/** A set-up text and its segments as [surface, base form ('' when the same), offset] (compact for the saved index). */
export type SavedSegmentation = [string, [string, string, number][]];

const WORD_RUN = /[\p{L}\p{N}ー]+/gu;
const ASCII_WORD = /^[a-z0-9]+$/;
const HAS_LETTER = /[\p{L}]/u;
const PREFECTURE_SUFFIX = new Set(['県', '府', '都', '道']);
/** Case particles after a business noun that make it another party of the story (が, と, や, を, に, から, へ, より). */
const PARTY_PARTICLES = new Set(['が', 'と', 'や', 'を', 'に', 'から', 'へ', 'より']);
/** Titles after a surname (山口さん): the home region's name before one is a person. */
const PERSON_TITLES = new Set(['さん', '様', 'さま', '氏', '君', 'くん', '社長', '先生']);
const MUNICIPALITY_SUFFIX = new Set(['市', '町', '村', '区', '郡']);
/** Verbs and nouns saying the asker came back (戻る, 帰る, Uターン, 帰郷): a place where they were (「東京で働いていました」) is where they come from. */
const RETURN_VERBS = new Set(['戻る', '帰る']);
const RETURN_NOUNS = new Set(['帰郷', '帰省', 'ターン']);
/** A place named before these is only where someone comes from or sells to (「東京都から移住」「大阪へ出荷」). */
const ORIGIN_PARTICLES = new Set(['から', 'より', 'へ']);
/**
 * Words that end the name of a programme (kuromoji's tokens): 補助金, 助成金, 奨励金, 給付金, 交付金,
 * 支援金, 応援金, 協力金 (what governments call a payment), 手当, 融資, 貸付, 共済, 減税 (not 税制: a scheme's old name, 所得拡大促進税制, is still its name). Kinds of
 * programme as printed in the sources (補助金・助成金・制度融資・共済), or as the press calls a tax measure (減税); not topics.
 */
/** Noun suffixes saying whom a thing is for (「中小企業向け」): the noun before them is the phrase's head for {@link AnalyzerOptions.regionHeads}. */
const TARGET_SUFFIX = new Set(['向け', '向き']);
const PROGRAM_HEADS: readonly (readonly string[])[] = [['補助', '金'], ['助成', '金'], ['奨励', '金'], ['給付', '金'], ['交付', '金'], ['支援', '金'], ['応援', '金'], ['協力', '金'], ['手当'], ['融資'], ['貸付'], ['共済'], ['減税']];
/** A number written as digits or kanji numerals (「300」「三」「万」): not a word of a name, unlike ゼロ. */
const NUMERAL = /^[0-9.,〇一二三四五六七八九十百千万億兆]+$/;
/** Longest modifier of a programme name read, in tokens (the catalogue's names have fewer; bounds the work on a paste). */
const MAX_MODIFIER_TOKENS = 12;
const HIRAGANA_RUN = /[\u3041-\u309f][\u3041-\u309f\u30fc]{2,}/g;
const TWO_KANJI = /^[\u4e00-\u9fff]{2}$/;
const KANJI = /[\u3400-\u9fff]/;
/** Shortest reading (kana) of a name matched by its reading: shorter ones are common words (ゆうし, きょうさい). */
const MIN_NAME_READING = 6;
/** A swapped compound is read instead when at least this many records write it, and this many times more than the form asked. */
const SWAP_MIN_RECORDS = 3;
const SWAP_RATIO = 5;
/** Shortest reading (hiragana characters) looked up in the reading index. */
const MIN_READING = 3;
/** Most homophones a reading adds (most frequent first). */
const MAX_HOMOPHONES = 3;

/**
 * Informativeness of a content word by part of speech (0–1): nouns and compounds carry the topic;
 * verbs, adjectives and one-character nouns weigh little; an unknown (katakana/ASCII) word is
 * treated as a noun. Rule from the issue #11 brief: 「名詞・複合語が話題を担い、動詞・形容詞・一文字名詞は軽い」.
 */
export function posWeight(t: Pick<Token, 'pos' | 'pos_detail_1'>, term: string): number {
  const len = [...term].length;
  if (t.pos === '名詞') {
    if (t.pos_detail_1 === '接尾') return len >= 2 ? 0.5 : 0.2;
    return len >= 2 ? 1 : 0.3;
  }
  if (t.pos === '動詞' || t.pos === '形容詞') return 0.35;
  return 0.3;
}

/**
 * Analyser over one KnowledgeBase (its gazetteer and synonyms). Methods never throw for any string.
 */
export class Analyzer {
  readonly gazetteer: Gazetteer;
  readonly synonyms: SynonymExpander;
  /** terms of each synonym-group member, analysed on first use (members are a fixed list) */
  private readonly memberTerms = new Map<string, TermSet>();
  /** the catalogue's vocabulary for the reading index (set by the search service once its index is loaded) */
  private vocabulary: Vocabulary | null = null;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly kb: Pick<KnowledgeBase, 'records' | 'byId' | 'areas' | 'synonyms'>,
    private readonly options: AnalyzerOptions = {},
  ) {
    this.gazetteer = new Gazetteer(kb);
    for (const [text, segs] of options.setupSegments ?? []) this.setup?.set(text, segs.map(([surface, base, start]) => ({ surface, base: base || surface, start })));
    this.synonyms = new SynonymExpander(kb.synonyms, this.setupSegmenter);
  }

  /**
   * Saved segmentations of the set-up texts (synonym members, record keywords: a fixed list, see
   * src/search/index-store.ts setupSegmentations), read while the phrase matchers are built instead
   * of tokenising them again; null after {@link endSetup}. Never grows: user text is tokenised.
   */
  private setup: Map<string, Segment[]> | null = new Map();

  private readonly setupSegmenter = (n: string): Segment[] => this.setup?.get(n) ?? this.segments(this.tokenize(n));

  /** Ends set-up: the saved segmentations are let go (call once the phrase matchers are built). */
  endSetup(): void {
    this.setup = null;
  }

  /** record names and aliases by the first kana of their reading (longest first), for {@link readNames} */
  private readonly namesByReading = new Map<string, { reading: string; key: string; id: string }[]>();

  /**
   * The readings of the record names and aliases of `kb` that are read by reading: [reading
   * (hiragana, ≥ {@link MIN_NAME_READING} kana), name key ({@link matchKey}), record id]. ≈0.2 s for
   * the catalogue, so computed when the index is built and saved with it.
   */
  nameReadings(kb: Pick<KnowledgeBase, 'records'>): [string, string, string][] {
    const out: [string, string, string][] = [];
    const places = this.gazetteer.places;
    for (const rec of kb.records) {
      if (rec.kind === 'area') continue;
      for (const n of [rec.name, ...rec.aliases]) {
        if (places.has(matchKey(n))) continue; // a place's name names no record (see Gazetteer)
        const reading = this.readingOf(n);
        if (reading && reading.length >= MIN_NAME_READING && reading !== matchKey(n)) out.push([reading, matchKey(n), rec.id]);
      }
    }
    return out;
  }

  /** Sets the name readings {@link readNames} looks for ({@link nameReadings}; ids unknown to the catalogue are skipped). */
  setNameReadings(list: readonly [string, string, string][]): void {
    this.namesByReading.clear();
    const places = this.gazetteer.places;
    for (const [reading, key, id] of list) {
      if (!this.kb.byId.has(id) || !reading || places.has(key)) continue;
      let l = this.namesByReading.get(reading[0]);
      if (!l) this.namesByReading.set(reading[0], (l = []));
      l.push({ reading, key, id });
    }
    for (const l of this.namesByReading.values()) l.sort((x, y) => y.reading.length - x.reading.length);
  }

  /**
   * The reading of a whole text in hiragana (kuromoji's readings; kana, Latin letters and digits as
   * written, folded), or null when a kanji word has no reading.
   */
  private readingOf(text: string): string | null {
    let out = '';
    for (const t of this.tokenize(normalize(text).slice(0, MAX_ANALYSED_CHARS))) {
      const piece = tokenReading(t);
      if (piece === null) return null;
      out += piece;
    }
    return out;
  }

  /**
   * Record names written with other kanji of the same reading or in kana (「経営確信計画」「せいどゆうし」
   * for 経営革新計画, 制度融資 — the commonest typing slip in Japanese, a wrong IME conversion): names
   * whose reading (≥ {@link MIN_NAME_READING} kana) occurs in the question's reading from one word
   * boundary to another, where no name was recognised as written. Added to `entities.records`.
   */
  private readNames(normalized: string, toks: Token[], folded: string, entities: Entities): void {
    let reading = '';
    const starts: number[] = []; // reading offset → normalized offset where the token begins (−1 inside a token)
    // reading offset just after a token → normalized offset after it
    const mark = new Map<number, number>();
    for (const t of toks) {
      const piece = tokenReading(t);
      if (piece === null || !piece) {
        reading += '\u0000';
        starts.push(-1);
        continue;
      }
      const at = t.word_position - 1;
      // a kana token reads as written, so any of its characters may begin or end a name (IPADIC cuts
      // a run of hiragana at random: 「こよ/うち/ょうせいじょせいきんの」)
      const asWritten = piece === fold(t.surface_form) && piece.length === t.surface_form.length;
      for (let k = 0; k < piece.length; k++) {
        starts.push(k === 0 || asWritten ? at + k : -1);
        if (asWritten && k > 0) mark.set(reading.length + k, at + k);
      }
      reading += piece;
      mark.set(reading.length, at + t.surface_form.length);
    }
    const taken = entities.records.map((r) => [r.end - r.matched.length, r.end] as const);
    const found = new Set(entities.records.map((r) => r.id));
    for (let i = 0; i < reading.length; i++) {
      const from = starts[i];
      if (from === undefined || from < 0) continue;
      for (const e of this.namesByReading.get(reading[i]) ?? []) {
        if (!reading.startsWith(e.reading, i)) continue;
        const to = mark.get(i + e.reading.length);
        if (to === undefined || found.has(e.id) || this.gazetteer.isGeneric(e.key, e.id)) continue;
        const rec = this.kb.byId.get(e.id)!;
        const start = fold(normalized.slice(0, from)).length;
        const end = fold(normalized.slice(0, to)).length;
        if (taken.some(([s, x]) => start < x && end > s)) continue;
        found.add(e.id);
        entities.records.push({ id: e.id, kind: rec.kind, name: rec.name, matched: folded.slice(start, end), key: e.key, end, span: [from, to] });
      }
    }
  }

  /** Sets the catalogue vocabulary the reading index and the reversed-compound rule look words up in. */
  setVocabulary(v: Vocabulary): void {
    this.vocabulary = v;
  }

  /** The analyser's tokenizer as a {@link Segmenter} over normalised text (for phrase matchers; the saved set-up segmentations first, until {@link endSetup}). */
  segmenter(): (normalized: string) => Segment[] {
    return this.setupSegmenter;
  }

  /** kuromoji tokens of a normalised text as synonym-matching segments (surface, base form, offset). */
  segments(toks: Token[]): Segment[] {
    return toks.map((t) => ({ surface: t.surface_form, base: t.basic_form, start: t.word_position - 1 }));
  }

  /** Adjacent noun pairs of `text` (folded terms joined by NUL), for the compound check of the reading index. */
  compounds(text: string): string[] {
    const out: string[] = [];
    const toks = this.tokenize(normalize(text).slice(0, MAX_ANALYSED_CHARS));
    for (let i = 0; i + 1 < toks.length; i++) {
      const a = toks[i];
      const b = toks[i + 1];
      if (a.pos !== '名詞' || b.pos !== '名詞' || !TWO_KANJI.test(b.surface_form)) continue;
      out.push(`${fold(a.basic_form && a.basic_form !== '*' ? a.basic_form : a.surface_form)}\0${fold(b.surface_form)}`);
    }
    return out;
  }

  /** The synonym groups whose members occur in `text` (token-wise, as in a question). */
  groupsIn(text: string): Set<number> {
    const n = normalize(text).slice(0, MAX_ANALYSED_CHARS);
    return this.synonyms.groupsIn(n, this.segments(this.tokenize(n)));
  }

  /**
   * Folded term → reading (hiragana) of the content words of `text`, for the reading index. Words
   * without a reading (unknown to IPADIC) are left out; a Latin acronym is read letter by letter.
   */
  readings(text: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const t of this.tokenize(normalize(text).slice(0, MAX_ANALYSED_CHARS))) {
      // a Latin acronym (DX, BCP) is read letter by letter
      if (ACRONYM.test(t.surface_form) && !STOP_WORDS.has(t.surface_form)) {
        out.set(t.surface_form, tokenReading(t)!);
        continue;
      }
      if (!isContent(t) || !t.reading || t.reading === '*') continue;
      const term = fold(t.basic_form && t.basic_form !== '*' ? t.basic_form : t.surface_form);
      if (!HAS_LETTER.test(term) || STOP_WORDS.has(term)) continue;
      // the reading of the surface: a conjugated verb's reading is not its base form's
      if (t.basic_form !== t.surface_form && t.pos !== '名詞') continue;
      out.set(term, fold(t.reading));
    }
    return out;
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

  /**
   * {@link terms} of each value analysed on its own, concatenated: no token or bigram is made across
   * the join of two values (「…労務士会」+「社労士会」 must not give 「会社」).
   */
  termsOfValues(values: readonly string[]): TermSet {
    const out: TermSet = { tokens: [], bigrams: [] };
    for (const v of values) {
      const t = this.terms(v);
      out.tokens.push(...t.tokens);
      out.bigrams.push(...t.bigrams);
    }
    return out;
  }

  /** Full analysis of a question: terms, recognised names, synonyms, quantities, other regions. */
  analyze(text: string): Analysis {
    const src = typeof text === 'string' ? text : '';
    const normalized = normalize(src).slice(0, MAX_ANALYSED_CHARS);
    const folded = fold(normalized);
    const toks = this.tokenize(normalized);
    const words = this.readWords(normalized, toks, this.contentWords(toks));
    const tokens = words.map((w) => w.term);
    const bi = bigrams(folded);
    const expansion = this.synonyms.expand(normalized, this.segments(toks));
    // words found by reading meet the synonym groups too (起業 → 創業)
    for (const w of words) {
      if (!w.derived) continue;
      const more = this.synonyms.expand(w.term);
      for (const g of more.groupIds) if (!expansion.groupIds.includes(g)) expansion.groupIds.push(g);
      for (const m of more.matched) if (!expansion.matched.includes(m)) expansion.matched.push(m);
      expansion.spans.push([w.start, w.end]);
    }
    const memberKeys = new Set(expansion.matched.map((m) => this.synonyms.foldedKeyOf(m)));
    expansion.groups = expansion.groupIds.map((g) => this.synonyms.members(g).filter((m) => !memberKeys.has(this.synonyms.foldedKeyOf(m))));
    expansion.added = expansion.groups.flat();
    const have = new Set([...tokens, ...bi]);
    const tokenGroups: string[][] = [];
    const synBigrams: string[] = [];
    for (const group of expansion.groups) {
      const list: string[] = [];
      for (const phrase of group) {
        let t = this.memberTerms.get(phrase);
        if (!t) this.memberTerms.set(phrase, (t = this.memberExpansionTerms(phrase)));
        for (const x of t.tokens) if (!have.has(x)) (have.add(x), list.push(x));
        for (const x of t.bigrams) if (!have.has(x)) (have.add(x), synBigrams.push(x));
      }
      if (list.length) tokenGroups.push(list);
    }
    const entities = this.gazetteer.recognise(folded);
    this.readNames(normalized, toks, folded, entities);
    const nameKeys = [...entities.records.map((r) => r.matched), ...entities.municipalities.map((m) => m.matched), ...entities.localities.map((l) => l.matched)];
    const inSynonym = (w: Word) => expansion.spans.some(([s, e]) => w.start < e && w.end > s);
    const explained = words.filter((w) => inSynonym(w) || nameKeys.some((k) => k.includes(w.surface) || w.surface.includes(k))).map((w) => w.term);
    const weights = new Map<string, number>();
    for (const w of words) weights.set(w.term, Math.max(weights.get(w.term) ?? 0, w.weight));
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
      otherRegions: this.otherRegions(toks, entities),
      words,
      weights,
      namedPrograms: this.namedPrograms(toks),
      segments: this.segments(toks),
      scope: this.scopeOf(toks),
    };
  }

  /** {@link Analysis.scope}: 国 or 県 as a word of its own (県 also as the suffix of the home region). */
  private scopeOf(toks: Token[]): Analysis['scope'] {
    let national = false;
    let prefectural = false;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t.surface_form === '国' && t.pos === '名詞' && t.pos_detail_1 !== '接尾') national = true;
      if (t.surface_form === '県' && t.pos === '名詞' && (t.pos_detail_1 !== '接尾' || toks[i - 1]?.surface_form === this.options.homeRegion)) prefectural = true;
    }
    return national === prefectural ? null : national ? 'national' : 'prefectural';
  }

  /** Compounds ending in a {@link PROGRAM_HEADS} word, with the content terms of their modifier. */
  private namedPrograms(toks: Token[]): Analysis['namedPrograms'] {
    const out: Analysis['namedPrograms'] = [];
    // a modifier ends at the previous name (「補助金補助金…」 is many names, not one long one) and is
    // at most MAX_MODIFIER_TOKENS long: each token is read once or twice, linear in the text
    let prevEnd = 0;
    for (let i = 0; i < toks.length; i++) {
      const head = PROGRAM_HEADS.find((h) => h.every((w, k) => toks[i + k]?.surface_form === w));
      if (!head) continue;
      let j = i;
      while (j > prevEnd && i - j < MAX_MODIFIER_TOKENS) {
        const t = toks[j - 1];
        const noun = t.pos === '名詞' && !['非自立', '代名詞'].includes(t.pos_detail_1) && !(t.pos_detail_1 === '数' && NUMERAL.test(t.surface_form));
        // (a bracket or other symbol IPADIC reads as a noun is no word of a name: 「…補助金(創業支援金)」)
        if ((!noun && t.pos !== '接頭詞' && !/^[a-z0-9・]+$/.test(t.surface_form)) || !HAS_LETTER.test(t.surface_form)) break;
        j--;
      }
      const end = i + head.length;
      if (j < i) {
        const mod = toks.slice(j, i);
        const start = toks[j].word_position - 1;
        const last = toks[end - 1];
        out.push({
          text: toks.slice(j, end).map((t) => t.surface_form).join(''),
          start,
          end: last.word_position - 1 + last.surface_form.length,
          modifiers: this.contentTerms(mod),
        });
      }
      i = end - 1;
      prevEnd = end;
    }
    return out;
  }

  /**
   * The terms a synonym member adds to a query. A kana-only member that kuromoji splits into several
   * pieces (まどぐち → ま/ど/ぐち, かいがい → かい/がい) adds nothing: its pieces are not its meaning,
   * and its kanji siblings carry the same terms. One-character terms are left out.
   */
  private memberExpansionTerms(member: string): TermSet {
    const n = normalize(member.replace(/…+|\.\.\.+/g, ' '));
    const toks = this.tokenize(n);
    if (/^[\u3041-\u309f\u30a1-\u30fa\u30fc]+$/.test(n) && toks.length > 1) return { tokens: [], bigrams: [] };
    return { tokens: this.contentTerms(toks).filter((t) => [...t].length >= 2), bigrams: [] };
  }

  /**
   * Words of the question after the reading index: a run of three or more hiragana holding a word
   * the catalogue does not know is segmented by the readings of catalogue terms (longest first) and
   * those terms replace kuromoji's pieces; a two-kanji word the catalogue does not know whose reverse
   * it knows becomes that (継承 → 承継). Without a vocabulary the words are returned as they are.
   */
  private readWords(normalized: string, toks: Token[], words: Word[]): Word[] {
    const v = this.vocabulary;
    if (!v) return words;
    const known = (t: string) => v.known(t);
    let out = words.map((w, i) => {
      if (!TWO_KANJI.test(w.term)) return w;
      const rev = [...w.term].reverse().join('');
      if (!known(rev)) return w;
      if (!known(w.term)) return { ...w, term: rev, derived: true };
      // a compound the catalogue (almost) never writes whose swapped form it writes often (事業継承 → 事業承継)
      const prev = words[i - 1];
      if (prev && prev.end === w.start && v.compound) {
        const asWritten = v.compound(prev.term, w.term);
        const swapped = v.compound(prev.term, rev);
        if (swapped >= SWAP_MIN_RECORDS && swapped > SWAP_RATIO * asWritten) return { ...w, term: rev, derived: true };
      }
      return w;
    });
    for (const m of normalized.matchAll(HIRAGANA_RUN)) {
      const start = m.index;
      const end = start + m[0].length;
      const inside = toks.filter((t) => t.word_position - 1 >= start && t.word_position - 1 + t.surface_form.length <= end);
      const needs = inside.some((t) => t.word_type !== 'KNOWN' || (isContent(t) && !known(fold(t.basic_form && t.basic_form !== '*' ? t.basic_form : t.surface_form))));
      if (!needs) continue;
      const run = m[0];
      const found: Word[] = [];
      for (let i = 0; i < run.length; ) {
        let len = 0;
        let terms: readonly string[] = [];
        for (let l = Math.min(run.length - i, 12); l >= MIN_READING; l--) {
          const t = v.readings.get(run.slice(i, i + l));
          if (t?.length) {
            len = l;
            terms = t;
            break;
          }
        }
        // grammar read as a word (「もらうしかない」 → かない → 課内): a span all of whose tokens are
        // particles or auxiliaries is not a word the question typed
        if (len) {
          const from = start + i;
          const to = from + len;
          const over = inside.filter((t) => t.word_position - 1 < to && t.word_position - 1 + t.surface_form.length > from);
          if (over.length && over.every(isFunctionToken)) len = 0;
        }
        if (!len) {
          i++;
          continue;
        }
        for (const term of terms.slice(0, MAX_HOMOPHONES)) found.push({ term, surface: run.slice(i, i + len), weight: 1, start: start + i, end: start + i + len, derived: true });
        i += len;
      }
      if (!found.length) continue;
      const covered = (w: Word) => found.some((f) => w.start < f.end && w.end > f.start);
      out = [...out.filter((w) => !covered(w)), ...found].sort((a, b) => a.start - b.start);
    }
    return out;
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

  /** Content words: folded term (base form), folded surface, weight and span. */
  private contentWords(toks: Token[]): Word[] {
    const out: Word[] = [];
    let ascii = '';
    let asciiStart = 0;
    const flush = () => {
      if (/[a-z]/.test(ascii)) out.push({ term: ascii, surface: ascii, weight: 1, start: asciiStart, end: asciiStart + ascii.length });
      ascii = '';
    };
    for (const t of toks) {
      const surface = t.surface_form;
      const start = t.word_position - 1;
      if (/^[a-z0-9]+$/.test(surface)) {
        if (!ascii) asciiStart = start;
        ascii += surface;
        continue;
      }
      flush();
      if (!isContent(t)) continue;
      const term = fold(t.basic_form && t.basic_form !== '*' ? t.basic_form : surface);
      if (!HAS_LETTER.test(term) || STOP_WORDS.has(term)) continue;
      if (t.pos_detail_1 === '接尾' && [...term].length < 2) continue;
      const unknownWord = t.word_type !== 'KNOWN' && /[\u30a1-\u30fa]/.test(surface);
      out.push({ term, surface: fold(surface), weight: unknownWord ? 1 : posWeight(t, term), start, end: start + surface.length });
    }
    flush();
    return out;
  }

  /**
   * Places of other prefectures the question is about: a prefecture (〇〇県/府/都/道, or one of the
   * 47 names alone) or a 市町村 (kuromoji 名詞,固有名詞,地域 followed by 市/町/村/区/郡) that is not a
   * 市町 or locality of the catalogue and not part of a recognised record name. A place is only
   * mentioned, and does not count, when followed by から/より/へ (where one comes from or sells to), when
   * it qualifies a noun that is not one of the {@link AnalyzerOptions.regionHeads} (「東京の展示会」), or
   * when the question also names a place here (the home prefecture or one of its 市町): [] then.
   */
  private otherRegions(toks: Token[], entities: Entities): string[] {
    const home = this.options.homeRegion;
    if (!home) return [];
    const ours = [...entities.municipalities.map((m) => m.matched), ...entities.localities.map((l) => l.matched)];
    // a question that also names a place here (山口県, one of its 市町) is about the business or plan
    // here — 「東京のソフト会社だけど、山口に開発拠点を出したい」: another place is only mentioned
    // (IPADIC often reads 山口 as a surname — 「山口県内に」「山口の山あいの町に」 — it is the place unless a
    // title follows it: 「山口さん」)
    if (ours.length || toks.some((t, i) => t.surface_form === home && !PERSON_TITLES.has(toks[i + 1]?.surface_form ?? ''))) return [];
    const names = entities.records.map((r) => r.matched);
    const returning = toks.some((t) => (t.pos === '動詞' && RETURN_VERBS.has(t.basic_form)) || RETURN_NOUNS.has(t.surface_form));
    const out: string[] = [];
    for (let i = 0; i < toks.length; i++) {
      const a = toks[i];
      if (a.pos !== '名詞' || a.pos_detail_1 !== '固有名詞' || a.pos_detail_2 !== '地域' || a.pos_detail_3 === '国') continue;
      const b = toks[i + 1];
      const suffix = b && b.pos_detail_1 === '接尾' ? b.surface_form : '';
      const place = a.surface_form + suffix;
      const nextAt = i + (suffix ? 2 : 1);
      const next = toks[nextAt];
      if (a.surface_form === home) continue;
      const key = fold(place);
      if (ours.some((k) => k === key || k.includes(fold(a.surface_form)) || key.includes(k))) continue;
      if (names.some((k) => k.includes(fold(a.surface_form)))) continue;
      const prefecture = PREFECTURE_SUFFIX.has(suffix) || (PREFECTURES.has(a.surface_form) && !MUNICIPALITY_SUFFIX.has(suffix));
      const municipality = MUNICIPALITY_SUFFIX.has(suffix);
      if (!prefecture && !municipality) continue;
      // (「東京23区から」: a number or suffix after the place belongs to it)
      let k = nextAt;
      while (k < nextAt + 3 && toks[k]?.pos === '名詞' && (toks[k].pos_detail_1 === '数' || toks[k].pos_detail_1 === '接尾')) k++;
      const after = toks[k];
      if (after && ORIGIN_PARTICLES.has(after.surface_form) && after.pos === '助詞') continue;
      // 「東京で働いていましたが、…戻ってきました」: asked by someone who came back, the place where they
      // were (…で) is where they come from
      if (after?.surface_form === 'で' && after.pos === '助詞' && returning) continue;
      // 「東京や大阪で働いている経験者」: the place is inside a clause that describes someone or
      // something else (a verb whose clause modifies a noun that is not a business or programme noun)
      const clauseFrom = this.afterPlaceList(toks, nextAt);
      if (clauseFrom >= 0 && this.describesOther(toks, clauseFrom)) continue;
      // 「福岡や広島の大学生」: the の after the list of places decides for each of them
      const afterList = this.placeListEnd(toks, nextAt);
      const no = toks[afterList];
      if (no && no.pos === '助詞' && no.pos_detail_1 === '連体化' && (!this.qualifiesRegionHead(toks, afterList + 1) || this.namesOtherParty(toks, afterList + 1))) continue;
      if (!out.includes(place)) out.push(place);
    }
    return out;
  }

  /**
   * The token after the place particle で/に of a place list starting at `at` (「東京や大阪で」: after
   * the で), or −1 when the place is not followed by で/に (directly or after 「や/と + place」).
   */
  private afterPlaceList(toks: Token[], at: number): number {
    const i = this.placeListEnd(toks, at);
    const p = toks[i];
    return p && p.pos === '助詞' && (p.surface_form === 'で' || p.surface_form === 'に') ? i + 1 : -1;
  }

  /**
   * The token after a list of places whose first place ends before token `at` (「AやBの」「AとBで」:
   * up to three more places joined by 並立助詞, each with its suffix): `at` itself when there is none.
   */
  private placeListEnd(toks: Token[], at: number): number {
    let i = at;
    for (let n = 0; n < 3 && toks[i]?.pos === '助詞' && toks[i].pos_detail_1 === '並立助詞' && toks[i + 1]?.pos_detail_2 === '地域'; n++) {
      i += 2;
      if (toks[i]?.pos_detail_1 === '接尾' && toks[i].pos_detail_2 === '地域') i++;
    }
    return i;
  }

  /**
   * Whether the clause starting at token `from` is a relative clause — its first independent verb
   * (within 6 tokens), after て/いる/た, directly modifies a content noun — whose noun is not one of
   * the {@link AnalyzerOptions.regionHeads} (「大阪で働いている経験者」 yes; 「大阪で開業した会社」,
   * 「大阪で開業するときの」, 「福岡で店をやっている者」 no).
   */
  private describesOther(toks: Token[], from: number): boolean {
    let v = -1;
    for (let k = from; k < toks.length && k - from < 6; k++) {
      if (toks[k].pos === '記号') return false;
      if (toks[k].pos === '動詞' && toks[k].pos_detail_1 === '自立') {
        v = k;
        break;
      }
    }
    if (v < 0) return false;
    let k = v + 1;
    while (k < toks.length && k - v <= 4 && ((toks[k].pos === '助詞' && toks[k].pos_detail_1 === '接続助詞') || toks[k].pos === '助動詞' || (toks[k].pos === '動詞' && toks[k].pos_detail_1 === '非自立'))) {
      // a sentence-final auxiliary (たい, です, ます) ends the clause: the place is the business's
      if (toks[k].pos === '助動詞' && !['た', 'だ'].includes(toks[k].basic_form)) return false;
      k++;
    }
    const noun = toks[k];
    if (!noun || noun.pos !== '名詞' || !['一般', 'サ変接続', '固有名詞'].includes(noun.pos_detail_1)) return false;
    // the modified noun phrase, and those it qualifies in turn with の (「広島県で使える設備投資の補助金」)
    for (let hop = 0; hop < 3 && k < toks.length; hop++) {
      if (this.qualifiesRegionHead(toks, k)) return false;
      while (k < toks.length && (toks[k].pos === '名詞' || toks[k].pos === '接頭詞')) k++;
      if (toks[k]?.pos !== '助詞' || toks[k].pos_detail_1 !== '連体化') break;
      k++;
    }
    return true;
  }

  /**
   * Whether the noun phrase starting at token `from` ends in one of the
   * {@link AnalyzerOptions.partyHeads} (a business: 会社, メーカー) and is followed by a case particle
   * that makes it another party of the story (「東京のメーカーと組んで」「愛知の完成車メーカーが…」「大阪の会社
   * から受注」): not the asker's business, which says what it is (「大阪の会社です」) or where the help is
   * wanted (「広島の工場で使える」).
   */
  private namesOtherParty(toks: Token[], from: number): boolean {
    const heads = this.options.partyHeads;
    if (!heads?.length) return false;
    const { phrase, end } = nounPhraseAt(toks, from);
    if (!phrase || !heads.some((h) => phrase.endsWith(h))) return false;
    const next = toks[end];
    return !!next && next.pos === '助詞' && PARTY_PARTICLES.has(next.surface_form);
  }

  /**
   * Whether the noun phrase starting at token `from` (after adnominal words: 「大きな」) ends in one of
   * the {@link AnalyzerOptions.regionHeads} or {@link AnalyzerOptions.partyHeads}; true without heads
   * configured or without a noun phrase.
   */
  private qualifiesRegionHead(toks: Token[], from: number): boolean {
    const heads = [...(this.options.regionHeads ?? []), ...(this.options.partyHeads ?? [])];
    if (!heads.length) return true;
    const np = nounPhraseAt(toks, from);
    let { phrase } = np;
    // 「〇〇県の中小企業向けの…」: a phrase ending in the suffix 向け names whom it is for (中小企業);
    // 「企業向け展示会」 goes on to its head
    const last = toks[np.end - 1];
    if (np.end - 1 > np.start && last.pos_detail_1 === '接尾' && TARGET_SUFFIX.has(last.surface_form)) phrase = phrase.slice(0, -last.surface_form.length);
    if (!phrase) return true;
    return heads.some((h) => phrase.endsWith(h));
  }
}

/**
 * The noun phrase starting at token `from`, after up to three adnominal words (「大きな」「新しい」): up to
 * eight nouns or prefixes joined as written; `start`/`end` are its first token and the one after it.
 */
function nounPhraseAt(toks: readonly Token[], from: number): { phrase: string; start: number; end: number } {
  let start = from;
  while (start < toks.length && start - from < 3 && (toks[start].pos === '連体詞' || toks[start].pos === '形容詞')) start++;
  let phrase = '';
  let end = start;
  for (; end < toks.length && end - start < 8 && (toks[end].pos === '名詞' || toks[end].pos === '接頭詞'); end++) phrase += toks[end].surface_form;
  return { phrase, start, end };
}

/** A token's reading in hiragana: kuromoji's, a short Latin acronym spelt out (IT → あいてぃー), else the surface when it has no kanji; null otherwise. */
function tokenReading(t: Token): string | null {
  if (t.reading && t.reading !== '*') return fold(t.reading);
  if (ACRONYM.test(t.surface_form)) return [...t.surface_form].map((c) => LETTER_READINGS[c.charCodeAt(0) - 97]).join('');
  return KANJI.test(t.surface_form) ? null : fold(t.surface_form);
}

/** A Latin acronym as normalised (lower case), up to three letters: IT, DX, EC, BCP, IoT — said letter by letter. */
const ACRONYM = /^[a-z]{1,3}$/;
/** How the letters a–z are said in Japanese (hiragana): the names of the letters. */
const LETTER_READINGS = 'えー びー しー でぃー いー えふ じー えいち あい じぇー けー える えむ えぬ おー ぴー きゅー あーる えす てぃー ゆー ぶい だぶりゅー えっくす わい ぜっと'.split(' ');

/** Light verbs and the negative adjective: closed-class words that carry grammar, not a topic. */
const LIGHT_WORDS = new Set(['する', 'いる', 'ある', 'なる', 'できる', 'ない']);

/** A particle, an auxiliary, a dependent verb/noun or a light word (し, か, ない, いる, こと): grammar, not a topic word. */
function isFunctionToken(t: Token): boolean {
  if (t.word_type !== 'KNOWN') return false;
  if (t.pos === '助詞' || t.pos === '助動詞') return true;
  if ((t.pos === '動詞' || t.pos === '名詞' || t.pos === '形容詞') && t.pos_detail_1 === '非自立') return true;
  return (t.pos === '動詞' || t.pos === '形容詞') && LIGHT_WORDS.has(t.basic_form);
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
export async function createAnalyzer(kb: Pick<KnowledgeBase, 'records' | 'byId' | 'areas' | 'synonyms'>, options?: AnalyzerOptions): Promise<Analyzer> {
  return new Analyzer(await getTokenizer(), kb, options);
}
