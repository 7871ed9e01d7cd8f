/**
 * `knowledge check | list [--json] | stats [--json] | import mirasapo <supports.zip|supports.json>`
 * — the operator's view of knowledge/.
 * check: prints every problem as `file:line:column message`, exit 1 when there is any; then the
 * search-vocabulary warnings (`file:line:column warning: …`: sentence-like or over-shared keywords,
 * generic aliases), which do not fail the check.
 * import mirasapo: regenerates knowledge/national/ from the ミラサポplus dataset (src/knowledge/mirasapo.ts),
 * prints the counts and every malformed record by dataset id (`--verbose`: every skipped record).
 */
import { parseArgs } from 'node:util';
import { checkKnowledge } from '../knowledge/check.ts';
import { DEFAULT_KNOWLEDGE_DIR, formatProblem, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { formatSourceRef } from '../knowledge/schema.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      dir: { type: 'string' },
      seeds: { type: 'string' },
      out: { type: 'string' },
      'as-of': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const sub = positionals[0];
  const dir = values.dir ?? process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR;
  if (sub === 'check') {
    const { problems, kb, warnings } = checkKnowledge(dir, values.seeds);
    for (const p of problems) process.stdout.write(formatProblem(p) + '\n');
    for (const w of warnings) process.stdout.write(formatProblem(w) + '\n');
    if (problems.length) {
      process.stderr.write(`knowledge check: ${problems.length} problem(s)\n`);
      return 1;
    }
    process.stderr.write(`knowledge check: OK — ${kb!.records.length} records, ${kb!.synonyms.length} synonym groups${warnings.length ? `, ${warnings.length} warning(s)` : ''}\n`);
    return 0;
  }
  if (sub === 'import') {
    if (positionals[1] !== 'mirasapo' || !positionals[2]) {
      process.stderr.write('usage: knowledge import mirasapo <supports.zip|supports.json> [--as-of YYYY-MM-DD] [--out <dir>] [--verbose] [--json]\n');
      return 2;
    }
    const { runMirasapoImport } = await import('../knowledge/mirasapo-import.ts');
    return runMirasapoImport({ input: positionals[2], dir, out: values.out, asOf: values['as-of'], verbose: values.verbose, json: values.json });
  }
  if (sub === 'list') {
    const kb = loadKnowledgeOrThrow(dir);
    const rows = kb.records.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      aliases: r.aliases,
      fiscalYear: r.fiscalYear,
      status: r.status,
      source: r.source,
    }));
    if (values.json) process.stdout.write(JSON.stringify(rows) + '\n');
    else for (const r of rows) process.stdout.write(`${r.id}\t${r.kind}\t${r.name}\t${r.fiscalYear}\t${r.status}\t${formatSourceRef(r.source)}\n`);
    return 0;
  }
  if (sub === 'stats') {
    const kb = loadKnowledgeOrThrow(dir);
    const count = (key: (r: (typeof kb.records)[number]) => string) => {
      const m: Record<string, number> = {};
      for (const r of kb.records) m[key(r)] = (m[key(r)] ?? 0) + 1;
      return Object.fromEntries(Object.entries(m).sort());
    };
    const stats = {
      total: kb.records.length,
      byKind: count((r) => r.kind),
      bySource: count((r) => r.source.file),
      byStatus: count((r) => r.status),
      synonymGroups: kb.synonyms.length,
    };
    if (values.json) process.stdout.write(JSON.stringify(stats, null, 2) + '\n');
    else {
      process.stdout.write(`records: ${stats.total}\n`);
      for (const [title, m] of [['kind', stats.byKind], ['source', stats.bySource], ['status', stats.byStatus]] as const) {
        process.stdout.write(`by ${title}:\n`);
        for (const [k, v] of Object.entries(m)) process.stdout.write(`  ${k.padEnd(12)} ${v}\n`);
      }
      process.stdout.write(`synonym groups: ${stats.synonymGroups}\n`);
    }
    return 0;
  }
  process.stderr.write('usage: knowledge check | list [--json] | stats [--json] | import mirasapo <supports.zip|supports.json>\n');
  return 2;
}
