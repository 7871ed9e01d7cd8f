/**
 * `report unanswered [--since <date>] [--top N] [--json] [--log <path>]` — the most frequent
 * unanswered questions, grouped by normalised text.
 * `report freshness [--json]` — what to re-check first (see src/ops/freshness.ts).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_KNOWLEDGE_DIR, DEFAULT_SEEDS_DIR, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { freshnessReport } from '../ops/freshness.ts';
import { loadOpsWording } from '../ops/wording.ts';
import { intentsDir, phrase } from '../search/wording.ts';
import { groupUnanswered, readUnanswered } from '../ops/unanswered.ts';
import { defaultUnansweredLogPath } from '../ops/paths.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      top: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
      log: { type: 'string' },
      dir: { type: 'string' },
      seeds: { type: 'string' },
    },
  });
  const out = (s: string) => process.stdout.write(s + '\n');
  if (positionals[0] === 'unanswered') {
    let since: Date | undefined;
    if (values.since) {
      since = new Date(values.since);
      if (Number.isNaN(since.getTime())) {
        process.stderr.write(`--since: "${values.since}" is not a date (use YYYY-MM-DD)\n`);
        return 2;
      }
    }
    const top = Number(values.top);
    const path = values.log ?? process.env.UNANSWERED_LOG ?? defaultUnansweredLogPath();
    const groups = groupUnanswered(readUnanswered(path), since).slice(0, Number.isFinite(top) && top > 0 ? top : 20);
    if (values.json) out(JSON.stringify(groups));
    else if (!groups.length) out(`未回答の質問はありません（${path}）`);
    else for (const g of groups) out(`${String(g.count).padStart(4)}  ${g.text}  [${g.channels.join(',')}; ${g.reasons.join(',')}; 最終 ${g.lastSeen.slice(0, 10)}]`);
    return 0;
  }
  if (positionals[0] === 'freshness') {
    const kb = loadKnowledgeOrThrow(values.dir ?? process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
    const wording = loadOpsWording(intentsDir()).freshness;
    const report = freshnessReport(kb, values.seeds ?? DEFAULT_SEEDS_DIR, new Date(), wording);
    if (values.json) {
      out(JSON.stringify(report, null, 2));
      return 0;
    }
    const titles = wording.sections;
    for (const d of report.datasets) {
      out(`## ${phrase(wording.snapshot, { title: d.title, asOf: d.asOf, days: d.ageDays })}`);
      out(`## ${titles.receptionEnded}: ${d.ended.length}件`);
      for (const i of d.ended) out(`- ${i.name} (${i.id}) — ${i.detail} — ${i.where}`);
      out('');
    }
    const sections: [string, typeof report.pastPrograms][] = [
      [titles.missingSources, report.missingSources],
      [titles.pastPrograms, report.pastPrograms],
      [titles.desksWithoutPhone, report.desksWithoutPhone],
      [phrase(titles.pastFiscalYear, { current: report.currentFiscalYear }), report.pastFiscalYear],
    ];
    for (const [title, items] of sections) {
      out(`## ${title}: ${items.length}件`);
      for (const i of items) out(`- ${i.name} (${i.id}) — ${i.detail} — ${i.where}`);
      out('');
    }
    return 0;
  }
  process.stderr.write('usage: report unanswered [--since YYYY-MM-DD] [--top N] [--json] | report freshness [--json]\n');
  return 2;
}
