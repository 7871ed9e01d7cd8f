/**
 * Free-text question eval (`npm run eval`, first part): hit@1, hit@3, MRR and the out-of-scope share
 * on ../shared/eval/dev-questions.jsonl for the search service and two baselines, side by side, then
 * the misses of the service (question, expected, what came first).
 */
import { basename } from 'node:path';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { createSearchService } from '../search/service.ts';
import { bigramBaseline, jaBaseline } from './baselines.ts';
import { rankOf, readQuestions, score, type Metrics, type SystemAnswer } from './score.ts';

const TOP = 10;

function row(name: string, m: Metrics): string {
  const f = (x: number) => x.toFixed(3).padStart(7);
  return `${name.padEnd(20)}${f(m.hit1)}${f(m.hit3)}${f(m.mrr)}${f(m.outOfScope)}`;
}

/** Runs the question eval and prints the table and the misses (the `npm run eval` part). */
export async function run(): Promise<void> {
  await evaluateQuestions();
}

/**
 * The question eval: prints the table and the misses, returns the service's metrics.
 * @param file a JSONL question file (default ../shared/eval/dev-questions.jsonl)
 * @throws Error when the file is unreadable or not JSONL.
 */
export async function evaluateQuestions(file?: string): Promise<Metrics> {
  const questions = readQuestions(file);
  const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
  const service = await createSearchService(kb);
  const ours: SystemAnswer[] = [];
  const responses = questions.map((q) => service.search(q.q, { top: TOP }));
  for (const r of responses) ours.push({ answered: r.answered, names: r.hits.map((h) => h.record.name) });
  const baselines = [jaBaseline(kb), bigramBaseline(kb)];
  const results: [string, Metrics][] = [['shien-navi', score(questions, ours)]];
  for (const b of baselines) results.push([b.name, score(questions, questions.map((q) => b.ask(q.q, TOP)))]);

  const m = results[0][1];
  process.stdout.write(`\n== free-text questions${file ? ` (${basename(file)})` : ''}: ${m.n} in scope, ${m.nOut} out of scope, ${kb.records.length} records ==\n`);
  process.stdout.write(`${'system'.padEnd(20)}${'hit@1'.padStart(7)}${'hit@3'.padStart(7)}${'MRR'.padStart(7)}${'oos'.padStart(7)}\n`);
  for (const [name, metrics] of results) process.stdout.write(row(name, metrics) + '\n');

  const misses = questions
    .map((q, i) => ({ q, r: responses[i], rank: q.expect_kind === 'none' ? (responses[i].answered ? -1 : 1) : responses[i].answered ? rankOf(ours[i].names, q.expect) : 0 }))
    .filter((x) => x.rank !== 1);
  if (misses.length) {
    process.stdout.write('\nnot first (rank 0 = not in results, -1 = out of scope but answered):\n');
    for (const { q, r, rank } of misses) {
      const first = r.hits[0]?.record.name ?? (r.answered ? '' : '(not answered)');
      process.stdout.write(`  ${q.id} rank ${rank} conf ${r.confidence.toFixed(2)} 「${q.q}」 → ${first} | want ${q.expect[0]}\n`);
    }
  }
  return m;
}
