import { getTokenizer } from '/work/main/src/text/tokenizer.ts';
const t: any = await getTokenizer();
const vb = t.viterbi_builder;
const tm = vb.token_info_dictionary.target_map;
console.log(tm[0], tm[1], tm['5'], tm[392125]);
const v = vb.trie.commonPrefixSearch('補助金');
console.log(v, v.map((x: any) => tm[x.v]));
