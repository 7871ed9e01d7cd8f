/**
 * What of each record is searchable, grouped by weight: the names (name + aliases), the summary,
 * and the body (target, conditions, key terms, category, purposes, localities, definitions' rows …).
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import { fold, normalize } from '../text/normalize.ts';
import type { KnowledgeRecord } from '../knowledge/schema.ts';

/** The raw text of a record's searchable fields (analysed by src/text/analyzer.ts). */
export interface RecordText {
  names: string[];
  /** everyday words for what the record does (`keywords`), each a value of its own */
  keywords: string[];
  summary: string;
  body: string[];
}

const schemeKeywordsMemo = new WeakMap<object, Map<string, Set<string>>>();

/** Per 事業 id, the keywords its own schemes (records whose `parent` it is) carry, folded (fold ∘ normalize); per catalogue. */
function schemeKeywords(kb: Pick<KnowledgeBase, 'byId'>): Map<string, Set<string>> {
  let m = schemeKeywordsMemo.get(kb.byId);
  if (m) return m;
  m = new Map();
  for (const r of kb.byId.values()) {
    const parent = 'parent' in r ? r.parent : undefined;
    if (!parent || !r.keywords?.length) continue;
    let set = m.get(parent);
    if (!set) m.set(parent, (set = new Set()));
    for (const k of r.keywords) set.add(fold(normalize(k)));
  }
  schemeKeywordsMemo.set(kb.byId, m);
  return m;
}

/**
 * The keywords a record is searched by (the index's kw field and the phrase evidence of
 * src/search/keywords.ts): its own, less those one of its own schemes also carries — such a keyword is
 * the scheme's, and the 事業 is found through it as the scheme's parent, not lifted above it (issue
 * #11, defect 7).
 */
export function searchKeywords(rec: KnowledgeRecord, kb: Pick<KnowledgeBase, 'byId'>): string[] {
  const own = schemeKeywords(kb).get(rec.id);
  return own ? (rec.keywords ?? []).filter((k) => !own.has(fold(normalize(k)))) : (rec.keywords ?? []);
}

/**
 * Searchable text of one record. The parent's name joins the body (a named scheme is found by its
 * 事業's name too).
 */
export function recordText(rec: KnowledgeRecord, kb: Pick<KnowledgeBase, 'byId'>): RecordText {
  const body: (string | undefined)[] = [];
  const parentId = 'parent' in rec ? rec.parent : undefined;
  if (parentId) body.push(kb.byId.get(parentId)?.name);
  switch (rec.kind) {
    case 'program': {
      body.push(rec.category, rec.target, rec.operator, ...(rec.conditions ?? []));
      const el = rec.eligibility;
      if (el) body.push(...(el.purposes ?? []), ...(el.industries ?? []), ...(el.municipalities ?? []), ...(el.applicantTypes ?? []));
      const t = rec.terms;
      if (t) {
        if (t.subsidyRate || t.subsidyCap) body.push('補助率 補助上限');
        if (t.loanLimit || t.loanFrame || t.interestRate) body.push('融資限度額 利率');
        for (const o of t.other ?? []) body.push(o.label, o.text);
      }
      break;
    }
    case 'desk':
      body.push(rec.deskType, rec.municipality, rec.address, ...(rec.purposes ?? []));
      if (rec.phone) body.push('電話番号 連絡先');
      for (const c of rec.covers ?? []) body.push(c.municipality, ...(c.localities ?? []));
      break;
    case 'area':
      for (const l of rec.localities) body.push(l.name, ...(l.aliases ?? []));
      break;
    case 'definition':
      body.push(rec.term, rec.law, rec.body);
      for (const r of rec.rows ?? []) body.push(r.industryGroup, r.text);
      for (const s of rec.specialCases ?? []) body.push(s.industry, s.text);
      for (const row of rec.table ?? []) body.push(...Object.keys(row), ...Object.values(row));
      break;
    case 'measure':
      body.push(rec.level, rec.period, ...(rec.purposes ?? []));
      for (const t of rec.targets ?? []) body.push(t.indicator, t.baseline, t.goal);
      break;
  }
  return { names: [rec.name, ...rec.aliases], keywords: searchKeywords(rec, kb), summary: rec.summary, body: body.filter((x): x is string => Boolean(x)) };
}

/** All searchable text of a record in one string (names, summary, body), e.g. to find printed figures. */
export function recordPrintedText(rec: KnowledgeRecord): string {
  const t = recordText(rec, { byId: new Map() });
  return [...t.names, t.summary, ...t.body].join('\n');
}
