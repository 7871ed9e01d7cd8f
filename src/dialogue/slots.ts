/**
 * Reading slot values from free answers (「２５人」「5千万円」「3億」「わからない」「周南市熊毛」
 * 「個人でやってます」) and from a one-shot message (「山口市阿知須で飲食店、従業員4人。店を息子に
 * 継がせたい」). Every word list and answer label lives in intents/flow.yaml and knowledge/; this file
 * only reads them (a headcount is shown as 「4人」 by formatHeadcount).
 * No function here throws.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import { findArea, findPlace, localityNames } from '../eligibility/desks.ts';
import { mapIndustry } from '../text/industry.ts';
import { findFields } from '../eligibility/fields.ts';
import { formatHeadcount } from '../eligibility/profile.ts';
import { findQuantities, matchKey, MAX_NUMBER_DIGITS, normalize } from '../text/normalize.ts';
import type { Token, Tokenizer } from '../text/tokenizer.ts';
import type { ChoiceDef, FlowFile, SlotDef } from './data.ts';

/** A value read for a slot and how to show it. `value: null` = 「わからない」 (open, no filter). */
export interface SlotAnswer {
  value: unknown;
  label: string;
}

/** Outcome of reading one answer. */
export type ParseOutcome =
  | { status: 'ok'; answer: SlotAnswer; also?: Record<string, SlotAnswer> }
  | { status: 'unknown' }
  | { status: 'invalid' };

/** What the parsers need. */
export interface SlotContext {
  kb: KnowledgeBase;
  flow: FlowFile;
  /** current answers (for the area: which 市町) */
  answers: Record<string, unknown>;
  /** kuromoji, to read which business a one-shot message says the user runs (without it: clauses only) */
  tokenizer?: Tokenizer;
}

const KANJI_DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 壱: 1, 弐: 2 };
const KANJI_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Kanji numerals before 人/名/年 → digits (「四人」→「4人」, 「二十五名」→「25名」, 「三年目」→「3年目」). */
export function kanjiNumbers(text: string): string {
  return text.replace(/(?<![〇零一二三四五六七八九十百千壱弐])([〇零一二三四五六七八九十百千壱弐]+)(?=人|名|年)/g, (run) => {
    // longer than any real count: left as written (not read as a number)
    if (run.length > MAX_NUMBER_DIGITS) return run;
    let total = 0;
    let cur = 0;
    for (const ch of run) {
      if (ch in KANJI_DIGIT) cur = cur * 10 + KANJI_DIGIT[ch];
      else {
        total += (cur || 1) * KANJI_UNIT[ch];
        cur = 0;
      }
    }
    return String(total + cur);
  });
}

/**
 * The clauses of a message that do not deny something: 「コロナ融資は使っていません」「債務超過も
 * ありません」 are dropped, so their words do not pull those programmes up. Clauses end at 。、！？.
 */
export function affirmed(message: string): string {
  return message
    .split(/[。、！？!?\n]/)
    .filter((c) => !/(ません|ないです|ていない|でない|じゃない|ではない|なかった|ない)(でした|です|よ|ね)?[\s)）]*$/.test(c.trim()))
    .join('。');
}

/** Does the answer say 「わからない」? */
export function isUnknown(flow: FlowFile, text: string): boolean {
  const k = matchKey(text);
  return k.length > 0 && k.length <= 20 && flow.unknownWords.some((w) => k.includes(matchKey(w)));
}

const containsWord = (key: string, words: string[] | undefined) => (words ?? []).some((w) => matchKey(w) && key.includes(matchKey(w)));

/** The choice whose label equals the answer (choice buttons send their label). */
function exactChoice(choices: ChoiceDef[] | undefined, text: string): ChoiceDef | undefined {
  const k = matchKey(text).replace(/[（(]該当\d+件[）)]$/, '');
  return choices?.find((c) => matchKey(c.label) === k);
}

/** The choice with most word hits in `key` (ties: the one mentioned last). */
function bestChoice(choices: ChoiceDef[] | undefined, key: string): ChoiceDef | undefined {
  let best: { c: ChoiceDef; hits: number; last: number } | undefined;
  for (const c of choices ?? []) {
    let hits = 0;
    let last = -1;
    for (const w of [c.label, ...(c.words ?? [])]) {
      const mk = matchKey(w);
      if (!mk) continue;
      let at = key.indexOf(mk);
      while (at >= 0) {
        hits++;
        last = Math.max(last, at);
        at = key.indexOf(mk, at + mk.length);
      }
    }
    if (hits && (!best || hits > best.hits || (hits === best.hits && last > best.last))) best = { c, hits, last };
  }
  return best?.c;
}

