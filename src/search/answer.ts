/**
 * Cards and answer text for search hits. Every figure shown is copied from the record (its printed
 * `text`); a term the record does not state is left out, never guessed.
 */
import type { Card, CardField } from '../core/types.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { isDatasetRef, type Desk, type KnowledgeRecord, type Program } from '../knowledge/schema.ts';
import { parsePhones, phoneLabel } from '../text/phone.ts';
import { fill, loadAnswersWording, type AnswersWording } from './wording.ts';

let defaultWording: AnswersWording | null = null;
function wordingOrDefault(w?: AnswersWording): AnswersWording {
  if (w) return w;
  defaultWording ??= loadAnswersWording();
  return defaultWording;
}

/** The first sentence of a summary (up to and including the first 「。」). */
export function oneLine(summary: string): string {
  const i = summary.indexOf('。');
  return i >= 0 ? summary.slice(0, i + 1) : summary;
}

/**
 * Removes the references staff use to find a line in the sources, which mean nothing to a business
 * owner: a cited line range as the code prints it (「（001 L3195-3198）」, 「（001 L3160、L3198）」), a data
 * file path (「knowledge/industries.yaml」) and a table-position label (「（表の2行目）」, 「表の2行目、」).
 * What else a bracket holds stays (「融資限度額（表の2行目、百万円）」 → 「融資限度額（百万円）」). Linear time.
 * The line range itself stays available to staff: `Card.sourceRef`, the 詳しく card, `cli ask`.
 */
export function withoutInternalRefs(text: string): string {
  const refs = (t: string) =>
    t
      // 「001 L3195-3198」 or a bare 「L3198」 (never part of a word such as 「LINE」 or 「HTML5」)
      .replace(/(?:\d{3}\s+)?(?<![A-Za-z0-9])L\d+(?:[-–]\d+)?/g, '')
      .replace(/knowledge\/[\w./-]+\.ya?ml/g, '')
      .replace(/表の\d+行目/g, '');
  const tidy = (t: string) => t.replace(/^[\s、,]+|[\s、,]+$/g, '').replace(/\s*[、,](?:\s*[、,])+\s*/g, '、');
  // a bracket that held only references goes; one that holds more keeps the rest (「（百万円）」, 「()」 as printed)
  const out = text.replace(/([（(])([^（）()]*)([）)])/g, (m, open: string, inner: string, close: string) => {
    const kept = refs(inner);
    if (kept === inner) return m;
    const t = tidy(kept);
    return t ? `${open}${t}${close}` : '';
  });
  return refs(out).replace(/[ \t]{2,}/g, ' ').trim();
}

/** 「001 L1530-1531」 (a seed document's lines) or 「mirasapo 205」 (a dataset record): where a record is printed (staff only). */
export function sourceRef(rec: KnowledgeRecord): string {
  if (isDatasetRef(rec.source)) return `${rec.source.file} ${rec.source.id}`;
  const [a, b] = rec.source.lines;
  return `${rec.source.file} L${a}${b !== a ? `-${b}` : ''}`;
}

/** Characters of `s` that carry meaning (letters, digits, kana, kanji), for comparing texts. */
function meaning(s: string): string {
  return s.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '');
}

/** What a card already shows, which its text should not say again. */
export interface ShownOnCard {
  title: string;
  subtitle?: string;
  address?: string;
  phone?: string;
  municipality?: string;
}

/**
 * The summary's sentences that tell something the card does not already show. A sentence that only
 * restates the title, the subtitle (desk type), the 市町 and the address (「下関市にある商工会議所
 * （下関市南部町21-19）。」, 「山口県よろず支援拠点。」) is left out; a bracket quoting the address or the
 * phone is dropped from a sentence that stays. Returns [] when no sentence adds anything.
 */
