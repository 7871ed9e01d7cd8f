import { loadKnowledgeOrThrow } from './src/knowledge/load.ts';
import { SynonymExpander } from './src/text/synonyms.ts';
import { recordText } from './src/search/documents.ts';
import { matchKey } from './src/text/normalize.ts';
const kb = loadKnowledgeOrThrow();
const ex = new SynonymExpander(kb.synonyms);
const t0 = performance.now();
let n = 0;
for (const r of kb.records) { const t = recordText(r, kb); const s = matchKey([...t.names, t.summary, ...t.body].join('\n')); n += ex.groupsIn(s).size; }
console.log('ms', performance.now() - t0, n);