/** The noun phrase (kanji/katakana/letters run) of `text` around `keyword` — 「建設会社」 for 建設. */
export function phraseAround(text: string, keyword: string): string {
  const s = normalize(text);
  const k = normalize(keyword);
  const at = k ? s.indexOf(k) : -1;
  if (at < 0) return s.slice(0, 30);
  const word = /[\u4e00-\u9fff々ヶァ-ヺー・a-z0-9]/;
  let a = at;
  let b = at + k.length;
  while (a > 0 && word.test(s[a - 1]) && at - a < 12) a--;
  while (b < s.length && word.test(s[b]) && b - at < 16) b++;
  // keep 「屋」「店」 and similar one-kana suffixes of shops
  if (b < s.length && /[屋店]/.test(s[b])) b++;
  return s.slice(a, b);
}

function choiceValue(c: ChoiceDef): unknown {
  return c.value === undefined ? c.label : c.value;
}

const ok = (value: unknown, label: string, also?: Record<string, SlotAnswer>): ParseOutcome => ({ status: 'ok', answer: { value, label }, ...(also ? { also } : {}) });

/** A token of kuromoji that is part of a noun phrase (名詞, 接頭詞, or a suffix such as 屋・業). */
const nounLike = (t: Token) => t.pos === '名詞' || t.pos === '接頭詞';
/** 「の」 joining two nouns (「部品加工の会社」). */
const joiner = (t: Token) => t.pos === '助詞' && t.pos_detail_1 === '連体化';

/** The noun phrase ending just before token `end` (exclusive): nouns, joined by 「の」. */
function nounPhraseBefore(tokens: Token[], end: number): { text: string; head: Token } | null {
  let a = end;
  while (a > 0 && (nounLike(tokens[a - 1]) || (joiner(tokens[a - 1]) && a - 1 > 0 && nounLike(tokens[a - 2]) && a < end))) a--;
  if (a === end) return null;
  return { text: tokens.slice(a, end).map((t) => t.surface_form).join(''), head: tokens[end - 1] };
}

const form = (t: Token) => (t.basic_form && t.basic_form !== '*' ? t.basic_form : t.surface_form);

/**
 * The noun phrases of a message that name the business the user runs, read from the sentence
 * structure (kuromoji): the object of a business verb of flow.yaml `business.verbs` outside a clause
 * stating a wish (「部品加工の会社をやっています」「飲食店を営んでいます」「パン屋をしています」), or of a
 * founding verb (`business.startVerbs`, also in a wish: 「和菓子屋を個人で開業して」「カフェを開きたい」),
 * or a noun phrase ending in one of `business.heads` before a copula (「建設会社です」「運送業です」).
 * In text order; [] when the message does not say.
 */
export function businessPhrases(tokenizer: Tokenizer, flow: FlowFile, text: string): string[] {
  const b = flow.business;
  const tokens = tokenizer.tokenize(normalize(text).slice(0, 500));
  const verbs = new Set(b.verbs);
  const startVerbs = new Set(b.startVerbs);
  const heads = b.heads.map(matchKey);
  // the clause of each token, and whether that clause states a wish (「…を入れたい」)
  const clauseOf: number[] = [];
  const clauses: string[] = [''];
  for (const t of tokens) {
    clauseOf.push(clauses.length - 1);
    clauses[clauses.length - 1] += t.surface_form;
    if (t.pos === '記号' && /[。、！？!?]/.test(t.surface_form)) clauses.push('');
  }
  const wish = clauses.map((c) => b.wishCues.some((w) => c.includes(w)));
  const out: { at: number; text: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const f = verbs.has(form(t)) || verbs.has(t.surface_form);
    const s = startVerbs.has(form(t)) || startVerbs.has(t.surface_form);
    // a wish names the business only when it is to start one (「カフェを開きたい」), not to buy or order
    if ((f && !wish[clauseOf[i]]) || s) {
      // the verb's own object: a particle right before it (「パン屋をしています」; 「工作機械を導入し」 is 導入する),
      // back to the object marker (を/は) within a few tokens (「和菓子屋を個人で開業」)
      if (i > 0 && tokens[i - 1].pos === '助詞') {
        for (let j = i - 1; j >= Math.max(0, i - 6); j--) {
          const u = tokens[j];
          if (u.pos === '助詞' && b.objectMarkers.includes(u.surface_form)) {
            const np = nounPhraseBefore(tokens, j);
            if (np) out.push({ at: j, text: np.text });
            break;
          }
          if (u.pos === '動詞' || (u.pos === '記号' && /[。、！？]/.test(u.surface_form))) break;
        }
      }
    }
    // 「〇〇業です」 states the business even after a wish that modifies it (「工場を新設したい製造業です」)
    if (t.pos === '助動詞' && b.copulas.includes(form(t))) {
      const np = nounPhraseBefore(tokens, i);
      if (np && heads.some((h) => h && matchKey(np.head.surface_form).endsWith(h))) out.push({ at: i, text: np.text });
    }
  }
  return out.sort((x, y) => x.at - y.at).map((x) => x.text);
}

