/**
 * ミラサポplus 制度ナビ open data (中小企業庁, via the Digital Agency's catalogue, dataset ms000002) as a
 * second source of the catalogue. `knowledge import mirasapo <supports.zip|supports.json>` reads the
 * dataset with this module, selects the national records (empty `prefectures`) and those for 山口県
 * that serve businesses, collapses duplicates, maps them into our schema and writes
 * `knowledge/national/*.yaml` (generated; operators edit knowledge/national-overrides.yaml). The
 * generated files are loaded by the one loader (src/knowledge/load.ts) like every records file;
 * `knowledge check` verifies their figures and phones against {@link datasetRecordText}.
 *
 * Terms of use (ミラサポplus 利用規約, ../shared/data/mirasapo/README.md): credit the source, say that
 * the data was edited, never present the result as a government publication — the credit line is
 * `credit` of the dataset's entry in knowledge/sources.yaml, shown on every card of these records.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { stringify } from 'yaml';
import { PROJECT_ROOT } from './load.ts';
import { cacheDir, writeCacheFile } from './snapshot.ts';
import { z } from 'zod';
import {
  Purpose,
  type Desk,
  type NationalOverridesFile,
  type Program,
  type Terms,
} from './schema.ts';

/** Dataset id in knowledge/sources.yaml and in `source.file`. */
export const MIRASAPO = 'mirasapo';

/** Our prefecture as the dataset names it. */
export const HOME_PREFECTURE = '山口県';

// ---------------------------------------------------------------------------------------------
// Reading and validating

/**
 * A field that the dataset may give as JSON inside a string (several of its list fields are
 * published that way): a string is parsed as JSON first; malformed JSON is a validation issue.
 */
function jsonField<T extends z.ZodType>(schema: T) {
  return z.preprocess((v, ctx) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: `malformed JSON in a string field: ${JSON.stringify(v.slice(0, 40))}` });
      return z.NEVER;
    }
  }, schema);
}

const Named = z.object({ name: z.string().min(1) });
const NamedList = jsonField(z.array(Named)).default([]);
const optText = z.string().nullish();

/** One record of supports.json, as far as the import reads it (unknown fields are ignored). */
export const MirasapoItem = z.object({
  id: z.union([z.string().min(1), z.number().int()]).transform(String),
  title: z.string().trim().min(1),
  subtitle: optText,
  number: optText,
  competent_authorities: jsonField(z.array(z.object({ name: z.string().min(1), kind: z.string().nullish() }))).default([]),
  business_scales: jsonField(z.array(z.union([z.string(), z.number()]).transform(String))).default([]),
  target: optText,
  prefectures: NamedList,
  summary: optText,
  body: optText,
  usage: optText,
  reception_start_date: optText,
  reception_end_date: optText,
  reception_remarks: optText,
  inquiry: optText,
  industry_categories: NamedList,
  stage_categories: NamedList,
  service_categories: NamedList,
  purpose_categories: NamedList,
  life_stage_categories: NamedList,
  disasters: NamedList,
  personal_service_categories: NamedList,
  personal_purpose_categories: NamedList,
  keywords: jsonField(z.array(z.string())).default([]),
  special_measure: jsonField(Named.nullable()).nullish(),
  refernece: optText,
  support_organization: optText,
  application_target: optText,
  application_url: optText,
  governing_law: optText,
  max_employees_count: z.number().int().nonnegative().nullish(),
  publish_date: optText,
  unpublish_date: optText,
  update_info: jsonField(z.object({ created_at: z.string().nullish(), last_modified_at: z.string().nullish() })).nullish(),
});
export type MirasapoItem = z.infer<typeof MirasapoItem>;

/** The dataset file as read: its records (unvalidated), name and sha256 of the input file. */
export interface MirasapoInput {
  /** base name of the input file, e.g. supports.zip */
  name: string;
  sha256: string;
  /** `total` as the file states it (null when absent) */
  total: number | null;
  items: unknown[];
}

/**
 * Reads `supports.zip` (the JSON member inside it, with fflate) or `supports.json`.
 * @throws Error naming the file when it cannot be read, is not a zip with a .json member, or is
 * not JSON of the shape `{items: [...]}`.
 */