export function informativeSentences(summary: string, shown: ShownOnCard): string[] {
  const address = shown.address?.replace(/^〒?\s*\d{3}-?\d{4}\s*/, '');
  const known = [shown.title, shown.subtitle, address, shown.phone, shown.municipality].filter((x): x is string => !!x).map(meaning).filter((x) => x.length >= 2);
  const out: string[] = [];
  for (const raw of summary.match(/[^。]+。?/g) ?? []) {
    // (one level of nesting: 「（周南市御影町1-1 (株)トクヤマ 徳山製造所内）」)
    const sentence = raw.replace(/[（(]((?:[^（）()]|[（(][^（）()]*[）)])*)[）)]/g, (m, inner: string) => {
      const k = meaning(inner);
      return (address && k.length >= 4 && meaning(address).includes(k)) || (shown.phone && k.includes(meaning(shown.phone))) ? '' : m;
    }).trim();
    let rest = meaning(sentence);
    for (const k of known) rest = rest.split(k).join('');
    // what is left of a restating sentence is a particle or a generic noun: 「にある」「団体」
    if (rest.replace(/にある|にあります|です|である|の/g, '').length > 3) out.push(sentence);
  }
  return out;
}

/** The first of {@link informativeSentences}, or ''. */
export function informativeLine(summary: string, shown: ShownOnCard): string {
  return informativeSentences(summary, shown)[0] ?? '';
}

/** What the card of `rec` shows besides its text (for {@link informativeSentences}). */
export function shownOnCard(rec: KnowledgeRecord, card: Pick<Card, 'title' | 'subtitle' | 'phone'>): ShownOnCard {
  return {
    title: card.title,
    subtitle: card.subtitle,
    address: rec.kind === 'desk' ? rec.address : undefined,
    phone: rec.kind === 'desk' ? card.phone : undefined,
    municipality: rec.kind === 'desk' ? rec.municipality : undefined,
  };
}

/**
 * The desk to contact about a record, with a dialable phone: a desk record is its own desk; a
 * programme's first `desk`; an area's `defaultDesk`. A desk without a phone borrows its parent's.
 * Returns undefined when the record names no desk.
 */
export function contactDesk(rec: KnowledgeRecord, kb: Pick<KnowledgeBase, 'byId'>): { desk: Desk; phone?: string } | undefined {
  let id: string | undefined;
  if (rec.kind === 'desk') id = rec.id;
  else if (rec.kind === 'program') id = rec.desk.find((d) => kb.byId.get(d)?.kind === 'desk');
  else if (rec.kind === 'area') id = rec.defaultDesk;
  const desk = id ? kb.byId.get(id) : undefined;
  if (!desk || desk.kind !== 'desk') return undefined;
  let phone = desk.phone;
  const parent = desk.parent ? kb.byId.get(desk.parent) : undefined;
  if (!phone && parent?.kind === 'desk') phone = parent.phone;
  return { desk, phone };
}

function keyFields(rec: KnowledgeRecord, w: AnswersWording): CardField[] {
  const L = w.labels;
  const f: CardField[] = [];
  const add = (key: string, value: string | undefined, label = L[key] ?? key) => {
    const shown = value ? withoutInternalRefs(value) : '';
    if (shown) f.push({ label: withoutInternalRefs(label) || label, value: shown });
  };
  switch (rec.kind) {
    case 'program': {
      const t = rec.terms ?? {};
      // a bare table cell is shown with the unit its column header gives: 「280 (運転50)［百万円］」
      const shown = (v?: { text: string; unit?: string }) => (v ? (v.unit ? `${v.text}［${v.unit}］` : v.text) : undefined);
      add('subsidyRate', shown(t.subsidyRate));
      add('subsidyCap', shown(t.subsidyCap));
      add('loanLimit', shown(t.loanLimit));
      add('loanFrame', shown(t.loanFrame));
      add('interestRate', shown(t.interestRate));
      add('term', shown(t.term));
      for (const o of t.other ?? []) add(o.label, o.text, o.label);
      add('target', rec.target);
      break;
    }
    case 'desk':
      add('address', rec.address);
      break;
    case 'area':
      add('localities', rec.localities.map((l) => l.name).join('、'));
      break;
    case 'definition':
      for (const r of rec.rows ?? []) add(r.industryGroup, r.text, r.industryGroup);
      break;
    case 'measure':
      add('level', rec.level);
      add('period', rec.period);
      for (const t of rec.targets ?? []) add(t.indicator, t.goal, t.indicator);
      break;
  }
  return f;
}