/** The clauses of a message that do not state a wish (flow.yaml `business.wishCues`: 「…を入れたい」). */
function statedClauses(flow: FlowFile, text: string): string[] {
  return normalize(text)
    .split(/[。、！？!?\n]/)
    .filter((c) => c.trim() && !flow.business.wishCues.some((w) => c.includes(w)));
}

/**
 * Reads an industry: a choice label, or a keyword of knowledge/industries.yaml in the text.
 * In a longer message (`direct` false) the 業種 is the business the user says they run
 * ({@link businessPhrases}); failing that, an industry word outside the clauses that state a wish —
 * 「リースで新しい工作機械を入れたい」 does not make the business a リース業.
 */
function parseIndustry(ctx: SlotContext, text: string, direct = true): ParseOutcome {
  const choice = ctx.kb.industries.choices.find((c) => matchKey(c.label) === matchKey(text).replace(/[（(]該当\d+件[）)]$/, ''));
  if (choice) return ok(choice.industry, choice.label);
  const candidates = direct ? [text] : [...(ctx.tokenizer ? businessPhrases(ctx.tokenizer, ctx.flow, text) : []), ...statedClauses(ctx.flow, text)];
  for (const c of candidates) {
    const m = mapIndustry(ctx.kb.industries, c);
    if (!m) continue;
    const phrase = phraseAround(c, m.keyword);
    return ok(phrase, phrase);
  }
  return { status: 'invalid' };
}

/** Reads a headcount: 「25人」「二十五名」「25」, zero words, or a range choice. */
function parseHeadcount(slot: SlotDef, text: string, bareNumber: boolean): ParseOutcome {
  const c = exactChoice(slot.choices, text);
  if (c) return ok(choiceValue(c), c.label);
  const key = matchKey(text);
  const s = kanjiNumbers(normalize(text));
  const people = findQuantities(s).filter((q) => q.unit === '人');
  const near = people.find((q) => /(従業員|社員|スタッフ|従業者|雇用|パート)[^。]{0,8}$/.test(s.slice(0, s.indexOf(q.text))));
  const q = near ?? (bareNumber ? people[0] : people.length === 1 && /従業員|社員|スタッフ|雇って/.test(s) ? people[0] : undefined);
  if (q && Number.isInteger(q.value) && q.value >= 0 && q.value < 1e7) return ok(q.value, formatHeadcount(q.value));
  if (bareNumber) {
    const m = s.match(/^(?:約|およそ)?(\d{1,7})(?:くらい|ぐらい|程度|ほど)?$/);
    if (m) return ok(parseInt(m[1], 10), formatHeadcount(parseInt(m[1], 10)));
  }
  if (containsWord(key, slot.zeroWords) && (bareNumber || /従業員|社員/.test(s))) return ok(0, formatHeadcount(0));
  return { status: 'invalid' };
}

/** Reads 資本金: 「5千万円」「3億」「1000万」, none words, or a choice. In a one-shot message only after 「資本金」. */
function parseYenAnswer(slot: SlotDef, text: string, direct: boolean): ParseOutcome {
  const c = exactChoice(slot.choices, text);
  if (c) return ok(choiceValue(c), c.label);
  const s = normalize(text);
  const amounts = findQuantities(s).filter((q) => q.unit === '円');
  const capital = direct ? amounts[0] : amounts.find((q) => /資本金[^。]{0,6}$/.test(s.slice(0, s.indexOf(q.text))));
  if (capital) return ok(capital.value, capital.text);
  if (direct && slot.noneLabel && containsWord(matchKey(text), slot.noneWords)) return ok(null, slot.noneLabel);
  return { status: 'invalid' };
}

/** Reads a 市町 (and a locality after it): 「周南市熊毛」→ 周南市 + area 熊毛. */
function parseMunicipality(ctx: SlotContext, text: string): ParseOutcome {
  const place = findPlace(ctx.kb, text);
  if (!place) return { status: 'invalid' };
  return ok(place.municipality, place.municipality, place.area ? { area: { value: place.area, label: place.area } } : undefined);
}

