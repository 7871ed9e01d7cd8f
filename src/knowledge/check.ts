/**
 * Integrity checks over a schema-valid knowledge base (`knowledge check`):
 *  - every id referenced (desk, parent, area desks and localities) resolves to a record of the right kind;
 *  - every programme field (`eligibility.fields`) and every `broader` of knowledge/fields.yaml is a
 *    label of knowledge/fields.yaml, and no label is defined twice;
 *  - every source cited exists in knowledge/sources.yaml and its line range lies inside the document;
 *  - every phone/FAX number and every printed figure (amounts, rates, terms, employee ranges,
 *    definition thresholds) occurs in the source lines the record cites, after normalising width
 *    and spacing; an amount's `yen` equals what its text says. A record imported from an open
 *    dataset (`source: {file: mirasapo, id}`) is checked against that dataset record's own text
 *    (src/knowledge/mirasapo.ts `datasetRecordText`), read from the path knowledge/sources.yaml registers;
 *  - knowledge/national-overrides.yaml names dataset ids that exist, our desks, the programme's
 *    printed name, and its additions are in the generated records (else: run the import again).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SEEDS_DIR, loadKnowledge, locate, parseYamlFile, type KnowledgeBase, type KnowledgeProblem } from './load.ts';
import { formatSourceRef, isDatasetRef, type KnowledgeRecord, type SourceRef } from './schema.ts';
import { datasetPath, MIRASAPO, readMirasapoTexts } from './mirasapo.ts';
import { parseYen } from '../text/numbers.ts';
import { vocabularyWarnings } from '../text/vocabulary.ts';

/**
 * Source documents as arrays of lines (index 0 = line 1), by file prefix; an open dataset's records
 * under `<file>#<id>` (their own text), and the dataset itself under `<file>` (its path, one line).
 */
export type SourceTexts = Map<string, string[]>;

/** The key of one dataset record's text in {@link SourceTexts}. */
const datasetKey = (file: string, id: string) => `${file}#${id}`;

/**
 * Reads the documents listed in knowledge/sources.yaml from `seedsDir`, and each registered dataset
 * from its path (relative to the project folder). Missing or unreadable files are skipped (the
 * check then reports the records citing them).
 */
export function readSources(kb: KnowledgeBase, seedsDir = DEFAULT_SEEDS_DIR): SourceTexts {
  const out: SourceTexts = new Map();
  for (const s of kb.sources) {
    if (s.file === MIRASAPO) {
      const p = datasetPath(kb.dir, s.path);
      try {
        for (const [id, text] of readMirasapoTexts(p)) out.set(datasetKey(s.file, id), text.split('\n'));
        out.set(s.file, [p]);
      } catch {
        // unreadable: every record citing it is reported
      }
      continue;
    }
    const p = join(seedsDir, s.path);
    if (existsSync(p)) out.set(s.file, readFileSync(p, 'utf8').split('\n'));
  }
  return out;
}

/** Normalises text for "does this figure occur in the source": NFKC, no white space, one tilde, one dash. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u200b\u3000]+/g, '')
    .replace(/[〜～~]/g, '~')
    .replace(/(?<=\d)[‐‑–—―−ー－-](?=\d)/g, '-');
}

/** Phone numbers compare on their digits and dashes only: 「０８３－９３３－３１８０」 = 「083-933-3180」. */
function normalizePhone(text: string): string {
  return normalizeForMatch(text).replace(/[()（）]/g, '-').replace(/-+/g, '-');
}

function citedText(texts: SourceTexts, refs: SourceRef[]): string {
  return refs
    .map((r) => (isDatasetRef(r) ? (texts.get(datasetKey(r.file, r.id)) ?? []) : (texts.get(r.file) ?? []).slice(r.lines[0] - 1, r.lines[1])).join('\n'))
    .join('\n');
}

type Path = (string | number)[];

/** A table cell's first number times the header's unit: ("280 (運転50)", 百万円) → 280000000. */
function amountWithUnit(text: string, unit: string): number | null {
  const m = text.normalize('NFKC').replace(/(\d),(?=\d{3})/g, '$1').match(/\d+(?:\.\d+)?/);
  const per = parseYen(`1${unit}`);
  return m && per !== null ? parseFloat(m[0]) * per : null;
}

