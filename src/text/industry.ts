/**
 * Reading an everyday industry word (「部品加工」「飲食店」) as a 中小企業基本法 industry group, from the
 * keywords of knowledge/industries.yaml: text analysis shared by search (rank context) and
 * eligibility (classification).
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { IndustryGroup } from '../knowledge/schema.ts';
import { matchKey } from './normalize.ts';

/** How an industry text maps onto the law's groups. */
export interface IndustryMatch {
  group: IndustryGroup;
  /** the group's label as printed (「製造業・建設業・運輸業その他」) */
  label: string;
  smallEnterpriseClass: string;
  /** the keyword of industries.yaml that matched (「飲食」) */
  keyword: string;
  /** 政令特例 industry named by the text (「旅館業」), when one matched */
  special?: string;
}

export type Industries = KnowledgeBase['industries'];

/**
 * Maps an everyday industry word to a 中小企業基本法 group by the longest keyword of
 * knowledge/industries.yaml found in the text (kana/width folded). A group name or label itself also
 * matches. 政令特例 keywords win over group keywords of the same or shorter length.
 * @returns null when no keyword occurs in the text.
 */
export function mapIndustry(industries: Industries, text: string | null | undefined): IndustryMatch | null {
  if (!text) return null;
  let memo = mapMemo.get(industries);
  if (!memo) mapMemo.set(industries, (memo = new Map()));
  if (memo.has(text)) return memo.get(text)!;
  const result = mapIndustryUncached(industries, text);
  if (memo.size > 5000) memo.clear();
  memo.set(text, result);
  return result;
}

/** Results of {@link mapIndustry} per industries file (the file is immutable once loaded). */
const mapMemo = new WeakMap<Industries, Map<string, IndustryMatch | null>>();
/** The industries file's words in matching form, with what each maps to. */
const prepared = new WeakMap<Industries, { key: string; bonus: number; match: IndustryMatch }[]>();

function entries(industries: Industries): { key: string; bonus: number; match: IndustryMatch }[] {
  let list = prepared.get(industries);
  if (list) return list;
  list = [];
  for (const g of industries.groups) {
    for (const k of [...g.keywords, g.group, g.label]) {
      list.push({ key: matchKey(k), bonus: 0, match: { group: g.group, label: g.label, smallEnterpriseClass: g.smallEnterpriseClass, keyword: k } });
    }
  }
  for (const s of industries.special) {
    const g = industries.groups.find((x) => x.group === s.group);
    if (!g) continue;
    for (const k of s.keywords) {
      list.push({ key: matchKey(k), bonus: 0.5, match: { group: g.group, label: g.label, smallEnterpriseClass: g.smallEnterpriseClass, keyword: k, special: s.industry } });
    }
  }
  prepared.set(industries, list);
  return list;
}

function mapIndustryUncached(industries: Industries, text: string): IndustryMatch | null {
  const key = matchKey(text);
  if (!key) return null;
  for (const c of industries.choices) {
    if (c.industry !== text && (matchKey(c.label) === key || matchKey(c.industry) === key)) {
      const m = mapIndustry(industries, c.industry);
      if (m) return m;
    }
  }
  let best: { match: IndustryMatch; len: number } | null = null;
  for (const e of entries(industries)) {
    if (!e.key || !key.includes(e.key)) continue;
    const len = e.key.length + e.bonus;
    if (!best || len > best.len) best = { match: e.match, len };
  }
  return best ? best.match : null;
}

/**
 * Where `folded` (a text folded by matchKey) writes an industry word of knowledge/industries.yaml
 * (「運送業をしています」 → the span of 運送業): [start, end) character offsets, every occurrence of every
 * keyword of two characters or more. The asker's own trade, for search: it says who asks, not what about.
 */
export function industryWordSpans(industries: Industries, folded: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const { key } of entries(industries)) {
    if (key.length < 2) continue;
    for (let i = folded.indexOf(key); i >= 0; i = folded.indexOf(key, i + key.length)) spans.push([i, i + key.length]);
  }
  return spans;
}
