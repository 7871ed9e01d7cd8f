/**
 * `index build [--dir <knowledge>]` — builds the search index over the knowledge and saves it to
 * `.cache/index-<key>.json` (key: hash of the knowledge files and the analyser version). The server
 * and `ask` load it instead of re-tokenising the catalogue; they rebuild it themselves when the
 * knowledge changed. Exit 0; 2 on a usage error; 1 when the knowledge is invalid.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { createAnalyzer } from '../text/analyzer.ts';
import { buildIndex, saveIndex } from '../search/index-store.ts';
import { loadAnswersWording } from '../search/wording.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { dir: { type: 'string' } } });
  if (positionals[0] !== 'build') {
    process.stderr.write('usage: index build [--dir <knowledge folder>]\n');
    return 2;
  }
  const kb = loadKnowledgeOrThrow(values.dir ?? process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
  const analyzer = await createAnalyzer(kb, { homeRegion: loadAnswersWording().homeRegion });
  const t0 = performance.now();
  const index = buildIndex(kb, analyzer);
  const ms = performance.now() - t0;
  const path = saveIndex(kb, index);
  process.stdout.write(`index: ${kb.records.length} records in ${ms.toFixed(0)} ms → ${path}\n`);
  return 0;
}