export function readMirasapoFile(path: string): MirasapoInput {
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes, { filter: (f) => /\.json$/i.test(f.name) });
    } catch (err) {
      throw new Error(`${path}: not a readable zip file (${err instanceof Error ? err.message : String(err)})`);
    }
    const names = Object.keys(files).sort((a, b) => Number(!/supports\.json$/i.test(a)) - Number(!/supports\.json$/i.test(b)) || a.localeCompare(b));
    if (!names.length) throw new Error(`${path}: the zip file holds no .json file`);
    text = new TextDecoder('utf-8').decode(files[names[0]]);
  } else {
    text = bytes.toString('utf8');
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const top = z.object({ total: z.number().int().nullish(), items: z.array(z.unknown()) }).safeParse(data);
  if (!top.success) throw new Error(`${path}: expected {"total": n, "items": [...]} (the supports.json of ミラサポplus)`);
  return { name: basename(path), sha256, total: top.data.total ?? null, items: top.data.items };
}

/** The dataset id of an unvalidated item, for messages ("?" when it has none). */
function rawId(item: unknown): string {
  const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '?';
}

/**
 * The record's own text: every field the import takes a fact from, one per line, as printed.
 * `knowledge check` looks for every figure and phone of an imported record in this text.
 */
export function datasetRecordText(item: MirasapoItem): string {
  return [
    item.title,
    item.subtitle,
    item.target,
    item.summary,
    item.body,
    item.usage,
    item.inquiry,
    item.reception_start_date,
    item.reception_end_date,
    item.reception_remarks,
    item.application_url,
    item.refernece,
    item.support_organization,
    item.application_target,
    item.max_employees_count !== null && item.max_employees_count !== undefined ? String(item.max_employees_count) : null,
    ...item.competent_authorities.map((a) => a.name),
    ...item.keywords,
    ...item.disasters.map((d) => d.name),
    item.special_measure?.name,
  ]
    .filter((x): x is string => typeof x === 'string' && x.length > 0)
    .join('\n');
}

/**
 * Each validated record's own text by dataset id (its first line is the title), for
 * `knowledge check`; malformed records are left out.
 * @throws Error when the file cannot be read (see {@link readMirasapoFile}).
 */
export function readMirasapoTexts(path: string): Map<string, string> {
  // the texts of a dataset file seen before come from .cache (keyed by the file's sha256): the server
  // checks the catalogue at every start, and unzipping and validating the dataset takes ≈0.7 s
  let cached: string | null = null;
  try {
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    cached = join(cacheDir(), `mirasapo-${sha.slice(0, 16)}.json`);
    const saved = JSON.parse(readFileSync(cached, 'utf8')) as { sha: string; texts: [string, string][] };
    if (saved.sha === sha) return new Map(saved.texts);
  } catch {
    // not cached yet (or unreadable): read the dataset
  }
  const out = new Map<string, string>();
  for (const raw of readMirasapoFile(path).items) {
    const r = MirasapoItem.safeParse(raw);
    if (r.success) {
      // as printed, and with its markdown read (「**別枠**1億円」 prints 「別枠1億円」)
      const text = datasetRecordText(r.data);
      out.set(r.data.id, `${text}\n${plainText(text)}`);
    }
  }
  if (cached) {
    try {
      writeCacheFile(cached, { sha: createHash('sha256').update(readFileSync(path)).digest('hex'), texts: [...out] }, 'mirasapo');
    } catch {
      // best effort (read-only checkout)
    }
  }
  return out;
}

/**
 * Where a dataset registered in knowledge/sources.yaml lives: `path` as given when absolute, else
 * relative to the knowledge folder's parent, or — when not found there (a copied catalogue) —
 * relative to the project folder (as the seeds are).
 */
export function datasetPath(knowledgeDir: string, path: string): string {
  if (isAbsolute(path)) return path;
  const beside = resolve(dirname(resolve(knowledgeDir)), path);
  return existsSync(beside) ? beside : resolve(PROJECT_ROOT, path);
}

// ---------------------------------------------------------------------------------------------
// Text helpers (markdown of the dataset → plain text, as printed)

