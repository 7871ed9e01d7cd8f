import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getTokenizer } from '/work/main/src/text/tokenizer.ts';
const t: any = await getTokenizer();
const tm = t.viterbi_builder.token_info_dictionary.target_map;
const files: string[] = [];
const walk = (d: string) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else if (/\.(ya?ml|md|txt|jsonl)$/.test(n)) files.push(p); } };
walk('knowledge'); walk('../shared/seeds'); walk('../shared/eval'); walk('intents');
for (const l of files.map((f) => readFileSync(f, 'utf8')).join('\n').concat('\n𠮷野家 ｱｲｳ ①②③ 🙂 \u0000 abc123 ＡＢＣ').split('\n')) {
  try { t.tokenize(l); } catch (e) {
    for (let pos = 0; pos < l.length; pos++) for (const x of t.viterbi_builder.trie.commonPrefixSearch(l.slice(pos))) if (!tm[x.v]) { console.log('missing', x, tm[x.v]); process.exit(); }
    console.log('line', l); process.exit();
  }
}
