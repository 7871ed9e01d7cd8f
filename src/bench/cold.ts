/**
 * Child process of the search bench: loads the knowledge and the search service (saved index),
 * answers one question, then warms up on the dev questions and prints
 * `{"ms": <process start → first answer>, "built": bool, "rssMB": <RSS after warm-up>}`.
 */
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { readQuestions } from '../eval/score.ts';
import { createSearchService } from '../search/service.ts';

const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
const service = await createSearchService(kb);
service.search('設備投資に使える補助金はある？');
const ms = performance.now();
for (const q of readQuestions()) service.search(q.q);
const rssMB = process.memoryUsage().rss / 2 ** 20;
process.stdout.write(JSON.stringify({ ms, built: service.indexBuilt, rssMB }) + '\n');