/** Markdown of the dataset's text fields as plain lines: links → their title, images/HTML dropped. */
export function plainText(md: string | null | undefined): string {
  if (!md) return '';
  return md
    .replace(/\r\n?/g, '\n')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\s*\([^)]*\)/g, '$1')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .split('\n')
    .map((l) =>
      l
        .replace(/\*\*/g, '')
        .replace(/^\s*#{1,6}\s*/, '')
        .replace(/^\s*[*\-]\s+/, '')
        .replace(/\t/g, ' ')
        .trim(),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The first paragraph of a text, cut at a sentence end after at most `max` characters. */
function firstParagraph(text: string, max: number): string {
  const para = text.split(/\n\s*\n/).map((p) => p.replace(/\n/g, '')).find((p) => p.trim()) ?? '';
  if (para.length <= max) return para.trim();
  const cut = para.slice(0, max);
  const end = cut.lastIndexOf('。');
  return (end > 20 ? cut.slice(0, end + 1) : `${cut}…`).trim();
}

// phone numbers as printed: 03-3501-1767, (03)3501-1767, ０５７０－０１２－０８８, 0120-112476
const D = '[0-9０-９]';
const SEP = '[-－‐ー−―]';
const PHONE_RE = new RegExp(
  `(?:[(（]${D}{2,5}[)）]\\s?${D}{1,4}${SEP}${D}{3,4}|${D}{2,5}${SEP}${D}{1,4}${SEP}${D}{3,4}|0120${SEP}?${D}{6})`,
  'g',
);

/** The phone numbers printed in a text (10–11 digits, starting with 0), in order, as printed. */
export function phonesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PHONE_RE)) {
    const digits = m[0].normalize('NFKC').replace(/\D/g, '');
    if (digits.startsWith('0') && digits.length >= 10 && digits.length <= 11 && !out.includes(m[0])) out.push(m[0]);
  }
  return out;
}

function digitsOf(phone: string): string {
  return phone.normalize('NFKC').replace(/\D/g, '');
}

/**
 * The name of the inquiry desk as printed: the first line of the inquiry text that reads as a name
 * (not a bracketed heading such as 「＜山口県＞」, not a sentence, not a URL), cut before a phone/URL
 * label; null when no line does.
 */
