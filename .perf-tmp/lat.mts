import { loadKnowledgeOrThrow } from '/work/main/src/knowledge/load.ts';
import { createSearchService } from '/work/main/src/search/service.ts';
import { readQuestions } from '/work/main/src/eval/score.ts';
const kb = loadKnowledgeOrThrow();
const s = await createSearchService(kb);
const qs = readQuestions().map((q) => q.q);
for (const q of qs) s.search(q);
const times: number[] = [];
const per = new Map<string, number[]>();
for (let r = 0; r < 20; r++) for (const q of qs) { const t = performance.now(); s.search(q); const d = performance.now() - t; times.push(d); (per.get(q) ?? per.set(q, []).get(q)!).push(d); }
times.sort((a, b) => a - b);
console.log('n', times.length, 'p50', times[Math.ceil(times.length * 0.5) - 1].toFixed(2), 'p99', times[Math.ceil(times.length * 0.99) - 1].toFixed(2));
const med = [...per].map(([q, t]) => [q, t.sort((a, b) => a - b)[10]] as const).sort((a, b) => b[1] - a[1]);
for (const [q, t] of med.slice(0, 8)) console.log(t.toFixed(1), q.slice(0, 60));
