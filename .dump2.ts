import { loadKnowledgeOrThrow } from './src/knowledge/load.ts';
const kb = loadKnowledgeOrThrow();
const ids = process.argv.slice(2);
for (const id of ids) { const r:any = kb.byId.get(id); console.log(id, '|', r?.name, '|', r?.summary?.slice(0,160), '|', r?.target ?? ''); }