export function inquiryName(inquiry: string): string | null {
  for (const raw of plainText(inquiry).split('\n')) {
    const line = raw.trim().replace(/^["'“”]+|["'“”]+$/g, '');
    if (!line || /^[＜<【\[［(（].*[＞>】\]］)）]$/.test(line)) continue;
    const name = line
      .split(/[\s　]*(?:電話|TEL|Tel|ＴＥＬ|URL|ＵＲＬ|E-?mail|e-mail|受付時間|https?:)/)[0]
      .replace(/^[・･]\s*/, '')
      .replace(/^[（(]?\d+[)）.．]\s*/, '')
      .replace(/^[\d～~、,．.-]+[．.]\s*/, '')
      .replace(/[\s　:：、。]+$/, '')
      .trim();
    if (name.length < 2) continue;
    if (name.length > 50 || /[。]|ください|下さい|お問い?合わせ|ご参照|異なります|について|つきましては|は、|から|ので|こちら/.test(name)) return null;
    return name;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Key terms as printed

const TERM_LABELS: { key: 'subsidyCap' | 'subsidyRate' | 'loanLimit' | 'interestRate' | 'term'; re: RegExp }[] = [
  { key: 'subsidyCap', re: /^(?:補助金?上限額?|補助限度額|助成上限額?|助成限度額|上限額)/ },
  { key: 'subsidyRate', re: /^(?:補助率|助成率)/ },
  { key: 'loanLimit', re: /^(?:貸付限度額|融資限度額)/ },
  { key: 'interestRate', re: /^(?:貸付利率|貸付金利|融資利率|融資金利)/ },
  { key: 'term', re: /^(?:貸付期間|融資期間)/ },
];

/** A printed value is a figure when it holds a digit, a fraction (2分の1) or 割. */
const FIGURE = /[0-9０-９]|分の|割/;

/** What a value of each term must print: an amount in 円, a rate (2分の1, 3/4, 10%), a period. */
const VALUE_FORM: Record<string, RegExp> = {
  subsidyCap: /円/,
  loanLimit: /円/,
  subsidyRate: /分の|[%％]|割|\d\s*[/／]\s*\d|[０-９0-9]\s*[/／]/,
  interestRate: /[%％]|利率|金利/,
  term: /年|か月|ヶ月|カ月|箇月/,
};

function cleanValue(v: string): string | null {
  let s = v.replace(/^[\s　:：]+/, '').replace(/[\s　]+$/, '');
  s = s.split(/[　]/)[0].trim(); // a full-width space separates the value from the next item or a note
  // an amount followed by a note in brackets: 「2,000万円（1,500万円超の貸付は…）」 → 2,000万円
  const amount = s.match(/^([^（(]*?円)[（(](?!※)/);
  if (amount) s = amount[1];
  if (s.length > 40) s = s.split(/[（(。]/)[0].trim();
  for (;;) {
    let t = s.replace(/[（(]※\d*[)）]$/, '').replace(/[、,，]$/, '').trim();
    if (/[)）]$/.test(t) && (t.match(/[(（]/g) ?? []).length < (t.match(/[)）]/g) ?? []).length) t = t.slice(0, -1).trim();
    if (t === s) break;
    s = t;
  }
  if (!s || s.length > 60 || !FIGURE.test(s) || /^[【＜<［\[].*[】＞>］\]]$/.test(s)) return null;
  return s;
}

/**
 * 補助上限・補助率・貸付限度額・貸付利率・貸付期間 as printed in the body: a heading line naming the
 * term followed by its value on the next line (「■補助上限額」/「750～5,000万円（※）」), or the
 * term and value on one line (「補助率：3分の2」). Only the first statement of each term is taken;
 * a term the body does not state is left out.
 */
export function parseTerms(body: string | null | undefined): Terms {
  const lines = plainText(body)
    .split('\n')
    .map((l) => l.trim());
  const terms: Terms = {};
  for (let i = 0; i < lines.length; i++) {
    const heading = lines[i].replace(/^[■□●○◆◇・【\[（(]+/, '').replace(/[】\]）):：]+$/, '').trim();
    for (const { key, re } of TERM_LABELS) {
      if (terms[key]) continue;
      let value: string | null = null;
      const m = heading.match(re);
      if (m && heading.length === m[0].length) {
        const next = lines.slice(i + 1).find((l) => l.length > 0);
        value = next ? cleanValue(next) : null;
      } else {
        const inline = lines[i].match(new RegExp(`(?:^|[】\\s　■・])(?:${re.source.slice(1)})(?:[(（]※\\d*[)）])?[：:]\\s*(.+)$`));
        if (inline) value = cleanValue(inline[1]);
      }
      if (value && VALUE_FORM[key].test(value)) terms[key] = { text: value } as never;
    }
  }
  if (terms.subsidyCap && !/[～~〜\-－]|から/.test(terms.subsidyCap.text)) {
    const yen = parseYenLocal(terms.subsidyCap.text);
    if (yen !== null) terms.subsidyCap = { ...terms.subsidyCap, yen };
  }
  if (terms.loanLimit && !/[～~〜\-－]|から/.test(terms.loanLimit.text)) {
    const yen = parseYenLocal(terms.loanLimit.text);
    if (yen !== null) terms.loanLimit = { ...terms.loanLimit, yen };
  }
  return terms;
}

// a single amount such as 3,000万円 / 1億円 / 8,000万円; null for anything else (kept as text only)
function parseYenLocal(text: string): number | null {
  const m = text.normalize('NFKC').replace(/,/g, '').match(/^(?:最大)?(\d+(?:\.\d+)?)(億|千万|百万|万|千)?円$/);
  if (!m) return null;
  const mult: Record<string, number> = { 億: 1e8, 千万: 1e7, 百万: 1e6, 万: 1e4, 千: 1e3 };
  return Math.round(parseFloat(m[1]) * (m[2] ? mult[m[2]] : 1));
}

// ---------------------------------------------------------------------------------------------
// Selection, dedupe and mapping

/** Why a dataset record was not imported. */
export interface Skipped {
  id: string;
  reason: 'malformed' | 'otherPrefecture' | 'personal' | 'unpublished' | 'excluded';
  detail: string;
}

/** Counts and messages of one import run. */
export interface ImportReport {
  read: number;
  /** records that passed validation and selection (before duplicates were collapsed) */
  selected: number;
  skipped: Skipped[];
  /** kept id → the other ids of the same programme */
  duplicates: { kept: string; others: string[]; name: string }[];
  programs: number;
  desks: number;
  /** per generated file: name → number of records */
  files: Record<string, number>;
}

/** What the mapping needs from the existing catalogue: our desks (not generated ones). */
export interface ImportContext {
  desks: Desk[];
  overrides: NationalOverridesFile;
  /** snapshot date YYYY-MM-DD (knowledge/sources.yaml `asOf`, or --as-of) */
  asOf: string;
}

/** The generated records of one import, by output file. */
export interface ImportResult {
  files: { name: string; title: string; records: (Program | Desk)[] }[];
  report: ImportReport;
}

const titleKey = (t: string) => t.normalize('NFKC').replace(/[\s\u3000]+/g, '');

function isPersonal(i: MirasapoItem): boolean {
  return i.personal_service_categories.length > 0 || i.personal_purpose_categories.length > 0 || i.life_stage_categories.length > 0;
}

/** A service category's output file (one per service category of the dataset). */
const FILES: { category: string; name: string; title: string }[] = [
  { category: '給付 ・補助金', name: 'mirasapo-hojo.yaml', title: '給付・補助金' },
  { category: '金融', name: 'mirasapo-kinyu.yaml', title: '金融（融資・保証・共済）' },
  { category: '税制', name: 'mirasapo-zeisei.yaml', title: '税制' },
  { category: 'サービス', name: 'mirasapo-service.yaml', title: 'サービス（相談・情報提供・専門家派遣）' },
  { category: '許認可', name: 'mirasapo-kyoninka.yaml', title: '許認可・届出' },
];
const DESK_FILE = { name: 'mirasapo-desks.yaml', title: '問い合わせ先（各制度の inquiry）' };

function serviceFile(i: MirasapoItem) {
  const names = i.service_categories.map((c) => titleKey(c.name));
  return FILES.find((f) => names.includes(titleKey(f.category))) ?? FILES[3];
}

function programCategory(i: MirasapoItem): Program['category'] {
  const file = serviceFile(i);
  const t = `${i.title}${i.subtitle ?? ''}`;
  switch (file.category) {
    case '給付 ・補助金':
      return '補助金';
    case '金融':
      return /保証/.test(i.title) ? '保証・利子補給' : /共済/.test(i.title) ? 'その他' : '融資';
    case '税制':
      return '税制';
    case '許認可':
      return '許認可';
    default:
      return /派遣/.test(t) ? '専門家派遣' : /セミナー|研修|講習|講座/.test(t) ? '研修・セミナー' : /相談|窓口|センター|拠点/.test(t) ? '相談' : '情報提供';
  }
}

// a keyword names a programme (goes to aliases) when it ends like a programme's name
const NAME_SUFFIX = /(?:補助金|助成金|融資|資金|共済|税制|保証|給付金|支援金|貸付|制度|計画)$/;

function splitTitle(title: string): string[] {
  const m = title.match(/^(.+?)[\s　]*[（(](.+)[)）]$/);
  return m ? [m[1].trim(), m[2].trim()] : [];
}

function parseLinks(md: string | null | undefined): { title: string; url: string }[] {
  const out: { title: string; url: string }[] = [];
  for (const m of (md ?? '').matchAll(/\[([^\]]+)\]\s*\((https?:\/\/[^)\s]+)\)/g)) {
    if (isUrl(m[2]) && !out.some((l) => l.url === m[2])) out.push({ title: m[1].trim(), url: m[2] });
  }
  return out;
}

function isUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const day = (s: string | null | undefined) => (s && DATE.test(s.slice(0, 10)) ? s.slice(0, 10) : undefined);

/** Japanese fiscal year of a YYYY-MM-DD date (April–March). */
function fiscalYearOfDate(d: string): number {
  const [y, m] = d.split('-').map(Number);
  return m >= 4 ? y : y - 1;
}

/**
 * Validates, selects, collapses duplicates and maps the dataset into our records.
 * Selection: national records (empty `prefectures`, not run by another prefecture's government) and
 * those naming 山口県 in `prefectures` or `competent_authorities`; not the personal/household
 * services (records with personal or life-stage categories); not unpublished before the snapshot;
 * not excluded by the overrides. Duplicates (same title after width/space folding) keep the most
 * recently modified record's text; the others become `source.sourceIds`.
 * Never throws for a bad record: it is reported in `report.skipped` with its dataset id.
 */
export function importMirasapo(input: MirasapoInput, ctx: ImportContext): ImportResult {
  const skipped: Skipped[] = [];
  const valid: MirasapoItem[] = [];
  const excluded = new Map(ctx.overrides.exclude.map((e) => [e.id, e.reason]));
  for (const raw of input.items) {
    const r = MirasapoItem.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      skipped.push({ id: rawId(raw), reason: 'malformed', detail: `${issue.path.join('.') || 'record'}: ${issue.message}` });
      continue;
    }
    const i = r.data;
    const prefs = i.prefectures.map((p) => p.name);
    const authorities = i.competent_authorities;
    const home = prefs.includes(HOME_PREFECTURE) || authorities.some((a) => a.name === HOME_PREFECTURE);
    const otherGov = authorities.length > 0 && authorities.every((a) => a.kind === 'lgov' && a.name !== HOME_PREFECTURE);
    if (!home && prefs.length) skipped.push({ id: i.id, reason: 'otherPrefecture', detail: `for ${prefs.join('・')}` });
    else if (!home && otherGov) skipped.push({ id: i.id, reason: 'otherPrefecture', detail: `run by ${authorities.map((a) => a.name).join('・')}` });
    else if (isPersonal(i)) skipped.push({ id: i.id, reason: 'personal', detail: 'a personal/household service' });
    else if (day(i.unpublish_date) && day(i.unpublish_date)! < ctx.asOf) skipped.push({ id: i.id, reason: 'unpublished', detail: `unpublished on ${day(i.unpublish_date)}` });
    else if (excluded.has(i.id)) skipped.push({ id: i.id, reason: 'excluded', detail: `knowledge/national-overrides.yaml: ${excluded.get(i.id)}` });
    else valid.push(i);
  }
  // duplicates: the same programme under several ids
  const groups = new Map<string, MirasapoItem[]>();
  for (const i of valid) {
    const k = titleKey(i.title);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  const modified = (i: MirasapoItem) => i.update_info?.last_modified_at ?? i.publish_date ?? '';
  const kept: { item: MirasapoItem; others: string[] }[] = [];
  const duplicates: ImportReport['duplicates'] = [];
  for (const g of groups.values()) {
    const sorted = [...g].sort((a, b) => modified(b).localeCompare(modified(a)) || Number(b.id) - Number(a.id));
    const others = sorted.slice(1).map((i) => i.id).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
    kept.push({ item: sorted[0], others });
    if (others.length) duplicates.push({ kept: sorted[0].id, others, name: sorted[0].title });
  }
  kept.sort((a, b) => Number(a.item.id) - Number(b.item.id) || a.item.id.localeCompare(b.item.id));
  const allNames = new Set(kept.map((k) => titleKey(k.item.title)));
  // a special_measure name (e.g. 「ものづくり補助金」) shared by several records is a family label, not
  // the name of one of them: it stays a keyword unless an operator's override says which one it names
  const familySize = new Map<string, number>();
  for (const { item } of kept) {
    const f = item.special_measure?.name?.trim();
    if (f) familySize.set(f, (familySize.get(f) ?? 0) + 1);
  }

  const deskByPhone = new Map<string, Desk>();
  for (const d of ctx.desks) if (d.phone) for (const p of phonesIn(d.phone)) if (!deskByPhone.has(digitsOf(p))) deskByPhone.set(digitsOf(p), d);
  // our specialised centres, named in a record's text by one of their names (よろず支援拠点 …)
  const centres = ctx.desks
    .filter((d) => d.deskType === '支援機関')
    .map((d) => ({ desk: d, names: d.aliases.filter((n) => n.length >= 5 && !/山口/.test(n)) }))
    .filter((c) => c.names.length);
  // 「全国商工会連合会」「日本商工会議所」 name national bodies, not our centre of the same kind
  const mentions = (text: string, n: string) => {
    for (let at = text.indexOf(n); at >= 0; at = text.indexOf(n, at + 1)) if (!/(?:全国|日本)$/.test(text.slice(Math.max(0, at - 2), at))) return true;
    return false;
  };
  const overrideFor = (ids: string[]) => ctx.overrides.records.filter((o) => ids.includes(o.id));

  const nationalDesks = new Map<string, Desk>();
  const byFile = new Map<string, (Program | Desk)[]>();
  for (const { item: i, others } of kept) {
    const ids = [i.id, ...others];
    const ov = overrideFor(ids);
    const asOf = ctx.asOf;
    const source = { file: MIRASAPO as 'mirasapo', id: i.id, asOf, ...(others.length ? { sourceIds: others } : {}) };
    const name = i.title.trim();
    // aliases: the parts of 「A（B）」 that read as names; dataset keywords that name this programme
    const aliases: string[] = [];
    const addAlias = (a: string) => {
      if (a.length >= 3 && titleKey(a) !== titleKey(name) && !aliases.includes(a)) aliases.push(a);
    };
    const [outer, inner] = splitTitle(name);
    if (outer && !allNames.has(titleKey(outer))) addAlias(outer);
    if (inner && NAME_SUFFIX.test(inner)) addAlias(inner);
    // 「小規模企業共済制度」 is also called 小規模企業共済: a name that is a programme name plus 制度
    for (const n of [name, outer]) {
      const stem = n?.replace(/制度$/, '');
      if (stem && stem !== n && stem.length >= 4 && NAME_SUFFIX.test(stem) && !/制度$/.test(stem) && !allNames.has(titleKey(stem))) addAlias(stem);
    }
    const keywords: string[] = [];
    const addKeyword = (k: string) => {
      const t = k.trim();
      if (t && titleKey(t) !== titleKey(name) && !aliases.includes(t) && !keywords.includes(t)) keywords.push(t);
    };
    const category = programCategory(i);
    for (const k of i.keywords) {
      const t = k.trim();
      const names = NAME_SUFFIX.test(t) && t.replace(NAME_SUFFIX, '').length >= 2 && (titleKey(name).includes(titleKey(t)) || (t === i.special_measure?.name?.trim() && familySize.get(t) === 1 && category === '補助金' && /補助金$/.test(t)));
      if (names) addAlias(t);
      else addKeyword(t);
    }
    if (i.subtitle && i.subtitle.trim().length <= 30 && !/。/.test(i.subtitle)) addKeyword(i.subtitle.trim());
    for (const o of ov) {
      for (const a of o.aliases ?? []) addAlias(a);
      for (const k of o.keywords ?? []) addKeyword(k);
    }
    const drop = new Set(ov.flatMap((o) => o.dropAliases ?? []));
    const finalAliases = aliases.filter((a) => !drop.has(a));
    const finalKeywords = keywords.filter((k) => !finalAliases.includes(k));

    const summaryText = firstParagraph(plainText(i.summary), 300) || firstParagraph(plainText(i.body), 300) || name;
    const target = i.target ? firstParagraph(plainText(i.target), 120) : '';
    const terms = parseTerms(i.body);
    // eligibility in our vocabulary, only where the dataset states it
    const vocab = ctx.overrides.vocabulary.purposes;
    const purposes = new Set<string>();
    for (const c of [...i.purpose_categories, ...i.stage_categories]) for (const p of Object.hasOwn(vocab, c.name) ? vocab[c.name] : []) purposes.add(p);
    const eligibility: NonNullable<Program['eligibility']> = {};
    const orderedPurposes = Purpose.options.filter((p) => purposes.has(p));
    if (orderedPurposes.length) eligibility.purposes = orderedPurposes;
    const industries = i.industry_categories.map((c) => c.name.trim()).filter(Boolean);
    if (industries.length && industries.length < 20) eligibility.industries = industries;
    // 中小企業者 / 小規模企業者 only where the record's target says so (its business_scales codes are
    // not documented in the dataset, so they are not read)
    const targetText = plainText(i.target);
    if (/中小企業/.test(targetText)) eligibility.size = 'sme';
    else if (/小規模(?:事業者|企業者)/.test(targetText)) eligibility.size = 'smallEnterprise';
    const text = datasetRecordText(i);
    const maxEmp = i.max_employees_count;
    if (maxEmp !== null && maxEmp !== undefined && new RegExp(`(?<!\\d)${maxEmp}\\s*(?:人|名)`).test(text.normalize('NFKC'))) {
      eligibility.employees = [{ max: maxEmp, text: `${maxEmp}人` }];
    }
    // desks: the national inquiry desk (or ours when its phone is printed there), then our centres
    const desk: string[] = [];
    const inquiry = i.inquiry ?? '';
    const phone = phonesIn(inquiry)[0];
    const ours = phone ? deskByPhone.get(digitsOf(phone)) : undefined;
    if (ours) desk.push(ours.id);
    else if (inquiry.trim()) {
      const deskName = inquiryName(inquiry) ?? (phone ? i.competent_authorities[0]?.name : undefined) ?? null;
      if (deskName) {
        const key = `${titleKey(deskName)}|${phone ? digitsOf(phone) : ''}`;
        let d = nationalDesks.get(key);
        if (!d) {
          d = {
            id: `ms-desk-${i.id}`,
            kind: 'desk',
            name: deskName,
            aliases: [],
            summary: firstParagraph(plainText(inquiry).replace(/\n/g, ' '), 200) || deskName,
            fiscalYear: fiscalYearOfDate(asOf),
            status: 'current',
            source: { file: MIRASAPO as 'mirasapo', id: i.id, asOf },
            deskType: '国',
            ...(phone ? { phone } : {}),
          } as Desk;
          nationalDesks.set(key, d);
        }
        desk.push(d.id);
      }
    }
    const helpText = [i.title, i.inquiry, i.usage, i.support_organization, i.body].map(plainText).join('\n');
    const named = centres.filter((c) => c.names.some((n) => mentions(helpText, n)) && !desk.includes(c.desk.id)).map((c) => c.desk.id);
    // an inquiry that points to the local offices (「各都道府県の…」「最寄りの…」): ours comes first
    const generic = desk.length === 1 && /^(?:各都道府県|都道府県|各地域|各地|最寄り|お近く|全国の)/.test(nationalDesks.get([...nationalDesks.keys()].find((k) => nationalDesks.get(k)!.id === desk[0]) ?? '')?.name ?? '');
    if (generic) desk.unshift(...named);
    else desk.push(...named);
    for (const o of ov) for (const d of o.desks ?? []) if (!desk.includes(d)) desk.push(d);
    const localHelp = new Set<'商工会議所' | '商工会'>();
    const contactText = [i.inquiry, i.usage, i.support_organization].map(plainText).join('\n');
    if (/商工会議所/.test(contactText)) localHelp.add('商工会議所');
    if (/商工会(?!議所)/.test(contactText)) localHelp.add('商工会');
    for (const o of ov) for (const t of o.localHelp ?? []) localHelp.add(t);

    const reception: NonNullable<Program['reception']> = {};
    if (day(i.reception_start_date)) reception.start = day(i.reception_start_date);
    if (day(i.reception_end_date)) reception.end = day(i.reception_end_date);
    if (i.reception_remarks?.trim()) reception.remarks = i.reception_remarks.trim();
    const links = parseLinks(i.refernece);
    const ended = reception.end !== undefined && reception.end < asOf;
    const program: Program = {
      id: `ms-${i.id}`,
      kind: 'program',
      name,
      aliases: finalAliases,
      ...(finalKeywords.length ? { keywords: finalKeywords } : {}),
      summary: summaryText,
      fiscalYear: fiscalYearOfDate(asOf),
      status: ended ? 'past' : 'current',
      source,
      category,
      ...(target ? { target } : {}),
      ...(Object.keys(eligibility).length ? { eligibility } : {}),
      ...(Object.keys(terms).length ? { terms } : {}),
      desk,
      ...(i.support_organization?.trim() ? { operator: i.support_organization.trim() } : {}),
      ...(i.competent_authorities.length ? { authority: i.competent_authorities.map((a) => a.name) } : {}),
      ...(Object.keys(reception).length ? { reception } : {}),
      ...(i.application_url && isUrl(i.application_url.trim()) ? { applicationUrl: i.application_url.trim() } : {}),
      ...(links.length ? { links } : {}),
      ...(localHelp.size ? { localHelp: (['商工会議所', '商工会'] as const).filter((t) => localHelp.has(t)) } : {}),
      ...(i.disasters.length ? { disasters: i.disasters.map((d) => d.name) } : {}),
    };
    const file = serviceFile(i).name;
    const list = byFile.get(file);
    if (list) list.push(program);
    else byFile.set(file, [program]);
  }
  const files = FILES.filter((f) => byFile.has(f.name)).map((f) => ({ name: f.name, title: f.title, records: byFile.get(f.name)! }));
  const desks = [...nationalDesks.values()].sort((a, b) => Number(a.id.slice(8)) - Number(b.id.slice(8)));
  if (desks.length) files.push({ name: DESK_FILE.name, title: DESK_FILE.title, records: desks });
  const programs = kept.length;
  return {
    files,
    report: {
      read: input.items.length,
      selected: valid.length,
      skipped,
      duplicates,
      programs,
      desks: desks.length,
      files: Object.fromEntries(files.map((f) => [f.name, f.records.length])),
    },
  };
}

/**
 * Writes the generated files into `outDir` (knowledge/national/), each with a header naming the
 * input (name, sha256, snapshot date) and saying it is generated; removes generated files of an
 * earlier import that this one no longer produces. Records keep the order of `result`.
 */
export function writeNational(outDir: string, result: ImportResult, input: MirasapoInput, asOf: string, credit: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const f of result.files) {
    const header = [
      `# GENERATED by \`npm run --silent cli -- knowledge import mirasapo ${input.name}\` — do not edit.`,
      `# Operators' additions (aliases, keywords, desks, exclusions) go in knowledge/national-overrides.yaml.`,
      `# ${f.title}: ${f.records.length} records`,
      `# input: ${input.name} sha256 ${input.sha256}`,
      `# snapshot: ${asOf} (ミラサポplus 制度ナビ open data, dataset ms000002)`,
      `# ${credit}`,
      '',
    ].join('\n');
    const body = stringify(f.records, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
    writeFileSync(join(outDir, f.name), header + body);
    written.push(f.name);
  }
  for (const old of readdirSync(outDir)) {
    if (/^mirasapo-.*\.ya?ml$/.test(old) && !written.includes(old)) unlinkSync(join(outDir, old));
  }
  return written;
}
