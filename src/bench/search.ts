/**
 * Search bench: index build time, cold start (a new process, measured from its own start to the first
 * answer with the saved index; the child also reports its RSS after a warm-up on the dev questions),
 * and ask latency p50/p99 over the dev questions repeated 20 times in this process.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_KNOWLEDGE_DIR, PROJECT_ROOT, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { readQuestions } from '../eval/score.ts';
import { buildIndex, saveIndex } from '../search/index-store.ts';
import { createSearchService } from '../search/service.ts';
import { percentile, type BenchSection, type Measurement } from './section.ts';

const REPEAT = 20;
const COLD_RUNS = 3;

/** Spawns src/bench/cold.ts: wall time spawn → first answer (measured by the child from its own start), RSS after warm-up. */
async function coldStart(): Promise<{ ms: number; rssMB: number; built: boolean }> {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'bench', 'cold.ts')], { cwd: PROJECT_ROOT, env: process.env });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number; rssMB: number; built: boolean };
}

export const sections: BenchSection[] = [
  {
    name: 'search',
    async run(): Promise<Measurement[]> {
      const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
      const service = await createSearchService(kb);
      const t0 = performance.now();
      const index = buildIndex(kb, service.analyzer);
      const buildMs = performance.now() - t0;
      saveIndex(kb, index);

      const colds: { ms: number; rssMB: number; built: boolean }[] = [];
      for (let i = 0; i < COLD_RUNS; i++) colds.push(await coldStart());

      const questions = readQuestions().map((q) => q.q);
      for (const q of questions) service.search(q); // warm-up
      const times: number[] = [];
      for (let r = 0; r < REPEAT; r++) {
        for (const q of questions) {
          const s = performance.now();
          service.search(q);
          times.push(performance.now() - s);
        }
      }
      return [
        { name: `index build (${kb.records.length} records)`, value: buildMs, unit: 'ms' },
        { name: `cold start → first answer, saved index (median of ${COLD_RUNS})`, value: percentile(colds.map((c) => c.ms), 50), unit: 'ms', target: '≤ 1500 ms' },
        { name: 'RSS after warm-up (fresh process)', value: percentile(colds.map((c) => c.rssMB), 50), unit: 'MB', target: '≤ 400 MB' },
        { name: `ask p50 (${times.length} asks)`, value: percentile(times, 50), unit: 'ms' },
        { name: `ask p99 (${times.length} asks)`, value: percentile(times, 99), unit: 'ms', target: '≤ 10 ms' },
      ];
    },
  },
];
