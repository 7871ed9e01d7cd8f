/**
 * Synonym expansion from knowledge/synonyms.yaml (operators edit it; no synonym lives in code).
 * A group is `{canonical, words}`; when the question contains any member of a group, the other
 * members are added to the query (at a lower weight, see src/search/query.ts).
 */
import { isJapaneseChar, matchKey } from './normalize.ts';

/** One synonym group as in knowledge/synonyms.yaml. */
export interface SynonymGroup {
  canonical: string;
  words: string[];
}

/** What {@link SynonymExpander.expand} found: members present in the text and the phrases to add. */
export interface Expansion {
  /** group members found in the text (as written in synonyms.yaml) */
  matched: string[];
  /** the other members of those groups (as written in synonyms.yaml), to be analysed and added */
  added: string[];
  /** `added`, split by group (one list per group hit, in the order the groups were hit) */
  groups: string[][];
}

interface Member {
  key: string;
  word: string;
  group: number;
  ascii: boolean;
}

/**
 * Finds synonym-group members in text. Matching is on {@link matchKey} forms (width, kana and
 * 長音 folded); an all-ASCII member must stand as a whole word (「hp」 does not match 「php」);
 * one-character Japanese members are ignored (too ambiguous as substrings).
 */
export class SynonymExpander {
  private readonly members: Member[];
  private readonly groups: string[][];

  constructor(groups: SynonymGroup[]) {
    this.groups = groups.map((g) => [...new Set([g.canonical, ...g.words])]);
    this.members = [];
    this.groups.forEach((words, group) => {
      for (const word of words) {
        const key = matchKey(word);
        const ascii = /^[\x20-\x7e]+$/.test(key);
        if (!key || (!ascii && [...key].length < 2)) continue;
        this.members.push({ key, word, group, ascii });
      }
    });
    // longest first, so that a long member wins over a member it contains
    this.members.sort((a, b) => b.key.length - a.key.length);
  }

  /** Number of groups loaded. */
  get size(): number {
    return this.groups.length;
  }

  /**
   * Members of any group found in `folded` (a {@link matchKey} string) and the other members of
   * their groups. Each group is expanded once; a member found inside a longer found member is not
   * counted again.
   */
  expand(folded: string): Expansion {
    const matched: string[] = [];
    const hitGroups = new Set<number>();
    const taken: [number, number][] = [];
    for (const m of this.members) {
      let from = 0;
      for (;;) {
        const at = folded.indexOf(m.key, from);
        if (at < 0) break;
        from = at + 1;
        const end = at + m.key.length;
        if (m.ascii && !wordBoundary(folded, at, end)) continue;
        if (taken.some(([a, b]) => at >= a && end <= b)) continue;
        taken.push([at, end]);
        matched.push(m.word);
        hitGroups.add(m.group);
        break;
      }
    }
    const seen = new Set(matched.map(matchKey));
    const groups: string[][] = [];
    for (const g of hitGroups) {
      const list: string[] = [];
      for (const w of this.groups[g]) {
        const k = matchKey(w);
        if (!seen.has(k)) {
          seen.add(k);
          list.push(w);
        }
      }
      if (list.length) groups.push(list);
    }
    return { matched, added: groups.flat(), groups };
  }
}

function wordBoundary(s: string, start: number, end: number): boolean {
  const before = s[start - 1];
  const after = s[end];
  const isWord = (c: string | undefined) => c !== undefined && /[a-z0-9]/.test(c) && !isJapaneseChar(c);
  return !isWord(before) && !isWord(after);
}