/** A YYYY-MM-DD date in the wording's form (「2023年10月31日」). */
function writtenDate(d: string, w: AnswersWording): string {
  const [year, month, day] = d.split('-').map(Number);
  return fill(w.card.dataset.date, { year, month, day }) ?? d;
}

/**
 * The extra lines of a record imported from an open dataset (ミラサポplus): fields 所管 and 受付期間;
 * notes: the credit line the dataset's terms of use require, that periods change, an ended reception
 * period (compared with `now`), and the local 商工会議所/商工会 that help applicants.
 */
function datasetExtras(rec: Program, credit: string | undefined, w: AnswersWording, now: Date): { fields: CardField[]; notes: string[] } {
  const fields: CardField[] = [];
  const notes: string[] = [];
  if (rec.authority?.length) fields.push({ label: w.labels.authority ?? '所管', value: rec.authority.join('・') });
  const r = rec.reception;
  if (r?.start || r?.end) {
    const value = fill(w.card.dataset.reception, { start: r.start ? writtenDate(r.start, w) : '', end: r.end ? writtenDate(r.end, w) : '' }, true);
    if (value) fields.push({ label: w.labels.reception ?? '受付期間', value: r.remarks ? `${value}（${r.remarks}）` : value });
  } else if (r?.remarks) fields.push({ label: w.labels.reception ?? '受付期間', value: r.remarks });
  if (credit) notes.push(credit);
  notes.push(w.card.dataset.latest);
  if (r?.end && r.end < now.toISOString().slice(0, 10)) {
    const ended = fill(w.card.dataset.ended, { end: writtenDate(r.end, w) });
    if (ended) notes.push(ended);
  }
  if (rec.localHelp?.length) {
    const help = fill(w.card.dataset.localHelp, { deskTypes: rec.localHelp.join('・') });
    if (help) notes.push(help);
  }
  return { fields, notes };
}

/**
 * The card of one record: title = name; subtitle = category/desk type/level/the law of a definition; text = the summary's
 * first sentence plus, for past or historical records, a note saying so; fields = key terms as printed
 * (補助率・上限, 利率・限度額・期間, 対象 …); desk name and phone; 「出典: <document>、<年度>」.
 * A record imported from an open dataset (ミラサポplus) instead carries 所管 and 受付期間 fields and
 * `notes`: the dataset's credit line, 「最新の公募状況は…」, an ended reception period, local help.
 * @param w wording (default: intents/answers.yaml, loaded once)
 * @param opts.full the whole summary (every sentence that adds to the card) instead of its first sentence: the 詳しく card
 * @param opts.now today, for 「受付は…に終了しています」 (default: the current date)
 * @throws Error only when the default wording file is missing or invalid.
 */
