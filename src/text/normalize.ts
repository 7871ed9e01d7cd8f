/**
 * Text normalisation shared by indexing and queries.
 *
 * - {@link normalize}: the display-safe canonical form (NFKC, 〜 unified, spaces inside Japanese runs
 *   removed, ASCII lower-cased, control characters dropped). kuromoji tokenises this form.
 * - {@link fold}: the matching form of a normalised string — katakana folded to hiragana, 長音 variants
 *   unified and the 長音 ending a katakana run dropped (コンピューター = コンピュータ), 四つ仮名 merged (づ→ず, ぢ→じ).
 *   Index terms, bigrams and gazetteer keys are all folded, so 「ｲﾝｽﾀ」「インスタ」「いんすた」 meet.
 * - {@link findQuantities}: numbers with units (「５千万円」「3億」「２０人」) → values, via numbers.ts.
 *
 * Source of the defects handled: ../shared/seeds/README.md "Known defects of the text".
 */
import { dropThousandsSeparators, prefixEndingIn, scanCompounds } from './numbers.ts';

export { overlongDigitRuns, MAX_NUMBER_DIGITS } from './numbers.ts';

/** A Japanese character: kana, CJK ideograph, 々〆ヵヶ, the 長音 mark. */
const JA = '\\u3005-\\u3007\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u30fc';
const JA_CLASS = `[${JA}]`;
const SPACE_BETWEEN_JA = new RegExp(`(?<=${JA_CLASS})\\s+(?=${JA_CLASS})`, 'g');
const SPACE_JA_LEFT = new RegExp(`(?<=${JA_CLASS})\\s+(?=[a-z0-9])`, 'g');
const SPACE_JA_RIGHT = new RegExp(`(?<=[a-z0-9])\\s+(?=${JA_CLASS})`, 'g');
/** `I o T` → `IoT`: single ASCII letters/digits separated by single spaces. */
const SPACED_ASCII = /(?<![a-z0-9])([a-z0-9])(?: (?=[a-z0-9](?![a-z0-9])))/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g;
const WAVE = /[~\u301c\uff5e\u223c\u3030]/g;
const DASH_AFTER_KANA = /(?<=[\u3041-\u30fa])[-\u2010-\u2015\u2212\uff0d\uff70]/g;

/**
 * Canonical form of any input: NFKC; control and zero-width characters removed; 〜/～/~ → 〜;
 * a dash after kana → ー; ASCII lower-cased; white space removed inside Japanese runs and between
 * Japanese and ASCII (`中 小 企 業` → `中小企業`, `ＥＣ 送料` → `ec送料`), spaced-out ASCII joined
 * (`I o T` → `iot`); other runs of white space collapsed to one space; trimmed.
 * Never throws; `''` for empty or non-string input.
 */
export function normalize(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  let s = text.normalize('NFKC').replace(CONTROL, '').replace(WAVE, '〜').replace(DASH_AFTER_KANA, 'ー');
  s = s.toLowerCase().replace(/\s+/g, ' ');
  s = s.replace(SPACE_BETWEEN_JA, '');
  // join spaced-out ASCII before deciding about the Japanese/ASCII boundary (`d x 対応` → `dx対応`)
  s = s.replace(SPACED_ASCII, '$1');
  s = s.replace(SPACE_JA_LEFT, '').replace(SPACE_JA_RIGHT, '');
  return s.trim();
}

const KATA_START = 0x30a1;
const KATA_END = 0x30f6;
/** characters {@link fold} changes (katakana, 長音, ゕゖ, づぢ): a string without any is its own fold */
const FOLDS = /[\u30a1-\u30f6\u30fc\u3095\u3096\u3065\u3062]/;

/**
 * Matching form of a {@link normalize}d string: katakana → hiragana (ヴ→ゔ, ヵ→か, ヶ→け),
 * 長音 at the end of a katakana run dropped, づ→ず, ぢ→じ. Length may shrink; other characters are kept.
 */
