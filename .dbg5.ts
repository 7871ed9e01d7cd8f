import { loadKnowledgeOrThrow } from './src/knowledge/load.ts';
import { createAnalyzer } from './src/text/analyzer.ts';
import { buildIndex } from './src/search/index-store.ts';
import { buildClauses } from './src/search/query.ts';
import { fuse } from './src/search/rank.ts';
import { ConceptIndex } from './src/search/concepts.ts';
const kb = loadKnowledgeOrThrow('test/fixtures/ranking-kb');
const an = await createAnalyzer(kb, { homeRegion: '山口' });
const idx = buildIndex(kb, an);
const ci = new ConceptIndex(kb, an.synonyms);
const want = (process.env.W ?? '').split(',');
for (const q of process.argv.slice(2)) {
  const a = an.analyze(q);
  console.log('Q', q, '| groups', a.synonyms.groupIds.map(g => an.synonyms.canonicals[g]).join(','), '| tokens', a.tokens.join(' '));
  const cl = buildClauses(a, an.gazetteer.heads(a.entities.records, a.folded));
  const c = fuse(idx, cl, (ref) => ci.score(ref, a.synonyms.groupIds)).sort((x, y) => y.fused - x.fused);
  c.forEach((x, i) => { if (i < 6 || want.includes(x.ref)) console.log('  ', i + 1, x.fused.toFixed(2), 'm', x.morph.toFixed(2), 'b', x.bigram.toFixed(2), 'c', x.concept.toFixed(2), x.ref, kb.byId.get(x.ref)!.name.slice(0, 30), [...ci.groupsOf(x.ref).keys()].map(g => an.synonyms.canonicals[g]).join(',')); });
}
