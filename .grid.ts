import { loadKnowledgeOrThrow } from './src/knowledge/load.ts';
import { createSearchService } from './src/search/service.ts';
import { readQuestions, score } from './src/eval/score.ts';
import { FUSION } from './src/search/rank.ts';
const kb = loadKnowledgeOrThrow();
const s = await createSearchService(kb, { index: 'memory' });
const sets = [readQuestions(), readQuestions('test/fixtures/heldout-questions.jsonl')];
for (const b of [0.6, 1.0]) for (const c of [1.2, 2, 3]) for (const kb2 of [1.3]) {
  FUSION.bigram = b; FUSION.concept = c; s.wording.kindHints.boost = kb2;
  const out = sets.map((qs) => { const m = score(qs, qs.map((q) => { const r = s.search(q.q, { top: 10 }); return { answered: r.answered, names: r.hits.map((h) => h.record.name) }; })); return `${m.hit1.toFixed(3)} ${m.hit3.toFixed(3)} ${m.mrr.toFixed(3)} ${m.outOfScope.toFixed(2)}`; });
  console.log(`b=${b} c=${c} k=${kb2} | dev ${out[0]} | held ${out[1]}`);
}
