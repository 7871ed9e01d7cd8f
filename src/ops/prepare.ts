/**
 * Checks a knowledge folder and builds its search index in a worker thread, off the server's
 * event loop: building the index takes ≈2 s of CPU for the full catalogue, loading the saved
 * index afterwards ≈0.3 s. The index is saved in the search cache (src/search/index-store.ts),
 * keyed by the files' hash, where createSearchService finds it.
 */
import { Worker } from 'node:worker_threads';
import { ReloadError } from './runtime.ts';
import type { KnowledgeProblem } from '../knowledge/load.ts';

/** What the worker found: the hash of the files it checked (compare it with what you load next). */
export interface Prepared {
  hash: string;
  sourcesChecked: boolean;
}

/**
 * Runs the check and the index build in a worker.
 * @param homeRegion the wording's home region (the analyser's option), so the index matches the service's analyser
 * @throws ReloadError with the problems when the files fail the check; Error when the worker fails.
 */
export function prepareKnowledge(knowledgeDir: string, seedsDir: string, homeRegion?: string): Promise<Prepared> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./prepare-worker.mjs', import.meta.url), {
      workerData: { knowledgeDir, seedsDir, homeRegion },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    worker.once('message', (m: { ok: true; hash: string; sourcesChecked: boolean } | { ok: false; message: string; problems: KnowledgeProblem[] }) => {
      settled = true;
      if (m.ok) resolve({ hash: m.hash, sourcesChecked: m.sourcesChecked });
      else reject(new ReloadError(m.message, m.problems));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`knowledge worker exited with code ${code}`));
      settled = true;
    });
  });
}
