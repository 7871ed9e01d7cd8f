import { describe, expect, it } from 'vitest';
import { loadKnowledgeOrThrow } from '../src/knowledge/load.ts';
import { getTokenizer, type DoubleArrayTrie, type LatticeBuilder } from '../src/text/tokenizer.ts';

/** The dictionary trie of the shared tokenizer, and doublearray's own prefix search over it. */
async function tries(): Promise<{ trie: DoubleArrayTrie; original: (key: string) => { k: string; v?: number }[] }> {
  const tok = await getTokenizer();
  const trie = (tok as unknown as { viterbi_builder: { trie: DoubleArrayTrie } }).viterbi_builder.trie;
  const proto = Object.getPrototypeOf(trie) as DoubleArrayTrie;
  return { trie, original: (key) => proto.commonPrefixSearch.call(trie, key) };
}

describe('the dictionary trie lookup and the lattice builder (src/text/tokenizer.ts fastPrefixSearch, fastLatticeBuild)', () => {
  it('replaces doublearray’s and finds the same words at every position of the catalogue’s text and of odd input', async () => {
    const { trie, original } = await tries();
    expect(trie.commonPrefixSearch).not.toBe((Object.getPrototypeOf(trie) as DoubleArrayTrie).commonPrefixSearch);
    const kb = loadKnowledgeOrThrow();
    const texts = kb.records.slice(0, 300).flatMap((r) => [r.name, r.summary ?? '']);
    texts.push('ｶﾀｶﾅとカタカナ、ＡＢＣとabc、123と１２３', '😀絵文字𠮷野家の後', 'e\u0301 combining, \u200b zero width, \u0007 bell', '~~~~〜〜〜ーーー', 'ゼロゼロ融資の返済がきつうて');
    let positions = 0;
    for (const text of texts) {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0xdc00 && c <= 0xdfff) continue; // not a position kuromoji starts at (the middle of a pair)
        const tail = text.slice(i);
        expect(trie.commonPrefixSearch(tail)).toEqual(original(tail));
        positions++;
      }
    }
    expect(positions).toBeGreaterThan(10_000);
  });

  it('ends the search at a lone surrogate, where doublearray’s throws', async () => {
    const { trie, original } = await tries();
    expect(() => original('補助\ud800金')).toThrow();
    expect(trie.commonPrefixSearch('補助\ud800金').map((r) => r.k)).toEqual(trie.commonPrefixSearch('補助').map((r) => r.k));
  });

  it('builds the same lattice as kuromoji’s own builder for the catalogue’s text and odd input', async () => {
    const tok = await getTokenizer();
    const builder = (tok as unknown as { viterbi_builder: LatticeBuilder }).viterbi_builder;
    const own = (Object.getPrototypeOf(builder) as LatticeBuilder).build;
    expect(builder.build).not.toBe(own);
    type Node = { name: number; cost: number; start_pos: number; length: number; left_id: number; right_id: number; surface_form: string; type: string };
    const shape = (lattice: unknown) =>
      (lattice as { nodes_end_at: (Node[] | undefined)[]; eos_pos: number }).nodes_end_at.map((nodes) => (nodes ?? []).map((x) => [x.name, x.cost, x.start_pos, x.length, x.left_id, x.right_id, x.surface_form, x.type].join('|')));
    const kb = loadKnowledgeOrThrow();
    const texts = kb.records.slice(0, 200).flatMap((r) => [r.name, r.summary ?? '']);
    texts.push('', 'ｶﾀｶﾅとカタカナ、ＡＢＣとabc、123と１２３', '😀絵文字𠮷野家の後😀😀', '補助\ud800金', '\ud800', 'アイウエオカキクケコサシスセソ', '1234567890円', '~~~~〜〜〜ーーー', ' 　\t改行\nあり', 'IoTやDX、AIの導入');
    for (const text of texts) expect(shape(builder.build(text)), text).toEqual(shape(own.call(builder, text)));
  });

  it('tokenizes as before', async () => {
    const tok = await getTokenizer();
    expect(tok.tokenize('設備投資に使える補助金はある？').map((t) => t.surface_form)).toEqual(['設備', '投資', 'に', '使える', '補助', '金', 'は', 'ある', '？']);
  });
});
