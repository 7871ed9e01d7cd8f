/**
 * The operator's import run: `knowledge import mirasapo <supports.zip|supports.json>` reads the
 * catalogue without knowledge/national/ (our desks, knowledge/national-overrides.yaml, the dataset's
 * entry of knowledge/sources.yaml), imports the dataset (src/knowledge/mirasapo.ts) and writes
 * knowledge/national/. Prints the counts; every malformed record is named by its dataset id.
 */
import { join } from 'node:path';
import { formatProblem, loadKnowledge } from './load.ts';
import { importMirasapo, MIRASAPO, readMirasapoFile, writeNational, type ImportReport } from './mirasapo.ts';

/** Options of {@link runMirasapoImport}. */
export interface ImportOptions {
  /** path of supports.zip or supports.json */
  input: string;
  /** knowledge folder */
  dir: string;
  /** output folder (default `<dir>/national`) */
  out?: string;
  /** snapshot date YYYY-MM-DD (default: `asOf` of the dataset in knowledge/sources.yaml) */
  asOf?: string;
  verbose?: boolean;
  json?: boolean;
  /** where messages go (default stderr/stdout) */
  log?: (line: string) => void;
  print?: (line: string) => void;
}

const REASONS: Record<string, string> = {
  malformed: 'malformed (skipped)',
  otherPrefecture: 'for another prefecture',
  personal: 'personal/household service',
  unpublished: 'unpublished before the snapshot',
  excluded: 'excluded by knowledge/national-overrides.yaml',
};

/** The report as the lines the command prints (counts, malformed records by id, duplicates). */
export function reportLines(r: ImportReport, verbose = false): string[] {
  const lines = [`read ${r.read} records; selected ${r.selected}; skipped ${r.skipped.length}`];
  const by = new Map<string, number>();
  for (const s of r.skipped) by.set(s.reason, (by.get(s.reason) ?? 0) + 1);
  for (const [k, n] of by) lines.push(`  skipped ${n}: ${REASONS[k] ?? k}`);
  for (const s of r.skipped) if (verbose || s.reason === 'malformed') lines.push(`  mirasapo #${s.id}: skipped — ${s.detail}`);
  const collapsed = r.duplicates.reduce((n, d) => n + d.others.length, 0);
  lines.push(`duplicates: ${r.duplicates.length} programmes listed under several ids (${collapsed} records collapsed)`);
  if (verbose) for (const d of r.duplicates) lines.push(`  ${d.name}: kept #${d.kept}, also #${d.others.join(', #')}`);
  lines.push(`written: ${r.programs} programmes, ${r.desks} inquiry desks`);
  for (const [f, n] of Object.entries(r.files)) lines.push(`  ${f}: ${n}`);
  return lines;
}

/**
 * Runs the import. Exit code 0 on success, 1 when the input or the rest of the catalogue cannot be
 * read (the message names the file), 2 on a bad --as-of.
 */
export async function runMirasapoImport(o: ImportOptions): Promise<number> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const print = o.print ?? ((l: string) => process.stdout.write(l + '\n'));
  const { kb, problems } = loadKnowledge(o.dir, { skip: (rel) => rel.startsWith('national/') });
  if (!kb) {
    for (const p of problems) log(formatProblem(p));
    log('knowledge import: fix the problems above first (knowledge/national/ was not read)');
    return 1;
  }
  const entry = kb.sources.find((s) => s.file === MIRASAPO);
  const asOf = o.asOf ?? (entry && 'asOf' in entry ? entry.asOf : undefined);
  if (!asOf || !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    log('knowledge import: give the snapshot date with --as-of YYYY-MM-DD (or register the dataset with asOf in knowledge/sources.yaml)');
    return 2;
  }
  const credit = entry && 'credit' in entry ? entry.credit : '出典：中小企業庁「ミラサポplus」（加工して作成）';
  let input;
  try {
    input = readMirasapoFile(o.input);
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    return 1;
  }
  const desks = kb.desks.filter((d) => d.source.file !== MIRASAPO);
  const result = importMirasapo(input, { desks, overrides: kb.nationalOverrides, asOf });
  const outDir = o.out ?? join(o.dir, 'national');
  writeNational(outDir, result, input, asOf, credit);
  if (o.json) print(JSON.stringify(result.report, null, 2));
  else for (const l of reportLines(result.report, o.verbose)) log(l);
  if (entry && 'asOf' in entry && entry.asOf !== asOf) log(`note: knowledge/sources.yaml still says asOf ${entry.asOf}; set it (and period, credit) to ${asOf}`);
  log(`knowledge import: wrote ${outDir}; run \`knowledge check\` next`);
  return 0;
}
