import { loadKnowledgeOrThrow } from './src/knowledge/load.ts';
import { createSearchService } from './src/search/service.ts';
import { readQuestions, rankOf } from './src/eval/score.ts';
const kb = loadKnowledgeOrThrow();
const s = await createSearchService(kb, { index: 'memory' });
s.wording.threshold = 0;
const rows: string[] = [];
for (const f of [undefined, 'test/fixtures/heldout-questions.jsonl']) for (const q of readQuestions(f as any)) {
  const r = s.search(q.q, { top: 10 });
  const rank = q.expect_kind === 'none' ? -9 : rankOf(r.hits.map((h) => h.record.name), q.expect);
  rows.push(`${r.confidence.toFixed(3)} ${q.expect_kind === 'none' ? 'OUT' : 'in '} rank=${rank} ${q.id} ${q.q.slice(0, 25)}`);
}
rows.sort(); console.log(rows.slice(0, 25).join('\n'));
