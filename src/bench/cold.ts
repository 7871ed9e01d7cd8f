/**
 * Child process of the search bench, on the CLI's start path (dictionary preloaded, knowledge from
 * its snapshot, saved index): answers one question, then warms up on the dev questions and prints
 * `{"ms": <process start → first answer>, "built": bool, "rssMB": <RSS after warm-up>}`.
 */
import { preloadTokenizer } from '../text/tokenizer.ts';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { readQuestions } from '../eval/score.ts';
import { createSearchService } from '../search/service.ts';

preloadTokenizer();
const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
const service = await createSearchService(kb);
service.search('設備投資に使える補助金はある？');
const ms = performance.now();
for (const q of readQuestions()) service.search(q.q);
const rssMB = process.memoryUsage().rss / 2 ** 20;
process.stdout.write(JSON.stringify({ ms, built: service.indexBuilt, rssMB }) + '\n');
