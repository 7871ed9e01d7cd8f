import { loadKnowledgeOrThrow } from './src/knowledge/load.ts';
import { createSearchService } from './src/search/service.ts';
const kb = loadKnowledgeOrThrow('test/fixtures/ranking-kb');
const s = await createSearchService(kb, { index: 'memory' });
for (const q of process.argv.slice(2)) { const r = s.search(q, { top: 8 }); const a = s.analyze(q); console.log(q, r.confidence.toFixed(2), r.reason ?? '', a.tokens.join(' ')); for (const h of r.hits) console.log('  ', h.score.toFixed(2), h.record.id); }