/** Every printed figure a record holds, with its path in the record (for the location). */
function figures(rec: KnowledgeRecord): { path: Path; text: string; yen?: number; unit?: string; label: string }[] {
  const out: { path: Path; text: string; yen?: number; unit?: string; label: string }[] = [];
  const add = (path: Path, v: unknown, label: string) => {
    if (v && typeof v === 'object' && 'text' in v && typeof (v as { text: unknown }).text === 'string') {
      const a = v as { text: string; yen?: number; unit?: string };
      out.push({ path, text: a.text, yen: a.yen, unit: a.unit, label });
    }
  };
  if (rec.kind === 'program') {
    const t = rec.terms ?? {};
    for (const k of ['subsidyRate', 'subsidyCap', 'loanLimit', 'loanFrame', 'interestRate', 'term', 'budget'] as const) {
      add(['terms', k], t[k], k);
    }
    t.other?.forEach((o, i) => add(['terms', 'other', i], o, o.label));
    rec.eligibility?.employees?.forEach((e, i) => add(['eligibility', 'employees', i], e, 'employees'));
    add(['eligibility', 'capitalMax'], rec.eligibility?.capitalMax, 'capitalMax');
    add(['eligibility', 'continuingOnly'], rec.eligibility?.continuingOnly, 'continuingOnly');
    if (rec.reception?.start) add(['reception', 'start'], { text: rec.reception.start }, 'reception start');
    if (rec.reception?.end) add(['reception', 'end'], { text: rec.reception.end }, 'reception end');
    rec.eligibility?.situations?.forEach((x, i) => add(['eligibility', 'situations', i], x, `situation ${x.label}`));
  }
  if (rec.kind === 'definition') {
    rec.rows?.forEach((r, i) => {
      add(['rows', i, 'capitalMax'], r.capitalMax, 'capitalMax');
    });
    rec.specialCases?.forEach((r, i) => add(['specialCases', i, 'capitalMax'], r.capitalMax, 'capitalMax'));
  }
  return out;
}

/** Ids a record refers to, with the kinds allowed and the path of the reference. */
function references(rec: KnowledgeRecord): { path: Path; id: string; kinds: string[]; what: string }[] {
  const refs: { path: Path; id: string; kinds: string[]; what: string }[] = [];
  if (rec.kind === 'program') {
    rec.desk.forEach((id, i) => refs.push({ path: ['desk', i], id, kinds: ['desk'], what: 'desk' }));
    if (rec.parent) refs.push({ path: ['parent'], id: rec.parent, kinds: ['program'], what: 'parent programme' });
    rec.eligibility?.servedBy?.forEach((id, i) => refs.push({ path: ['eligibility', 'servedBy', i], id, kinds: ['desk'], what: 'desk' }));
  } else if (rec.kind === 'desk') {
    if (rec.parent) refs.push({ path: ['parent'], id: rec.parent, kinds: ['desk'], what: 'parent desk' });
  } else if (rec.kind === 'area') {
    rec.desks.forEach((id, i) => refs.push({ path: ['desks', i], id, kinds: ['desk'], what: 'desk' }));
    rec.localities.forEach((l, i) => {
      if (l.desk) refs.push({ path: ['localities', i, 'desk'], id: l.desk, kinds: ['desk'], what: 'desk' });
    });
    if (rec.defaultDesk) refs.push({ path: ['defaultDesk'], id: rec.defaultDesk, kinds: ['desk'], what: 'desk' });
  } else if (rec.kind === 'measure') {
    if (rec.parent) refs.push({ path: ['parent'], id: rec.parent, kinds: ['measure'], what: 'parent measure' });
  }
  return refs;
}

/**
 * Runs the integrity checks. `kb` must have passed the schema (see loadKnowledge).
 * @returns problems located at the offending field, sorted by file and line.
 */
