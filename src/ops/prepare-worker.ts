/**
 * Worker thread body of {@link prepareKnowledge}: checks the knowledge files and builds (and saves)
 * their search index, so the server's event loop only loads the saved index afterwards.
 * Input (workerData): {knowledgeDir, seedsDir, homeRegion}. Output (one message):
 * `{ok: true, hash, sourcesChecked}` or `{ok: false, message, problems}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadOrBuildIndex } from '../search/index-store.ts';
import { createAnalyzer } from '../text/analyzer.ts';
import { ReloadError, validateKnowledge } from './runtime.ts';

const { knowledgeDir, seedsDir, homeRegion } = workerData as { knowledgeDir: string; seedsDir: string; homeRegion?: string };
try {
  const { kb, sourcesChecked } = validateKnowledge(knowledgeDir, seedsDir);
  const analyzer = await createAnalyzer(kb, homeRegion ? { homeRegion } : undefined);
  loadOrBuildIndex(kb, analyzer);
  parentPort!.postMessage({ ok: true, hash: kb.hash, sourcesChecked });
} catch (err) {
  parentPort!.postMessage({
    ok: false,
    message: err instanceof Error ? err.message : String(err),
    problems: err instanceof ReloadError ? err.problems : [],
  });
}
