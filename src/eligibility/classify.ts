/**
 * Classification of a business under the 中小企業基本法 (中小企業者 `sme` / 小規模企業者
 * `smallEnterprise`), from data only: the thresholds are the `rows` of the definition records in
 * knowledge/definitions.yaml (term `sme` / `smallEnterprise`, source 001 L3157-3198), the industry
 * group comes from the keywords of knowledge/industries.yaml. The law's rule is 「○人以下又は○円以下」:
 * either the employees or the capital within the limit is enough. 小規模企業者 depends on employees only.
 * The sentences of `reasons` are the templates of intents/eligibility.yaml `classify`.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Definition } from '../knowledge/schema.ts';
import { formatSourceRef } from '../knowledge/schema.ts';
import { matchKey } from '../text/normalize.ts';
import { mapIndustry, type IndustryMatch } from '../text/industry.ts';
import { formatHeadcount, formatYen, headcountBounds, type Headcount } from './profile.ts';
import { phrase } from '../search/wording.ts';
import { defaultEligibilityWording, type EligibilityWording } from './wording.ts';
import { CatalogueMemo } from './memo.ts';

/** The 中小企業基本法 name used as `basis` and to pick the definition records. */
export const BASIS_LAW = '中小企業基本法';

/** Result of {@link classify}. `null` = cannot be decided from what is known. */
export interface Classification {
  sme: boolean | null;
  smallEnterprise: boolean | null;
  industryGroup: string | null;
  basis: string;
  /** sentences explaining each step, citing the source lines (intents/eligibility.yaml `classify`) */
  reasons: string[];
  /** the reasons comparing the business with a limit (employees, capital, 小規模企業者), in order */
  criteria: string[];
  /** the reasons about a 政令特例 of another law (not affecting the result) */
  notes: string[];
}

/** Input of {@link classify}: industry text (or group), 従業員 (人), 資本金 (円). */
export interface ClassifyInput {
  industry?: string | null;
  employees?: Headcount | null;
  capital?: number | null;
}

/** Normalised label for comparing printed group names: no spaces, no parenthetical, no trailing 等. */
function labelKey(s: string): string {
  return matchKey(s).replace(/[（(][^）)]*[）)]/g, '');
}

/** Whether a definition row's printed group (「製造業・建設業等」「小売業（飲食店を含む）」) names `names`. */
export function sameGroup(rowGroup: string, ...names: string[]): boolean {
  const a = labelKey(rowGroup);
  const head = (s: string) => s.split(/[・、]/)[0].replace(/(その他|等)$/, '');
  return names.some((n) => {
    const b = labelKey(n);
    if (!a || !b) return false;
    return a === b || a.includes(b) || b.includes(a) || head(a) === head(b);
  });
}

/** The row naming the first of `names` that any row names (exact label first, then {@link sameGroup}). */
export function findRow<R extends { industryGroup: string }>(rows: R[] | undefined, ...names: string[]): R | undefined {
  for (const n of names) {
    const exact = rows?.find((r) => labelKey(r.industryGroup) === labelKey(n));
    if (exact) return exact;
  }
  for (const n of names) {
    const fuzzy = rows?.find((r) => sameGroup(r.industryGroup, n));
    if (fuzzy) return fuzzy;
  }
  return undefined;
}

/** The definition record of `term` under the 中小企業基本法 (else the first of that term). */
export function findDefinition(kb: KnowledgeBase, term: string): Definition | undefined {
  const defs = kb.definitions.filter((d) => d.term === term && d.rows?.length);
  return defs.find((d) => (d.law ?? d.name).includes(BASIS_LAW)) ?? defs[0];
}

function cite(d: Definition): string {
  return formatSourceRef(d.source);
}

/** within / over / unknown for a headcount against a limit (人). */
function compareHeads(h: Headcount | null | undefined, limit: number): boolean | null {
  const { min, max } = headcountBounds(h);
  if (max !== null && max <= limit) return true;
  if (min !== null && min > limit) return false;
  return null;
}

