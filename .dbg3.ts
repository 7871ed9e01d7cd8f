import { loadKnowledgeOrThrow } from './src/knowledge/load.ts';
import { createSearchService } from './src/search/service.ts';
const kb = loadKnowledgeOrThrow();
const s = await createSearchService(kb, { index: 'memory' });
for (const q of process.argv.slice(2)) { const r = s.search(q, { top: 8 }); console.log(q, r.confidence.toFixed(2)); for (const h of r.hits) console.log('  ', h.score.toFixed(2), h.record.kind, (h.record as any).category ?? '', h.record.name.slice(0, 40)); }
