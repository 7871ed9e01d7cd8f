/**
 * Cards and answer text for search hits. Every figure shown is copied from the record (its printed
 * `text`); a term the record does not state is left out, never guessed.
 */
import type { Card, CardField } from '../core/types.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { isDatasetRef, type Desk, type KnowledgeRecord, type Program } from '../knowledge/schema.ts';
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
    if (value) f.push({ label, value });
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
 * @param now today, for 「受付は…に終了しています」 (default: the current date)
 * @throws Error only when the default wording file is missing or invalid.
 */
export function recordCard(rec: KnowledgeRecord, kb: Pick<KnowledgeBase, 'byId' | 'sources'>, w?: AnswersWording, now = new Date()): Card {
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
  const card: Card = {
    id: rec.id,
    kind: rec.kind,
    title: rec.name,
    subtitle,
    text: [oneLine(rec.summary), statusNote].filter(Boolean).join('\n'),
    fields: keyFields(rec, wording),
  };
  if (contact) {
    card.deskName = contact.desk.name;
    if (contact.phone) card.phone = contact.phone;
  }
  if (isDatasetRef(rec.source)) {
    // national programmes: the credit and period notes instead of the seed documents' 出典 line
    if (rec.kind === 'program') {
      const extras = datasetExtras(rec, source && 'credit' in source ? source.credit : undefined, wording, now);
      card.fields.push(...extras.fields);
      card.notes = extras.notes;
      card.text = oneLine(rec.summary);
    } else if (source && 'credit' in source) card.notes = [source.credit];
    return card;
  }
  const label = source ? fill(wording.card.source, { title: source.title, fiscalYear: rec.fiscalYear }) : null;
  if (label) card.sourceLabel = label;
  return card;
}

/**
 * Plain-text form of a card (for terminals and logs):
 * ```
 * ■ <title>（<subtitle>）
 * <text>
 * ・<label>: <value>
 * 相談先: <desk>（<phone>）
 * 出典: <document>、<年度>
 * ```
 */
export function cardText(card: Card, w?: AnswersWording): string {
  const wording = wordingOrDefault(w);
  const lines = [`■ ${card.title}${card.subtitle ? `（${card.subtitle}）` : ''}`];
  if (card.text) lines.push(card.text);
  for (const f of card.fields) lines.push(`・${f.label}: ${f.value}`);
  if (card.deskName && card.kind !== 'desk') {
    const d = fill(card.phone ? wording.card.desk : wording.card.deskNoPhone, { deskName: card.deskName, phone: card.phone });
    if (d) lines.push(d);
  } else if (card.phone) lines.push(`・${wording.labels.phone ?? '電話'}: ${card.phone}`);
  if (card.sourceLabel) lines.push(card.sourceLabel);
  for (const n of card.notes ?? []) lines.push(n);
  return lines.join('\n');
}