interface Limits {
  employeesMax: number;
  capitalYen: number | null;
  capitalText: string | null;
  text: string;
}

function judgeSme(limits: Limits, input: ClassifyInput, w: EligibilityWording['classify']): { sme: boolean | null; why: string[] } {
  const why: string[] = [];
  const byHeads = compareHeads(input.employees, limits.employeesMax);
  if (input.employees !== null && input.employees !== undefined) {
    const t = byHeads === true ? w.employees.within : byHeads === false ? w.employees.over : w.employees.straddles;
    why.push(phrase(t, { employees: formatHeadcount(input.employees), limit: limits.employeesMax }));
  }
  let byCapital: boolean | null = null;
  if (typeof input.capital === 'number' && limits.capitalYen !== null) {
    byCapital = input.capital <= limits.capitalYen;
    why.push(phrase(byCapital ? w.capital.within : w.capital.over, { capital: formatYen(input.capital), limit: limits.capitalText ?? formatYen(limits.capitalYen) }));
  } else if (input.capital === null || input.capital === undefined) {
    if (byHeads !== true) why.push(w.capitalUnknown);
  }
  // 「又は」: either criterion within the limit is enough; an unknown capital (個人事業) leaves employees alone
  const sme = byHeads === true || byCapital === true ? true : byHeads === false ? false : null;
  return { sme, why };
}

/**
 * Classifies a business under the 中小企業基本法.
 * Rule (001 L3160): 中小企業者 = 従業員 ≤ employeesMax 又は 資本金 ≤ capitalMax of its group's row;
 * (001 L3198): 小規模企業者 = 従業員 ≤ the row of its 小規模企業者 class (製造業・建設業等 20人, 商業・サービス業 5人).
 * When the industry is unknown, every group is tried and a result is given only where all agree.
 * A 政令特例 of another law (団体法 …) for the named industry is reported in `reasons`; it changes the
 * result only if the 基本法 definition itself lists it in `specialCases`.
 * Never throws once the wording is loaded; missing data gives `null` with a reason.
 * @param wording the sentences (default: intents/eligibility.yaml, loaded once per process)
 */