export function checkIntegrity(kb: KnowledgeBase, texts: SourceTexts): KnowledgeProblem[] {
  const problems: KnowledgeProblem[] = [...checkFieldsFile(kb), ...checkNationalOverrides(kb, texts)];
  const fieldLabels = new Set(kb.fields.fields.map((f) => f.label));
  const situationLabels = new Set((kb.situations?.situations ?? []).map((x) => x.label));
  const sourceFiles = new Set(kb.sources.map((s) => s.file));
  for (const rec of kb.records) {
    // origins are read only to locate a problem (from the startup snapshot they cost a YAML parse);
    // a valid catalogue has one record per id, so each record is its id's first definition
    const at = (path: Path) => {
      const org = kb.origin.get(rec.id);
      if (!org) return { file: kb.dir, line: 1, column: 1 };
      const { line, column } = locate(org.parsed, [org.index, ...path]);
      return { file: org.parsed.file, line, column };
    };
    const refsToCheck: { ref: SourceRef; path: Path }[] = [{ ref: rec.source, path: ['source'] }];
    (rec.seeAlso ?? []).forEach((ref, i) => refsToCheck.push({ ref, path: ['seeAlso', i] }));
    if (rec.kind === 'desk') rec.covers?.forEach((c, i) => refsToCheck.push({ ref: c.source, path: ['covers', i, 'source'] }));
    if (rec.kind === 'area') rec.localities.forEach((l, i) => l.source && refsToCheck.push({ ref: l.source, path: ['localities', i, 'source'] }));
    for (const { ref, path } of refsToCheck) {
      if (!sourceFiles.has(ref.file)) {
        problems.push({ ...at([...path, 'file']), message: `${rec.id}: source file "${ref.file}" is not listed in knowledge/sources.yaml` });
        continue;
      }
      const lines = texts.get(ref.file);
      if (!lines) {
        problems.push({ ...at([...path, 'file']), message: `${rec.id}: source document "${ref.file}" cannot be read` });
      } else if (isDatasetRef(ref)) {
        if (!texts.has(datasetKey(ref.file, ref.id))) problems.push({ ...at([...path, 'id']), message: `${rec.id}: record #${ref.id} is not in the dataset ${lines[0]} (or is malformed there)` });
      } else if (ref.lines[1] > lines.length) {
        problems.push({ ...at([...path, 'lines']), message: `${rec.id}: source lines ${ref.lines[0]}-${ref.lines[1]} lie outside ${ref.file} (${lines.length} lines)` });
      }
    }
    if (rec.kind === 'program') {
      rec.eligibility?.fields?.forEach((f, i) => {
        if (!fieldLabels.has(f)) problems.push({ ...at(['eligibility', 'fields', i]), message: `${rec.id}: unknown field "${f}" (not a label of knowledge/fields.yaml)` });
      });
      rec.eligibility?.situations?.forEach((x, i) => {
        if (!situationLabels.has(x.label)) problems.push({ ...at(['eligibility', 'situations', i, 'label']), message: `${rec.id}: unknown situation "${x.label}" (not a label of knowledge/situations.yaml)` });
      });
    }
    for (const r of references(rec)) {
      const target = kb.byId.get(r.id);
      if (!target) problems.push({ ...at(r.path), message: `${rec.id}: unknown ${r.what} "${r.id}"` });
      else if (!r.kinds.includes(target.kind)) problems.push({ ...at(r.path), message: `${rec.id}: "${r.id}" is a ${target.kind}, not a ${r.what}` });
    }
    const allRefs = refsToCheck.map((x) => x.ref);
    const cited = citedText(texts, allRefs);
    if (!cited) continue;
    const citedNorm = normalizeForMatch(cited);
    const citedPhone = normalizePhone(cited);
    const where = allRefs.map(formatSourceRef).join(', ');
    if (rec.kind === 'desk') {
      for (const key of ['phone', 'fax'] as const) {
        const v = rec[key];
        if (v && !citedPhone.includes(normalizePhone(v))) {
          problems.push({ ...at([key]), message: `${rec.id}: ${key === 'phone' ? 'phone' : 'FAX'} "${v}" does not occur in the cited source (${where})` });
        }
      }
    }
    for (const f of figures(rec)) {
      if (!citedNorm.includes(normalizeForMatch(f.text))) {
        problems.push({ ...at([...f.path, 'text']), message: `${rec.id}: ${f.label} "${f.text}" does not occur in the cited source (${where})` });
      }
      if (f.yen !== undefined) {
        const parsed = f.unit ? amountWithUnit(f.text, f.unit) : parseYen(f.text);
        if (parsed !== null && Math.abs(parsed - f.yen) > 0.5) {
          problems.push({ ...at([...f.path, 'yen']), message: `${rec.id}: ${f.label} yen ${f.yen} does not match its text "${f.text}" (= ${parsed} 円)` });
        }
      }
    }
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/**
 * knowledge/national-overrides.yaml: every entry names a dataset record (when the dataset can be
 * read) whose title is `name`, every desk is one of our desks, and what it adds is in the generated
 * record (otherwise the import has not been run since the file was edited).
 */
function checkNationalOverrides(kb: KnowledgeBase, texts: SourceTexts): KnowledgeProblem[] {
  const ov = kb.nationalOverrides;
  if (!ov.records.length && !ov.exclude.length) return [];
  const path = join(kb.dir, 'national-overrides.yaml');
  const parsed = existsSync(path) ? parseYamlFile(path).parsed : null;
  const at = (p: Path) => (parsed ? { file: parsed.file, ...locate(parsed, p) } : { file: path, line: 1, column: 1 });
  const problems: KnowledgeProblem[] = [];
  const dataset = texts.has(MIRASAPO);
  // generated programmes by every dataset id they came from
  const byDatasetId = new Map<string, KnowledgeRecord>();
  for (const r of kb.records) {
    if (r.kind !== 'program' || !isDatasetRef(r.source) || r.source.file !== MIRASAPO) continue;
    for (const id of [r.source.id, ...(r.source.sourceIds ?? [])]) byDatasetId.set(id, r);
  }
  const rerun = 'run `knowledge import mirasapo <supports.zip>` again';
  ov.exclude.forEach((e, i) => {
    if (dataset && !texts.has(datasetKey(MIRASAPO, e.id))) problems.push({ ...at(['exclude', i, 'id']), message: `exclude: dataset record #${e.id} does not exist` });
    else if (byDatasetId.has(e.id)) problems.push({ ...at(['exclude', i, 'id']), message: `exclude: #${e.id} is still in knowledge/national/ — ${rerun}` });
  });
  ov.records.forEach((o, i) => {
    const lines = texts.get(datasetKey(MIRASAPO, o.id));
    if (dataset && !lines) {
      problems.push({ ...at(['records', i, 'id']), message: `records: dataset record #${o.id} does not exist (or is malformed)` });
      return;
    }
    if (o.name && lines && lines[0].trim() !== o.name.trim()) problems.push({ ...at(['records', i, 'name']), message: `records #${o.id}: the dataset names it "${lines[0].trim()}", not "${o.name}"` });
    o.desks?.forEach((d, j) => {
      const desk = kb.byId.get(d);
      if (!desk) problems.push({ ...at(['records', i, 'desks', j]), message: `records #${o.id}: unknown desk "${d}"` });
      else if (desk.kind !== 'desk') problems.push({ ...at(['records', i, 'desks', j]), message: `records #${o.id}: "${d}" is a ${desk.kind}, not a desk` });
    });
    const rec = byDatasetId.get(o.id);
    if (!rec || rec.kind !== 'program') {
      if (dataset || kb.records.some((r) => isDatasetRef(r.source))) problems.push({ ...at(['records', i, 'id']), message: `records #${o.id}: not in knowledge/national/ (skipped by the import, or ${rerun})` });
      return;
    }
    const missing = [
      ...(o.aliases ?? []).filter((a) => !rec.aliases.includes(a) && !(o.dropAliases ?? []).includes(a)).map((a) => `alias "${a}"`),
      ...(o.dropAliases ?? []).filter((a) => rec.aliases.includes(a)).map((a) => `dropped alias "${a}"`),
      ...(o.keywords ?? []).filter((k) => !(rec.keywords ?? []).includes(k) && !rec.aliases.includes(k)).map((k) => `keyword "${k}"`),
      ...(o.desks ?? []).filter((d) => !rec.desk.includes(d)).map((d) => `desk "${d}"`),
      ...(o.localHelp ?? []).filter((t) => !(rec.localHelp ?? []).includes(t)).map((t) => `localHelp "${t}"`),
    ];
    if (missing.length) problems.push({ ...at(['records', i]), message: `records #${o.id}: ${missing.join(', ')} not applied to ${rec.id} — ${rerun}` });
  });
  return problems;
}

/** knowledge/fields.yaml: labels unique, every `broader` a label, no field broader than itself. */
function checkFieldsFile(kb: KnowledgeBase): KnowledgeProblem[] {
  const list = kb.fields.fields;
  if (!list.length) return [];
  const path = join(kb.dir, 'fields.yaml');
  const parsed = existsSync(path) ? parseYamlFile(path).parsed : null;
  const at = (p: Path) => (parsed ? { file: parsed.file, ...locate(parsed, p) } : { file: path, line: 1, column: 1 });
  const problems: KnowledgeProblem[] = [];
  const seen = new Set<string>();
  list.forEach((f, i) => {
    if (seen.has(f.label)) problems.push({ ...at(['fields', i, 'label']), message: `field "${f.label}" is defined twice` });
    seen.add(f.label);
  });
  list.forEach((f, i) => {
    if (!f.broader) return;
    if (!seen.has(f.broader)) problems.push({ ...at(['fields', i, 'broader']), message: `field "${f.label}": unknown broader field "${f.broader}"` });
    const chain = new Set([f.label]);
    for (let b: string | undefined = f.broader; b; b = list.find((x) => x.label === b)?.broader) {
      if (chain.has(b)) {
        problems.push({ ...at(['fields', i, 'broader']), message: `field "${f.label}": broader fields form a cycle` });
        break;
      }
      chain.add(b);
    }
  });
  return problems;
}

/**
 * Warnings about the search vocabulary (src/text/vocabulary.ts): keywords that are sentences or
 * shared by too many records, aliases that are generic words or fold into a common phrase — each
 * located at the offending list item (file:line:column).
 */
export function checkVocabulary(kb: KnowledgeBase): KnowledgeProblem[] {
  const out: KnowledgeProblem[] = [];
  for (const w of vocabularyWarnings(kb)) {
    const org = kb.origin.get(w.id);
    const loc = org ? { file: org.parsed.file, ...locate(org.parsed, [org.index, ...w.path]) } : { file: kb.dir, line: 1, column: 1 };
    out.push({ ...loc, message: w.message });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/**
 * Why a programme's `name` reads as a sentence or a bare sub-heading rather than a scheme's name, or
 * null: it holds 、 or 。; it ends like a sentence (「…を支援」「…を補助」「…します」「…ため」); or it
 * is a bare type heading (「先駆型」: a name ending in 型・枠・コース). Users meet the name on
 * every card; the scheme's printed name belongs there, the sentence in `summary`.
 */
export function sentenceLikeName(name: string): string | null {
  const n = name.normalize('NFKC').trim();
  if (/[、。]/.test(n)) return 'reads as a sentence (holds 、 or 。)';
  if (/(を|に)(支援|補助|助成|推進|促進|創出)$|(します|する|ため|ます)$/.test(n)) return 'reads as a sentence (ends like one)';
  if (/(型|枠|コース)$/.test(n)) return 'is a bare sub-heading';
  return null;
}

/**
 * Warnings of `knowledge check` (the catalogue still loads): programme names that read as a sentence
 * or a bare sub-heading ({@link sentenceLikeName}), located at the `name` field.
 */
export function checkWarnings(kb: KnowledgeBase): KnowledgeProblem[] {
  const out: KnowledgeProblem[] = [];
  for (const rec of kb.programs) {
    const why = sentenceLikeName(rec.name);
    if (!why) continue;
    const org = kb.origin.get(rec.id);
    const at = org ? { file: org.parsed.file, ...locate(org.parsed, [org.index, 'name']) } : { file: kb.dir, line: 1, column: 1 };
    out.push({ ...at, message: `warning: ${rec.id}: name "${rec.name}" ${why}; use the scheme's printed name where the source has one (the sentence belongs in summary)` });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/**
 * Full check as run by `knowledge check`: schema, syntax, then integrity.
 * @returns every problem (an empty list means the catalogue is valid) and the warnings, which do not
 * stop the catalogue from loading.
 */
export function checkKnowledge(dir?: string, seedsDir?: string): { problems: KnowledgeProblem[]; kb: KnowledgeBase | null; warnings: KnowledgeProblem[] } {
  const { kb, problems } = loadKnowledge(dir);
  if (!kb) return { problems, kb: null, warnings: [] };
  const integrity = checkIntegrity(kb, readSources(kb, seedsDir));
  return {
    problems: [...problems, ...integrity],
    kb: integrity.length ? null : kb,
    warnings: integrity.length ? [] : [...checkVocabulary(kb).map((w) => ({ ...w, message: `warning: ${w.message}` })), ...checkWarnings(kb)],
  };
}
