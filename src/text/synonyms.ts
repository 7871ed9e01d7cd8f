/**
 * Synonym expansion from knowledge/synonyms.yaml (operators edit it; no synonym lives in code).
 * A group is `{canonical, words}`; when the question contains any member of a group, the other
 * members are added to the query (at a lower weight, see src/search/query.ts).
 *
 * Members match as whole tokens or token sequences of the text (kuromoji tokens, or script runs
 * where no tokenizer is given), never as folded substrings across a script boundary: the katakana
 * member タイ (the country) does not match the auxiliary 〜たい of 「したい」, ネット does not match
 * inside セーフティネット, ライン not inside ガイドライン. Rules:
 *  - a member token matches a text token with the same surface (width folded) or base form; a
 *    katakana member token matches only katakana (a hiragana spelling of a loanword matches only
 *    when the member is at least {@link CROSS_SCRIPT_MIN} characters long);
 *  - the last token of a member may be the start of the text's token when the rest is okurigana
 *    (「息子に継」 matches 「息子に継がせたい」);
 *  - a member written only in kanji matches inside a compound as well, as long as it starts or ends
 *    at a token boundary (承継 in 親族内承継);
 *  - an ASCII member must stand as a whole word (「hp」 does not match 「php」);
 *  - 「…」 in a member allows up to {@link PHRASE_GAP} tokens in between, within one sentence
 *    (「給料を…上げ」 matches 「給料をもっと上げたい」).
 * One-character Japanese members are ignored (too ambiguous). Scanning is left to right, the
 * longest member at each position first; a member inside a longer one found earlier is not counted
 * again (「事業承継」 does not also count as 「承継」).
 */
import { fold, normalize } from './normalize.ts';

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
  /** character spans [start, end) of the members found, in the normalised text */
  spans: [number, number][];
}

/** A token of a normalised text: its surface, base form (kuromoji; absent = surface) and offset. */
export interface Segment {
  surface: string;
  base?: string;
  /** offset of the surface in the normalised text */
  start: number;
}

/** Splits a normalised text into tokens (kuromoji in the analyser; script runs by default). */
export type Segmenter = (normalized: string) => Segment[];

/** Most tokens a 「…」 in a phrase member may stand for. */
export const PHRASE_GAP = 4;
/** Shortest member (folded characters) that may match a text written in another kana script. */
export const CROSS_SCRIPT_MIN = 4;