export function classify(kb: KnowledgeBase, input: ClassifyInput, wording: EligibilityWording = defaultEligibilityWording()): Classification {
  const w = wording.classify;
  const smeDef = findDefinition(kb, 'sme');
  const smallDef = findDefinition(kb, 'smallEnterprise');
  const basis = smeDef?.law && smeDef.law.includes(BASIS_LAW) ? BASIS_LAW : BASIS_LAW;
  const reasons: string[] = [];
  const criteria: string[] = [];
  if (!smeDef) {
    return { sme: null, smallEnterprise: null, industryGroup: null, basis, reasons: [w.noDefinition], criteria, notes: [] };
  }
  const match = mapIndustry(kb.industries, input.industry);
  if (input.industry && match) {
    reasons.push(phrase(w.industryGroup, { industry: input.industry, law: BASIS_LAW, group: match.label, keyword: match.keyword }));
  } else if (input.industry) {
    reasons.push(phrase(w.industryUnknown, { industry: input.industry }));
  }
  const groups = match ? kb.industries.groups.filter((g) => g.group === match.group) : kb.industries.groups;
  const smeResults: (boolean | null)[] = [];
  const smallResults: (boolean | null)[] = [];
  for (const g of groups) {
    const row = findRow(smeDef.rows, g.group, g.label);
    if (!row) {
      smeResults.push(null);
      continue;
    }
    let limits: Limits = { employeesMax: row.employeesMax, capitalYen: row.capitalMax?.yen ?? null, capitalText: row.capitalMax?.text ?? null, text: row.text };
    const own = match?.special ? smeDef.specialCases?.find((s) => sameIndustry(s.industry, match)) : undefined;
    if (own) {
      limits = { employeesMax: own.employeesMax, capitalYen: own.capitalMax?.yen ?? null, capitalText: own.capitalMax?.text ?? null, text: own.text };
      reasons.push(phrase(w.specialCase, { industry: own.industry, rule: own.text, cite: cite(smeDef) }));
    }
    const { sme, why } = judgeSme(limits, input, w);
    smeResults.push(sme);
    if (match) {
      reasons.push(phrase(w.smeRule, { group: row.industryGroup, rule: limits.text, cite: cite(smeDef) }));
      reasons.push(...why);
      criteria.push(...why);
    }
    const smallRow = findRow(smallDef?.rows, g.group, g.smallEnterpriseClass);
    if (smallRow && smallDef) {
      const small = sme === false ? false : compareHeads(input.employees, smallRow.employeesMax);
      smallResults.push(small);
      if (match) {
        const t = small === true ? w.smallEnterprise.fits : small === false ? w.smallEnterprise.notFits : w.smallEnterprise.unknown;
        const line = phrase(t, { group: smallRow.industryGroup, rule: smallRow.text, cite: cite(smallDef) });
        reasons.push(line);
        criteria.push(line);
      }
    } else smallResults.push(null);
  }
  const agree = (xs: (boolean | null)[]) => (xs.length && xs.every((x) => x === xs[0]) ? xs[0] : null);
  const sme = agree(smeResults);
  const smallEnterprise = sme === false ? false : agree(smallResults);
  const verdict = match ? w.verdict : w.verdictAnyGroup;
  reasons.push(sme === true ? verdict.sme : sme === false ? verdict.notSme : verdict.unknown);
  const notes = match ? specialNotes(kb, match, input, smeDef, w) : [];
  reasons.push(...notes);
  return { sme, smallEnterprise, industryGroup: match?.group ?? null, basis, reasons, criteria, notes };
}

function sameIndustry(name: string, match: IndustryMatch): boolean {
  const a = labelKey(name).replace(/業$/, '');
  const b = labelKey(match.special ?? '').replace(/業$/, '');
  return (a.length > 0 && b.length > 0 && (a.includes(b) || b.includes(a))) || a.includes(matchKey(match.keyword));
}

/** 政令特例 of other laws (団体法, 小規模企業共済法 …) for the matched special industry, as reasons. */
function specialNotes(kb: KnowledgeBase, match: IndustryMatch, input: ClassifyInput, basisDef: Definition, w: EligibilityWording['classify']): string[] {
  if (!match.special) return [];
  const out: string[] = [];
  for (const d of kb.definitions) {
    if (d === basisDef || !d.specialCases) continue;
    for (const s of d.specialCases) {
      if (!sameIndustry(s.industry, match)) continue;
      const law = d.law ?? d.name;
      const heads = compareHeads(input.employees, s.employeesMax);
      const cap = typeof input.capital === 'number' && s.capitalMax?.yen !== undefined ? input.capital <= s.capitalMax.yen : null;
      const within = heads === true || cap === true;
      const termNote = d.term === 'smallEnterprise' ? w.termNote : '';
      out.push(phrase(w.specialNote, { law, industry: s.industry, rule: s.text, termNote, withinNote: within ? w.withinNote : '', cite: cite(d), basis: BASIS_LAW }));
    }
  }
  return out;
}

/** Classifications kept per catalogue and wording (callers read them, never change them). */
const classifyMemo = new CatalogueMemo<Classification>(1000, 200);

/**
 * {@link classify}, computed once per business (industry, employees, capital), catalogue and wording:
 * every question's buttons of the guided diagnosis classify the same business again for each choice.
 * At most 1,000 businesses per catalogue; an industry typed as a long text is classified each time.
 */
export function classifyMemoised(kb: KnowledgeBase, input: ClassifyInput, wording: EligibilityWording = defaultEligibilityWording()): Classification {
  return classifyMemo.get(kb, JSON.stringify([input.industry, input.employees, input.capital]), () => classify(kb, input, wording), wording);
}
