import { loadKnowledgeOrThrow } from './src/knowledge/load.ts';
import { createSearchService } from './src/search/service.ts';
import { readQuestions, score, rankOf } from './src/eval/score.ts';
const kb = loadKnowledgeOrThrow();
const s = await createSearchService(kb, { index: 'memory' });
for (const [name, file] of [['dev', undefined], ['held', 'test/fixtures/heldout-questions.jsonl']] as const) {
  const qs = readQuestions(file as any);
  const res = qs.map((q) => s.search(q.q, { top: 10 }));
  const m = score(qs, res.map((r) => ({ answered: r.answered, names: r.hits.map((h) => h.record.name) })));
  console.log(name, 'hit1', m.hit1.toFixed(3), 'hit3', m.hit3.toFixed(3), 'mrr', m.mrr.toFixed(3), 'oos', m.outOfScope.toFixed(3));
  if (process.env.V) qs.forEach((q, i) => { const r = res[i]; const rank = q.expect_kind === 'none' ? (r.answered ? -1 : 1) : r.answered ? rankOf(r.hits.map(h=>h.record.name), q.expect) : 0; if (rank !== 1 || (process.env.O && q.expect_kind === 'none')) console.log('  ', q.id, rank, r.confidence.toFixed(2), q.q.slice(0,30), '→', r.hits[0]?.record.name ?? '-', '| want', q.expect[0]); });
}