/** Reads a locality of the current 市町; any short place name is accepted (desk addresses decide later). */
function parseArea(ctx: SlotContext, text: string): ParseOutcome {
  const m = typeof ctx.answers.municipality === 'string' ? ctx.answers.municipality : null;
  const key = matchKey(text).replace(/[（(]該当\d+件[）)]$/, '');
  if (m) {
    const names = localityNames(ctx.kb, m);
    const area = findArea(ctx.kb, m);
    for (const l of area?.localities ?? []) {
      if ([l.name, ...(l.aliases ?? [])].some((n) => matchKey(n) && key.includes(matchKey(n)))) return ok(l.name, l.name);
    }
    const hit = names.find((n) => matchKey(n) && key.includes(matchKey(n)));
    if (hit) return ok(hit, hit);
    const place = findPlace(ctx.kb, text);
    if (place?.area && place.municipality === m) return ok(place.area, place.area);
  }
  const s = normalize(text).replace(/(です|だよ|だ|地区|地域|の方|のほう|あたり|辺り)+$/, '');
  if (/^[\u4e00-\u9fff々ヶぁ-んァ-ヺー]{1,10}$/.test(s)) return ok(s, s);
  return { status: 'invalid' };
}

/** Reads a stage: years since founding (「3年目」「創業10年」) first, then the choices' words. */
function parseStage(slot: SlotDef, text: string): ParseOutcome {
  const c = exactChoice(slot.choices, text);
  if (c) return ok(choiceValue(c), c.label);
  const s = kanjiNumbers(normalize(text));
  const limit = slot.startupYears ?? 5;
  const m = s.match(/(?<!\d)(\d+)年目/) ?? s.match(/(?:創業|開業|設立|起業)(?:して|から|後)?(\d+)年/) ?? s.match(/(?<!\d)(\d+)年(?:前|になる|経|たつ)/);
  if (m) {
    const years = parseInt(m[1], 10) - (m[0].includes('年目') ? 1 : 0);
    const pick = slot.choices?.find((x) => x.value === (years < limit ? 'startup' : 'established'));
    if (pick) return ok(choiceValue(pick), pick.label);
  }
  const b = bestChoice(slot.choices, matchKey(text));
  return b ? ok(choiceValue(b), b.label) : { status: 'invalid' };
}

/**
 * Reads a 技術・産業分野: a field label or keyword of knowledge/fields.yaml (「環境・エネルギー分野の新素材」
 * → [環境・エネルギー]; several when the text names several), or, answering the question, one of the
 * slot's own choices (「その他の分野」 → []).
 */
function parseField(ctx: SlotContext, slot: SlotDef, text: string, direct: boolean): ParseOutcome {
  const own = direct ? (exactChoice(slot.choices, text) ?? bestChoice(slot.choices, matchKey(text))) : undefined;
  const fields = findFields(ctx.kb, text.replace(/[（(]該当\d+件[）)]$/, ''));
  if (fields.length) return ok(fields, fields.join('、'));
  return own ? ok(choiceValue(own), own.label) : { status: 'invalid' };
}

/**
 * Reads the answer to `slot`. `direct` = the user is answering this very question (a bare 「25」 is a
 * headcount, any amount is the capital); false = scanning a longer message (one shot).
 */
export function parseSlot(ctx: SlotContext, slot: SlotDef, text: string, direct = true): ParseOutcome {
  try {
    if (direct && isUnknown(ctx.flow, text)) return { status: 'unknown' };
    switch (slot.parser) {
      case 'industry':
        return parseIndustry(ctx, text, direct);
      case 'headcount':
        return parseHeadcount(slot, text, direct);
      case 'yen':
        return parseYenAnswer(slot, text, direct);
      case 'municipality':
        return parseMunicipality(ctx, text);
      case 'area':
        return direct ? parseArea(ctx, text) : { status: 'invalid' };
      case 'stage':
        return parseStage(slot, text);
      case 'field':
        return parseField(ctx, slot, text, direct);
      case 'choice': {
        const c = exactChoice(slot.choices, text) ?? bestChoice(slot.choices, matchKey(text));
        return c ? ok(choiceValue(c), c.label) : { status: 'invalid' };
      }
    }
  } catch {
    return { status: 'invalid' };
  }
  return { status: 'invalid' };
}

/**
 * Every slot a message fills (one shot): 「山口市阿知須で飲食店、従業員4人。店を息子に継がせたい」 →
 * municipality 山口市, area 阿知須, industry 飲食店, employees 4, purpose 事業承継.
 */
export function extractSlots(ctx: SlotContext, text: string): Record<string, SlotAnswer> {
  const out: Record<string, SlotAnswer> = {};
  for (const slot of ctx.flow.slots) {
    const r = parseSlot({ ...ctx, answers: { ...ctx.answers, ...Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value])) } }, slot, text, false);
    if (r.status !== 'ok') continue;
    out[slot.name] = r.answer;
    for (const [k, v] of Object.entries(r.also ?? {})) if (!(k in out)) out[k] = v;
  }
  return out;
}
