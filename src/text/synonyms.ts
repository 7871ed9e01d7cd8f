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
  /** indexes (into synonyms.yaml) of the groups hit, in the order they were hit */
  groupIds: number[];
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
 * Scanning is left to right, the longest member at each position first; a member inside a longer
 * one found earlier is not counted again (「事業承継」 does not also count as 「承継」).
 */
export class SynonymExpander {
  private readonly groups: string[][];
  /** {@link matchKey} of every member (as written in synonyms.yaml) */
  private readonly keys = new Map<string, string>();
  /** canonical word of each group (as written in synonyms.yaml) */
  readonly canonicals: string[];
  /** members by their first character, longest first */
  private readonly byFirst = new Map<string, Member[]>();

  constructor(groups: SynonymGroup[]) {
    this.groups = groups.map((g) => [...new Set([g.canonical, ...g.words])]);
    this.canonicals = groups.map((g) => g.canonical);
    this.groups.forEach((words, group) => {
      for (const word of words) {
        const key = matchKey(word);
        this.keys.set(word, key);
        const ascii = /^[\x20-\x7e]+$/.test(key);
        if (!key || (!ascii && [...key].length < 2)) continue;
        let list = this.byFirst.get(key[0]);
        if (!list) this.byFirst.set(key[0], (list = []));
        list.push({ key, word, group, ascii });
      }
    });
    for (const list of this.byFirst.values()) list.sort((a, b) => b.key.length - a.key.length);
  }

  /** {@link matchKey} of a member as written in synonyms.yaml (computed for other words). */
  keyOf(word: string): string {
    return this.keys.get(word) ?? matchKey(word);
  }

  /** Number of groups loaded. */
  get size(): number {
    return this.groups.length;
  }

  /**
   * Members found in `folded` (a {@link matchKey} string), in text order, each with its group.
   * Cost: O(text length × members sharing a first character).
   */
  scan(folded: string): { word: string; key: string; group: number }[] {
    const out: { word: string; key: string; group: number }[] = [];
    let coveredTo = 0;
    for (let i = 0; i < folded.length; i++) {
      const list = this.byFirst.get(folded[i]);
      if (!list) continue;
      let found = '';
      for (const m of list) {
        const end = i + m.key.length;
        if (found) {
          // the same word may be listed in several groups: report each
          if (m.key === found) out.push({ word: m.word, key: m.key, group: m.group });
          if (m.key.length < found.length) break;
          continue;
        }
        if (end <= coveredTo) break; // inside a longer member already found
        if (!folded.startsWith(m.key, i)) continue;
        if (m.ascii && !wordBoundary(folded, i, end)) continue;
        out.push({ word: m.word, key: m.key, group: m.group });
        coveredTo = end;
        found = m.key;
      }
    }
    return out;
  }

  /** The groups (indexes into synonyms.yaml) any member of which occurs in `folded`. */
  groupsIn(folded: string): Set<number> {
    return new Set(this.scan(folded).map((m) => m.group));
  }

  /**
   * Members of any group found in `folded` (a {@link matchKey} string) and the other members of
   * their groups. Each group is expanded once; each member is reported once.
   */
  expand(folded: string): Expansion {
    const matched: string[] = [];
    const groupIds: number[] = [];
    for (const m of this.scan(folded)) {
      if (!matched.includes(m.word)) matched.push(m.word);
      if (!groupIds.includes(m.group)) groupIds.push(m.group);
    }
    const seen = new Set(matched.map((w) => this.keyOf(w)));
    const groups: string[][] = [];
    for (const g of groupIds) {
      const list: string[] = [];
      for (const w of this.groups[g]) {
        const k = this.keyOf(w);
        if (!seen.has(k)) {
          seen.add(k);
          list.push(w);
        }
      }
      if (list.length) groups.push(list);
    }
    return { matched, added: groups.flat(), groups, groupIds };
  }
}

function wordBoundary(s: string, start: number, end: number): boolean {
  const before = s[start - 1];
  const after = s[end];
  const isWord = (c: string | undefined) => c !== undefined && /[a-z0-9]/.test(c) && !isJapaneseChar(c);
  return !isWord(before) && !isWord(after);
}