const KATAKANA = /[\u30a1-\u30fa]/;
const KANJI_ONLY = /^[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/;
const KANJI_END = /[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]$/;
const HIRAGANA_ONLY = /^[\u3041-\u309f]+$/;
const ASCII_ONLY = /^[\x20-\x7e]+$/;
const SENTENCE_END = /[。！？!?\n]/;
const RUN = /[a-z0-9]+|[\u3041-\u309f][\u3041-\u309f\u30fc]*|[\u30a1-\u30fa\u30fc]+|[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\sa-z0-9\u3041-\u309f\u30a1-\u30fa\u30fc\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;

/** Script runs of a normalised text (kanji, hiragana, katakana, ASCII words, other): the default {@link Segmenter}. */
export const scriptRuns: Segmenter = (normalized) => [...normalized.matchAll(RUN)].map((m) => ({ surface: m[0], start: m.index }));

/** Surface key keeping the script (width folded by normalize; a trailing 長音 dropped). */
function scriptKey(s: string): string {
  return s.replace(/ー+$/, '');
}

interface Tok {
  script: string;
  folded: string;
  base: string;
  katakana: boolean;
  kanjiEnd: boolean;
}

interface Member {
  word: string;
  group: number;
  /** token parts (「…」 separates parts); empty for substring members */
  parts: Tok[][];
  /** kanji-only or ASCII members match as substrings of the normalised text */
  substring?: string;
  ascii: boolean;
  /** folded length, for the cross-script rule */
  length: number;
}

function tok(s: Segment): Tok {
  const surface = s.surface;
  const base = s.base && s.base !== '*' ? s.base : surface;
  return { script: scriptKey(surface), folded: fold(surface), base: fold(base), katakana: KATAKANA.test(surface), kanjiEnd: KANJI_END.test(surface) };
}

/**
 * Finds synonym-group members in text (see the module comment for the matching rules).
 * Cost of a scan: O(tokens × members sharing a first token) + O(text × kanji members sharing a first character).
 */
export class SynonymExpander {
  private readonly groups: string[][];
  /** normalised form of every member (as written in synonyms.yaml) */
  private readonly keys = new Map<string, string>();
  /** member → fold(its key), filled as {@link foldedKeyOf} is asked (members only, so bounded by synonyms.yaml) */
  private readonly foldedKeys = new Map<string, string>();
  /** canonical word of each group (as written in synonyms.yaml) */
  readonly canonicals: string[];
  /** token members by their first token's folded surface and base form */
  private readonly byFirstToken = new Map<string, Member[]>();
  /** substring members by their first character */
  private readonly byFirstChar = new Map<string, Member[]>();

  /**
   * @param groups the groups of knowledge/synonyms.yaml
   * @param segment the tokenizer members and texts are split with (default {@link scriptRuns})
   */
  constructor(groups: SynonymGroup[], private readonly segment: Segmenter = scriptRuns) {
    this.groups = groups.map((g) => [...new Set([g.canonical, ...g.words])]);
    this.canonicals = groups.map((g) => g.canonical);
    this.groups.forEach((words, group) => {
      for (const word of words) {
        const key = normalize(word);
        this.keys.set(word, key);
        const foldedLen = [...fold(key)].length;
        const ascii = ASCII_ONLY.test(key);
        if (!key || (!ascii && foldedLen < 2)) continue;
        if ((KANJI_ONLY.test(key) || ascii) && !key.includes('…')) {
          const m: Member = { word, group, parts: [], substring: key, ascii, length: foldedLen };
          let list = this.byFirstChar.get(key[0]);
          if (!list) this.byFirstChar.set(key[0], (list = []));
          list.push(m);
          continue;
        }
        const parts = key
          .split(/…+|\.\.\.+/)
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p) => this.split(p).map(tok));
        if (!parts.length || parts.some((p) => !p.length)) continue;
        const m: Member = { word, group, parts, ascii: false, length: foldedLen };
        const first = parts[0][0];
        for (const k of new Set([first.folded, first.base])) {
          let list = this.byFirstToken.get(k);
          if (!list) this.byFirstToken.set(k, (list = []));
          list.push(m);
        }
      }
    });
    for (const list of this.byFirstChar.values()) list.sort((a, b) => b.substring!.length - a.substring!.length);
  }

  private split(normalized: string): Segment[] {
    try {
      return this.segment(normalized);
    } catch {
      return scriptRuns(normalized);
    }
  }

  /** Normalised form of a member as written in synonyms.yaml (computed for other words). */
  keyOf(word: string): string {
    return this.keys.get(word) ?? normalize(word);
  }

  /** `fold(keyOf(word))`: the form members are told apart in (computed once per member). */
  foldedKeyOf(word: string): string {
    let k = this.foldedKeys.get(word);
    if (k === undefined) {
      k = fold(this.keyOf(word));
      if (this.keys.has(word)) this.foldedKeys.set(word, k);
    }
    return k;
  }

  /** Number of groups loaded. */
  get size(): number {
    return this.groups.length;
  }

  /** The members of group `g` (as written in synonyms.yaml, canonical first). */
  members(g: number): readonly string[] {
    return this.groups[g] ?? [];
  }

  /**
   * Members found in `text` (normalised here; pass `segments` when the caller has tokenised the
   * normalised text already), in text order, each with its group and character span.
   */
  scan(text: string, segments?: Segment[]): { word: string; group: number; start: number; end: number }[] {
    const normalized = segments ? text : normalize(text);
    const segs = segments ?? this.split(normalized);
    const found: { word: string; group: number; start: number; end: number; length: number }[] = [];
    const toks = segs.map(tok);
    // token members
    for (let i = 0; i < toks.length; i++) {
      const cands = new Set([...(this.byFirstToken.get(toks[i].folded) ?? []), ...(this.byFirstToken.get(toks[i].base) ?? [])]);
      for (const m of cands) {
        const end = this.matchParts(m, toks, segs, normalized, i);
        // a katakana word is one word: a member does not match a piece of a longer katakana run (ネット in セーフティネット)
        if (end > 0 && !katakanaBoundary(normalized, segs[i].start, end)) continue;
        if (end > 0) found.push({ word: m.word, group: m.group, start: segs[i].start, end, length: end - segs[i].start });
      }
    }
    // substring members (kanji-only, ASCII)
    const starts = new Set(segs.map((s) => s.start));
    const ends = new Set(segs.map((s) => s.start + s.surface.length));
    for (let i = 0; i < normalized.length; i++) {
      const list = this.byFirstChar.get(normalized[i]);
      if (!list) continue;
      for (const m of list) {
        const key = m.substring!;
        if (!normalized.startsWith(key, i)) continue;
        const end = i + key.length;
        if (m.ascii ? !asciiBoundary(normalized, i, end) : !(starts.has(i) || ends.has(end))) continue;
        found.push({ word: m.word, group: m.group, start: i, end, length: key.length });
      }
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const out: { word: string; group: number; start: number; end: number }[] = [];
    let coveredTo = 0;
    let lastStart = -1;
    let lastEnd = -1;
    for (const f of found) {
      if (f.start === lastStart && f.end === lastEnd) {
        // the same span may be listed in several groups: report each
        if (!out.some((o) => o.word === f.word && o.group === f.group && o.start === f.start)) out.push({ word: f.word, group: f.group, start: f.start, end: f.end });
        continue;
      }
      if (f.end <= coveredTo) continue; // inside a longer member already found
      out.push({ word: f.word, group: f.group, start: f.start, end: f.end });
      coveredTo = Math.max(coveredTo, f.end);
      lastStart = f.start;
      lastEnd = f.end;
    }
    return out;
  }

  /** End offset (in `normalized`) of member `m` matched from token `i`, or −1. */
  private matchParts(m: Member, toks: Tok[], segs: Segment[], normalized: string, i: number): number {
    let at = i;
    let end = -1;
    for (let p = 0; p < m.parts.length; p++) {
      const part = m.parts[p];
      let matchedAt = -1;
      const limit = p === 0 ? at : Math.min(toks.length - 1, at + PHRASE_GAP);
      for (let s = at; s <= limit; s++) {
        if (p > 0 && s > at && SENTENCE_END.test(segs[s - 1].surface)) break;
        const e = this.matchPart(m, part, toks, segs, s);
        if (e > 0) {
          matchedAt = e;
          break;
        }
      }
      if (matchedAt < 0) return -1;
      end = matchedAt;
      // next part starts at the token after the one that ends at `end`
      at = segs.findIndex((sg) => sg.start >= end);
      if (p + 1 < m.parts.length && at < 0) return -1;
    }
    void normalized;
    return end;
  }

  private matchPart(m: Member, part: Tok[], toks: Tok[], segs: Segment[], s: number): number {
    if (s + part.length > toks.length) return -1;
    for (let k = 0; k < part.length; k++) {
      const a = part[k];
      const b = toks[s + k];
      const last = k === part.length - 1;
      if (!sameToken(a, b, m.length)) {
        // okurigana after the member's last token: a kanji-ending token, or kana after an anchoring token (資金繰+り)
        const kanaTail = HIRAGANA_ONLY.test(a.script) && k > 0;
        if (!(last && (a.kanjiEnd || kanaTail) && b.script.startsWith(a.script) && HIRAGANA_ONLY.test(b.script.slice(a.script.length)))) return -1;
      }
    }
    const lastSeg = segs[s + part.length - 1];
    return lastSeg.start + lastSeg.surface.length;
  }

  /** The groups (indexes into synonyms.yaml) any member of which occurs in `text`. */
  groupsIn(text: string, segments?: Segment[]): Set<number> {
    return new Set(this.scan(text, segments).map((m) => m.group));
  }

  /**
   * Members of any group found in `text` and the other members of their groups. Each group is
   * expanded once; each member is reported once.
   */
  expand(text: string, segments?: Segment[]): Expansion {
    const matched: string[] = [];
    const groupIds: number[] = [];
    const spans: [number, number][] = [];
    for (const m of this.scan(text, segments)) {
      if (!matched.includes(m.word)) matched.push(m.word);
      if (!groupIds.includes(m.group)) groupIds.push(m.group);
      spans.push([m.start, m.end]);
    }
    const seen = new Set(matched.map((w) => this.foldedKeyOf(w)));
    const groups: string[][] = [];
    for (const g of groupIds) {
      const list: string[] = [];
      for (const w of this.groups[g]) {
        const k = this.foldedKeyOf(w);
        if (!seen.has(k)) {
          seen.add(k);
          list.push(w);
        }
      }
      if (list.length) groups.push(list);
    }
    return { matched, added: groups.flat(), groups, groupIds, spans };
  }
}

/** Whether member token `a` matches text token `b` (see the module comment). */
function sameToken(a: Tok, b: Tok, memberLength: number): boolean {
  if (a.script === b.script) return true;
  if (a.base === b.base && a.base.length > 0 && !a.katakana && !b.katakana) return true;
  if (a.folded !== b.folded && a.base !== b.folded && a.folded !== b.base) return false;
  // same once kana are folded: only when no katakana meets hiragana, or the member is long
  if (a.katakana !== b.katakana) return memberLength >= CROSS_SCRIPT_MIN;
  return true;
}

function katakanaBoundary(s: string, start: number, end: number): boolean {
  const kata = (c: string | undefined) => c !== undefined && /[\u30a1-\u30fa\u30fc]/.test(c);
  if (kata(s[start]) && kata(s[start - 1])) return false;
  if (kata(s[end - 1]) && kata(s[end])) return false;
  return true;
}

function asciiBoundary(s: string, start: number, end: number): boolean {
  const isWord = (c: string | undefined) => c !== undefined && /[a-z0-9]/.test(c);
  return !isWord(s[start - 1]) && !isWord(s[end]);
}
