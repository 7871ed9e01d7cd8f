import { loadKnowledgeOrThrow } from './src/knowledge/load.ts';
import { createSearchService } from './src/search/service.ts';
const kb = loadKnowledgeOrThrow();
const s = await createSearchService(kb, { index: 'memory' });
for (const q of process.argv.slice(2)) {
  const a = s.analyze(q);
  console.log('Q', q, '\n tokens', a.tokens.join(' '), '\n syn', a.synonyms.matched.join(','), '->', a.synonyms.tokens.join(' '), '\n ents', a.entities.records.map(r=>r.name).join(','), '\n explained', a.explained.join(' '));
  const r = s.search(q, { top: 6 });
  console.log(' conf', r.confidence.toFixed(2), r.reason ?? '');
  for (const h of r.hits) console.log('   ', h.score.toFixed(2), h.record.kind, h.record.status, h.record.name);
}
