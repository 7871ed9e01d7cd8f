/**
 * Loads and validates the knowledge files (`knowledge/**.yaml`). Every problem an operator can make
 * is reported as a {@link KnowledgeProblem} naming file, line and column.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isNode, isSeq, type Document, type Node as YamlNode } from 'yaml';
import type { ZodType } from 'zod';
import {
  FieldsFile,
  SituationsFile,
  IndustriesFile,
  NationalOverridesFile,
  RecordsFile,
  SourcesFile,
  SynonymsFile,
  type Area,
  type Definition,
  type Desk,
  type KnowledgeRecord,
  type Measure,
  type Program,
} from './schema.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';
import type { z } from 'zod';

/** Project root (the folder holding package.json). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Default knowledge folder. */
export const DEFAULT_KNOWLEDGE_DIR = join(PROJECT_ROOT, 'knowledge');
/** Folder of the source documents (`../shared/seeds` beside the repo), overridable with SEEDS_DIR. */
export const DEFAULT_SEEDS_DIR = process.env.SEEDS_DIR ?? resolve(PROJECT_ROOT, '..', 'shared', 'seeds');

/** One problem found in a knowledge file; `line`/`column` are 1-based. */
export interface KnowledgeProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Formats a problem as `file:line:column message` (the operator-facing form). */
export function formatProblem(p: KnowledgeProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.message}`;
}

/** A parsed YAML file with what is needed to point at a path inside it. */
export interface ParsedFile {
  /** path as shown to the operator, e.g. knowledge/desks/001-cci.yaml */
  file: string;
  doc: Document;
  lineCounter: LineCounter;
}

/** Location of the node at `path` in a parsed file (falls back to the nearest existing parent). */
export function locate(parsed: ParsedFile, path: (string | number)[]): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? parsed.doc.contents : parsed.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && (node as YamlNode).range) {
      const pos = parsed.lineCounter.linePos((node as YamlNode).range![0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

/** Everything in `knowledge/`, validated. */
export interface KnowledgeBase {
  dir: string;
  records: KnowledgeRecord[];
  byId: Map<string, KnowledgeRecord>;
  programs: Program[];
  desks: Desk[];
  areas: Area[];
  definitions: Definition[];
  measures: Measure[];
  synonyms: z.infer<typeof SynonymsFile>;
  industries: z.infer<typeof IndustriesFile>;
  /** knowledge/fields.yaml: the 技術・産業分野 vocabulary (empty when the file is absent) */
  fields: FieldsFile;
  /** knowledge/situations.yaml: particular situations programmes are for (empty when the file is absent) */
  situations: SituationsFile;
  sources: z.infer<typeof SourcesFile>;
  /** knowledge/national-overrides.yaml (empty when the file is absent) */
  nationalOverrides: NationalOverridesFile;
  /**
   * where each record is defined, for integrity messages. When the knowledge came from the startup
   * snapshot (src/knowledge/snapshot.ts) the files are parsed again on first access only.
   */
  origin: Map<string, { parsed: ParsedFile; index: number }>;
  /** sha256 over every knowledge file's path and bytes */
  hash: string;
}

/** Result of {@link loadKnowledge}: the knowledge (when there were no schema errors) and the problems. */
export interface LoadResult {
  kb: KnowledgeBase | null;
  problems: KnowledgeProblem[];
}

/** Every *.yaml / *.yml file under `dir`, sorted, recursively. */
export function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** sha256 of the files' relative paths and contents (stable order). */
export function hashFiles(files: string[], root: string): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(root, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

/** A path as the operator sees it: relative to the working folder when inside it, else absolute. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : resolve(path);
}

/** Parses one YAML file; syntax errors become problems with their position. */
export function parseYamlFile(path: string): { parsed: ParsedFile; problems: KnowledgeProblem[] } {
  const text = readFileSync(path, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const file = displayPath(path);
  const problems: KnowledgeProblem[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    const msg = err.message.split('\n')[0];
    problems.push({ file, line: pos.line, column: pos.col, message: `YAML syntax error: ${msg}` });
  }
  return { parsed: { file, doc, lineCounter }, problems };
}

/** Validates a parsed file against a zod schema; issues become located problems. */
export function validate<T>(parsed: ParsedFile, schema: ZodType<T>): { value: T | null; problems: KnowledgeProblem[] } {
  const res = schema.safeParse(parsed.doc.toJS());
  if (res.success) return { value: res.data, problems: [] };
  const problems = res.error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const { line, column } = locate(parsed, path);
    const missing = path.length > 0 && !parsed.doc.hasIn(path) && issue.code !== 'unrecognized_keys';
    const where = path.length ? `${describePath(parsed, missing ? path.slice(0, 1) : path)}: ` : '';
    const message = missing ? `missing required field "${String(path[path.length - 1])}"` : issueMessage(issue);
    return { file: parsed.file, line, column, message: `${where}${message}` };
  });
  return { value: null, problems };
}

function describePath(parsed: ParsedFile, path: (string | number)[]): string {
  const first = path[0];
  let prefix = '';
  if (typeof first === 'number') {
    const id = parsed.doc.getIn([first, 'id']);
    prefix = typeof id === 'string' ? `${id}` : `item ${first + 1}`;
  }
  const rest = (typeof first === 'number' ? path.slice(1) : path).map(String).join('.');
  return [prefix, rest].filter(Boolean).join(' ');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_union' && issue.discriminator === 'kind') {
    return 'unknown or missing "kind" (expected program, desk, area, definition or measure)';
  }
  return issue.message;
}

const SPECIAL_FILES: Record<string, 'synonyms' | 'industries' | 'fields' | 'situations' | 'sources' | 'nationalOverrides'> = {
  'synonyms.yaml': 'synonyms',
  'industries.yaml': 'industries',
  'fields.yaml': 'fields',
  'situations.yaml': 'situations',
  'sources.yaml': 'sources',
  'national-overrides.yaml': 'nationalOverrides',
};

/** The overrides when knowledge/national-overrides.yaml is absent. */
const NO_OVERRIDES: NationalOverridesFile = { vocabulary: { purposes: {} }, exclude: [], records: [] };

/** The validated content of the knowledge files (what the startup snapshot holds). */
interface KnowledgeData {
  records: KnowledgeRecord[];
  synonyms: z.infer<typeof SynonymsFile>;
  industries: z.infer<typeof IndustriesFile>;
  fields: FieldsFile;
  situations?: SituationsFile;
  sources: z.infer<typeof SourcesFile>;
  nationalOverrides?: NationalOverridesFile;
}

type Origins = KnowledgeBase['origin'];

/**
 * Loads and schema-validates every YAML file in `dir`. When the files are unchanged since a load
 * without schema problems, their validated content comes from the startup snapshot in `.cache/`
 * (no YAML parsing, no zod); record origins are then parsed on first use of `kb.origin`.
 * @param dir knowledge folder (default `knowledge/`)
 * @param opts.skip files to leave out, by path relative to `dir` (the import reads the catalogue
 * without the files it regenerates)
 * @returns `kb` null when any file has a syntax or schema error; `problems` sorted by file and line.
 * Does not run the integrity checks of `check.ts` (references, sources).
 */
export function loadKnowledge(dir = DEFAULT_KNOWLEDGE_DIR, opts: { skip?: (relPath: string) => boolean } = {}): LoadResult {
  const files = listYamlFiles(dir).filter((f) => !opts.skip?.(relative(dir, f).replace(/\\/g, '/')));
  const hash = hashFiles(files, dir);
  const snapshot = readSnapshot<KnowledgeData>(hash);
  if (snapshot) {
    let origin: Origins | undefined;
    return { kb: assemble(dir, hash, snapshot, () => (origin ??= recordOrigins(dir, files))), problems: [] };
  }
  const problems: KnowledgeProblem[] = [];
  const records: KnowledgeRecord[] = [];
  const origin: Origins = new Map();
  let synonyms: z.infer<typeof SynonymsFile> = [];
  let industries: z.infer<typeof IndustriesFile> = { groups: [], special: [], choices: [] };
  let fields: FieldsFile = { fields: [] };
  let situations: SituationsFile = { situations: [] };
  let sources: z.infer<typeof SourcesFile> = [];
  let nationalOverrides: NationalOverridesFile = NO_OVERRIDES;
  for (const path of files) {
    const { parsed, problems: syntax } = parseYamlFile(path);
    if (syntax.length) {
      problems.push(...syntax);
      continue;
    }
    const rel = relative(dir, path).replace(/\\/g, '/');
    const special = SPECIAL_FILES[rel];
    if (special === 'synonyms') {
      const r = validate(parsed, SynonymsFile);
      problems.push(...r.problems);
      if (r.value) synonyms = r.value;
    } else if (special === 'industries') {
      const r = validate(parsed, IndustriesFile);
      problems.push(...r.problems);
      if (r.value) industries = r.value;
    } else if (special === 'fields') {
      const r = validate(parsed, FieldsFile);
      problems.push(...r.problems);
      if (r.value) fields = r.value;
    } else if (special === 'situations') {
      const r = validate(parsed, SituationsFile);
      problems.push(...r.problems);
      if (r.value) situations = r.value;
    } else if (special === 'sources') {
      const r = validate(parsed, SourcesFile);
      problems.push(...r.problems);
      if (r.value) sources = r.value;
    } else if (special === 'nationalOverrides') {
      const r = validate(parsed, NationalOverridesFile);
      problems.push(...r.problems);
      if (r.value) nationalOverrides = r.value;
    } else {
      if (parsed.doc.contents === null) continue; // empty file
      const r = validate(parsed, RecordsFile);
      problems.push(...r.problems);
      r.value?.forEach((rec, index) => {
        if (!origin.has(rec.id)) origin.set(rec.id, { parsed, index });
        records.push(rec);
      });
      if (r.value) {
        // duplicate ids are reported here because later lookups assume uniqueness
        r.value.forEach((rec, index) => {
          const first = origin.get(rec.id)!;
          if (first.parsed !== parsed || first.index !== index) {
            const { line, column } = locate(parsed, [index, 'id']);
            const at = locate(first.parsed, [first.index, 'id']);
            problems.push({ file: parsed.file, line, column, message: `duplicate id "${rec.id}" (first defined at ${first.parsed.file}:${at.line})` });
          }
        });
      }
    }
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  const hasSchemaErrors = problems.length > 0;
  const data: KnowledgeData = { records, synonyms, industries, fields, situations, sources, nationalOverrides };
  if (!hasSchemaErrors) writeSnapshot(hash, data);
  return { kb: hasSchemaErrors ? null : assemble(dir, hash, data, () => origin), problems };
}

/** The KnowledgeBase over validated data; `origin` is read through `origins` when first used. */
function assemble(dir: string, hash: string, data: KnowledgeData, origins: () => Origins): KnowledgeBase {
  const { records } = data;
  const byId = new Map<string, KnowledgeRecord>();
  for (const r of records) if (!byId.has(r.id)) byId.set(r.id, r);
  const kb = {
    dir,
    records,
    byId,
    programs: records.filter((r): r is Program => r.kind === 'program'),
    desks: records.filter((r): r is Desk => r.kind === 'desk'),
    areas: records.filter((r): r is Area => r.kind === 'area'),
    definitions: records.filter((r): r is Definition => r.kind === 'definition'),
    measures: records.filter((r): r is Measure => r.kind === 'measure'),
    synonyms: data.synonyms,
    industries: data.industries,
    fields: data.fields ?? { fields: [] },
    situations: data.situations ?? { situations: [] },
    sources: data.sources,
    nationalOverrides: data.nationalOverrides ?? NO_OVERRIDES,
    hash,
  } as KnowledgeBase;
  Object.defineProperty(kb, 'origin', { get: origins, enumerable: true, configurable: true });
  return kb;
}

/** Where each record is defined (first definition of an id), parsing the record files again. */
function recordOrigins(dir: string, files: string[]): Origins {
  const origin: Origins = new Map();
  for (const path of files) {
    if (SPECIAL_FILES[relative(dir, path).replace(/\\/g, '/')]) continue;
    const { parsed } = parseYamlFile(path);
    const items = parsed.doc.contents;
    if (!isSeq(items)) continue;
    for (let index = 0; index < items.items.length; index++) {
      const id = parsed.doc.getIn([index, 'id']);
      if (typeof id === 'string' && !origin.has(id)) origin.set(id, { parsed, index });
    }
  }
  return origin;
}

/** A YAML file that could not be read or validated; `problems` locate each error. */
export class YamlFileError extends Error {
  constructor(readonly problems: KnowledgeProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'YamlFileError';
  }
}

/**
 * Reads one YAML file and validates it with `schema` (the intents and wording files use this).
 * @throws YamlFileError with every problem as `file:line:column message` (missing file, syntax, schema).
 */
export function readYamlOrThrow<T>(path: string, schema: ZodType<T>): T {
  if (!existsSync(path)) throw new YamlFileError([{ file: displayPath(path), line: 1, column: 1, message: 'file not found' }]);
  const { parsed, problems } = parseYamlFile(path);
  if (problems.length) throw new YamlFileError(problems);
  const r = validate(parsed, schema);
  if (r.problems.length) throw new YamlFileError(r.problems);
  return r.value as T;
}

/**
 * Loads the knowledge or throws an Error listing every problem (`file:line:column message` lines).
 * For the server and CLI paths that need a valid catalogue.
 */
export function loadKnowledgeOrThrow(dir = DEFAULT_KNOWLEDGE_DIR): KnowledgeBase {
  const { kb, problems } = loadKnowledge(dir);
  if (!kb) throw new Error(`knowledge in ${dir} is invalid:\n${problems.map(formatProblem).join('\n')}`);
  return kb;
}