export function fold(normalized: string): string {
  if (!FOLDS.test(normalized)) return normalized;
  const s = normalized.replace(/(?<=[\u30a1-\u30fa])ー+(?![\u30a1-\u30fa])/g, '');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= KATA_START && c <= KATA_END) c -= 0x60;
    if (c === 0x3095) c = 0x304b; // ゕ → か
    else if (c === 0x3096) c = 0x3051; // ゖ → け
    else if (c === 0x3065) c = 0x305a; // づ → ず
    else if (c === 0x3062) c = 0x3058; // ぢ → じ
    out += String.fromCharCode(c);
  }
  return out;
}

/** {@link fold} of {@link normalize}: the form terms are compared in. */
export function matchKey(text: string): string {
  if (text.length > MATCH_KEY_MEMO_CHARS) return fold(normalize(text));
  let key = matchKeyMemo.get(text);
  if (key === undefined) {
    key = fold(normalize(text));
    if (matchKeyMemo.size >= MATCH_KEY_MEMO_SIZE) matchKeyMemo.clear();
    matchKeyMemo.set(text, key);
  }
  return key;
}

/**
 * matchKey of short strings, remembered: the dialogue compares the same labels, choices and names on
 * every turn. Bounded (cleared when full) so user text cannot grow it.
 */
const matchKeyMemo = new Map<string, string>();
const MATCH_KEY_MEMO_SIZE = 20_000;
const MATCH_KEY_MEMO_CHARS = 80;

/** A quantity found in text. `value` is in the unit named by `unit` (円, 人, %, 年). */
export interface Quantity {
  /** the text as it appears in the normalised input, e.g. 「5千万円」 */
  text: string;
  value: number;
  unit: '円' | '人' | '%' | '年';
}

const UNITS: readonly (readonly [string, Quantity['unit']])[] = [
  ['円', '円'],
  ['人', '人'],
  ['名', '人'],
  ['%', '%'],
  ['％', '%'],
  ['パーセント', '%'],
  ['年', '年'],
];

/**
 * Quantities with units in `text` (normalised first): 「５千万円」→ {value: 50000000, unit:'円'},
 * 「3億」→ {value: 300000000, unit:'円'} (a bare 万/億/兆 amount is read as money),
 * 「２０人」「20名」→ {value: 20, unit:'人'}, 「1.5%」→ {value: 1.5, unit:'%'}, 「5年」→ {value: 5, unit:'年'}.
 * Thousands separators are accepted (「2,000千円」). Returns [] when none.
 * One left-to-right scan (numbers.ts): linear in the text for any input. A number with a digit run
 * over MAX_NUMBER_DIGITS (15) is skipped — {@link overlongDigitRuns} tells the caller.
 */
export function findQuantities(text: string): Quantity[] {
  const s = dropThousandsSeparators(normalize(text));
  const out: Quantity[] = [];
  scanCompounds(s, (c) => {
    const unit = UNITS.find(([u]) => s.startsWith(u, c.end));
    if (unit) {
      if (!c.overlong) out.push({ text: s.slice(c.start, c.end + unit[0].length), value: c.value, unit: unit[1] });
      return;
    }
    // no unit after the whole number: its longest part ending in 万/億/兆 is an amount of money (「3億」)
    const p = prefixEndingIn(c, '万億兆');
    if (p && !c.overlong) out.push({ text: s.slice(c.start, p.end), value: p.total, unit: '円' });
  });
  return out;
}

/** True when `ch` (one character) is Japanese (kana, kanji, 々, ー). */
export function isJapaneseChar(ch: string): boolean {
  return JA_ONE.test(ch);
}
const JA_ONE = new RegExp(`^${JA_CLASS}$`);

/** A sentence end: 。！？!? or a line break (after which a cut leaves whole sentences). */
const SENTENCE_END = new Set(['。', '！', '？', '!', '?', '\n', '｡']);

/**
 * The first part of `text` that is at most `max` UTF-16 units long and ends at a sentence end
 * (。！？!? or a line break) — the last one in the window's second half; without one there, cut at
 * `max` (never inside a surrogate pair). `text` itself when it is short enough. Linear.
 */
export function sentencePrefix(text: string, max: number): string {
  if (text.length <= max) return text;
  for (let i = max; i > max / 2; i--) if (SENTENCE_END.has(text[i - 1])) return text.slice(0, i);
  const c = text.charCodeAt(max - 1);
  return text.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}
