/**
 * Search bench: index build time; cold start, i.e. wall time from spawning a real process on a user's
 * path to its first answer, with the knowledge snapshot and the saved index present —
 *  - CLI: `node --import tsx src/cli/main.ts ask --json "<q>"` (what `npm run cli -- ask` runs,
 *    without npm's own start-up), spawn → first byte of the answer on stdout;
 *  - server: `src/server/main.ts` (NODE_ENV=production, no channel credentials), spawn → the answer
 *    to the first POST /api/chat sent once /readyz is 200 (polled every 10 ms);
 * RSS after a warm-up on the dev questions in a fresh process (src/bench/cold.ts), and ask latency
 * p50/p99 over the dev questions repeated 20 times in this process. Cold figures are medians.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_KNOWLEDGE_DIR, PROJECT_ROOT, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { readQuestions } from '../eval/score.ts';
import { buildIndex, saveIndex } from '../search/index-store.ts';
import { createSearchService } from '../search/service.ts';
import { freePort } from '../../test/helpers/services.ts';
import { percentile, type BenchSection, type Measurement } from './section.ts';

const REPEAT = 20;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const QUESTION = '設備投資に使える補助金はある？';

/** Spawns the CLI's ask: ms from spawn to the first output byte; throws unless the output is the JSON answer. */
async function cliColdStart(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli', 'main.ts'), 'ask', '--json', QUESTION], { cwd: PROJECT_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let first = 0;
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    first ||= performance.now() - t0;
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  const answer = code === 0 ? (JSON.parse(out) as { answered?: unknown }) : null;
  if (typeof answer?.answered !== 'boolean') throw new Error(`cli ask failed (exit ${code}): ${err.slice(-500)}`);
  return first;
}

/** Spawns the server: ms from spawn to the answer of the first /api/chat request. */
async function serverColdStart(): Promise<number> {
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production', LOG_LEVEL: 'warn', WATCH_KNOWLEDGE: '0', UNANSWERED_LOG: '/dev/null' };
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'server', 'main.ts')], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited: ${err.slice(-500)}`);
      if (performance.now() - t0 > 60_000) throw new Error('server not ready after 60 s');
      if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const res = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'bench-cold', text: QUESTION }) });
    await res.text();
    if (!res.ok) throw new Error(`/api/chat answered ${res.status}`);
    return performance.now() - t0;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Spawns src/bench/cold.ts: RSS after warm-up (and its own start → first answer, for reference). */
async function warmProcess(): Promise<{ ms: number; rssMB: number; built: boolean }> {
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
      // the second index is built and saved in a function of its own, so it is garbage before the
      // asks are timed: the timed process holds one index, as a server does
      const buildMs = ((): number => {
        const t0 = performance.now();
        const index = buildIndex(kb, service.analyzer);
        const ms = performance.now() - t0;
        saveIndex(kb, index);
        return ms;
      })();

      const cli: number[] = [];
      const server: number[] = [];
      const warm: { ms: number; rssMB: number; built: boolean }[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        cli.push(await cliColdStart());
        server.push(await serverColdStart());
        warm.push(await warmProcess());
      }
      if (warm.some((w) => w.built)) process.stdout.write('(warning: a fresh process rebuilt the index — the knowledge changed during the run)\n');

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
        { name: `cold start: cli ask → answer (median of ${COLD_RUNS})`, value: percentile(cli, 50), unit: 'ms', target: '≤ 1500 ms' },
        { name: `cold start: server → first /api/chat (median)`, value: percentile(server, 50), unit: 'ms' },
        { name: 'in-process start → first answer (median)', value: percentile(warm.map((c) => c.ms), 50), unit: 'ms' },
        { name: 'RSS after warm-up (fresh process, median)', value: percentile(warm.map((c) => c.rssMB), 50), unit: 'MB', target: '≤ 400 MB' },
        { name: `ask p50 (${times.length} asks)`, value: percentile(times, 50), unit: 'ms' },
        { name: `ask p99 (${times.length} asks)`, value: percentile(times, 99), unit: 'ms', target: '≤ 10 ms' },
      ];
    },
  },
];