export function recordCard(rec: KnowledgeRecord, kb: Pick<KnowledgeBase, 'byId' | 'sources'>, w?: AnswersWording, opts: { full?: boolean; now?: Date } = {}): Card {
  const now = opts.now ?? new Date();
  const wording = wordingOrDefault(w);
  const source = kb.sources.find((s) => s.file === rec.source.file);
  const subtitle =
    rec.kind === 'program'
      ? rec.category
      : rec.kind === 'desk'
        ? rec.deskType
        : rec.kind === 'measure'
          ? rec.level
          : rec.kind === 'area'
            ? rec.municipalityType
            : rec.law; // definitions: several share a printed heading (中小企業者) under different laws
  const statusNote =
    rec.status === 'past'
      ? fill(wording.card.status.past, { fiscalYear: rec.fiscalYear })
      : rec.status === 'historical'
        ? fill(wording.card.status.historical, { period: source?.period ?? `${rec.fiscalYear}年度` })
        : null;
  const contact = contactDesk(rec, kb);
  const phone = contact?.phone;
  const sentences = informativeSentences(rec.summary, shownOnCard(rec, { title: rec.name, subtitle, phone }));
  const line = withoutInternalRefs(opts.full ? sentences.join('') : (sentences[0] ?? ''));
  const card: Card = {
    id: rec.id,
    kind: rec.kind,
    title: rec.name,
    subtitle,
    text: [line, statusNote].filter(Boolean).join('\n'),
    fields: keyFields(rec, wording),
  };
  if (!card.text) delete card.text;
  if (contact) {
    // a desk is its own 相談先: its card names another desk only when it borrows that desk's phone
    if (contact.desk.id !== rec.id) card.deskName = contact.desk.name;
    else if (rec.kind === 'desk' && !rec.phone && phone && rec.parent) card.deskName = kb.byId.get(rec.parent)?.name;
    if (phone) {
      card.phone = phone;
      card.dial = parsePhones(phone);
    }
  }
  // a term that only names the 相談先 again is left out: its phone and a few characters beside it
  // (「連絡先: (一財)山口県国際総合センター 083-231-5778」), or exactly the desk's name
  const name = meaning(card.deskName ?? contact?.desk.name ?? '');
  const tel = phone ? meaning(phone) : '';
  const newToCard = (f: CardField): boolean => {
    const value = meaning(f.value);
    if (name && value === name) return false;
    if (!tel || !value.includes(tel)) return true;
    return (name ? value.split(tel).join('').split(name).join('') : value.split(tel).join('')).length > 5;
  };
  card.fields = card.fields.filter(newToCard);
  if (isDatasetRef(rec.source)) {
    // national programmes: the credit and period notes instead of the seed documents' 出典 line
    if (rec.kind === 'program') {
      const extras = datasetExtras(rec, source && 'credit' in source ? source.credit : undefined, wording, now);
      // 所管 is left out when the 相談先 is the authority itself (「中小企業庁」 twice)
      card.fields.push(...extras.fields.filter(newToCard));
      card.notes = extras.notes;
      card.text = oneLine(rec.summary);
    } else if (source && 'credit' in source) card.notes = [source.credit];
    return card;
  }
  const label = source ? fill(wording.card.source, { title: source.title, fiscalYear: rec.fiscalYear }) : null;
  if (label) card.sourceLabel = label;
  card.sourceRef = sourceRef(rec);
  return card;
}

/**
 * The phone as a person reads it: the numbers `dial` holds, joined by 「 / 」 (「083-222-6225 /
 * 083-223-2251」), else the field as printed.
 */
export function phoneText(card: Pick<Card, 'phone' | 'dial'>): string | undefined {
  return card.dial?.length ? card.dial.map(phoneLabel).join(' / ') : card.phone;
}

/**
 * Plain-text form of a card (for terminals and logs):
 * ```
 * ■ <title>（<subtitle>）
 * <text>
 * ・<label>: <value>
 * 相談先: <desk>（<phone>）       (a desk's own card: ・電話: <phone>)
 * <note> …
 * 出典: <document>、<年度>         (opts.staff: followed by 「（001 L1530-1531）」)
 * ```
 */
export function cardText(card: Card, w?: AnswersWording, opts: { staff?: boolean } = {}): string {
  const wording = wordingOrDefault(w);
  const lines = [`■ ${card.title}${card.subtitle ? `（${card.subtitle}）` : ''}`];
  if (card.text) lines.push(card.text);
  for (const f of card.fields) lines.push(`・${f.label}: ${f.value}`);
  const phone = phoneText(card);
  if (card.deskName) {
    const d = fill(phone ? wording.card.desk : wording.card.deskNoPhone, { deskName: card.deskName, phone });
    if (d) lines.push(d);
  } else if (phone) lines.push(`・${wording.labels.phone ?? '電話'}: ${phone}`);
  for (const n of card.notes ?? []) lines.push(n);
  if (card.sourceLabel) lines.push(opts.staff && card.sourceRef ? `${card.sourceLabel}（${card.sourceRef}）` : card.sourceLabel);
  return lines.join('\n');
}
