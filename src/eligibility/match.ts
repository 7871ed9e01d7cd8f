/**
 * Programme matching: which programmes fit a business profile, and why. Each structured
 * `eligibility` field of a Program (schema.ts) is a filter; a field absent from the record, or a
 * profile value still unknown, filters nothing. Only `status: current` programmes are suggested.
 * A programme limited to 技術・産業分野 (`eligibility.fields`) is suggested only to a business of
 * one of those fields; while the field is unknown it fails that condition (a close miss).
 * Ranking, as a 相談員 recommends: purpose fit first (the dialogue's purpose against
 * `eligibility.purposes`); then fit — each stated condition the business is confirmed to meet
 * (size, 従業員 range, industry, applicant type, field, area, situation; {@link FIT_WEIGHT}) ranks a
 * programme above one that only shares the purpose, and a generic one (no condition besides the
 * purpose) comes after; then the relevance of the user's own words (search score) and the category.
 * The sentences (why it fits, what excluded it) are the templates of intents/eligibility.yaml
 * (src/eligibility/wording.ts); this file only chooses one and fills it.
 */
import { CatalogueMemo } from './memo.ts';
import { localDesks } from './desks.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { isDatasetRef, type Program } from '../knowledge/schema.ts';
import { matchKey } from '../text/normalize.ts';
import type { Classification } from './classify.ts';
import { mapIndustry } from '../text/industry.ts';
import { fieldFits } from './fields.ts';
import { situationDeclared, situationsOf } from './situations.ts';
import { formatHeadcount, formatYen, headcountBounds, type Profile } from './profile.ts';
import { phrase } from '../search/wording.ts';
import { defaultEligibilityWording, type EligibilityWording } from './wording.ts';

/** Outcome of one condition: true = satisfied, false = excludes, null = cannot tell (no filter). */
export interface CheckResult {
  field: string;
  ok: boolean | null;
  /** why it fits, or the condition that excluded it (intents/eligibility.yaml `checks`) */
  text: string;
}

/** A matching programme with the reasons it fits. */
export interface ProgramMatch {
  program: Program;
  score: number;
  /** conditions confirmed (ok === true), worded by intents/eligibility.yaml */
  reasons: string[];
}

/** A close miss: a programme excluded by exactly one condition (its purpose fits or is unknown). */
export interface ProgramMiss {
  program: Program;
  /** the condition that excluded it, worded by intents/eligibility.yaml */
  excludedBy: string;
  field: string;
}

/** The sentence of a condition's outcome: `fits` (true), `open` (null) or `excluded` (false). */
function outcome(t: { fits: string; open: string; excluded: string }, ok: boolean | null, vars: Record<string, string>): string {
  return phrase(ok === true ? t.fits : ok === false ? t.excluded : t.open, vars);
}

/** Stands in for {@link phrase} / {@link outcome} when only the outcomes are wanted (counting buttons). */
const noText = (): string => '';

const stem = (s: string) => matchKey(s).replace(/[（(][^）)]*[）)]/g, '').replace(/(業|店|者|等)+$/, '');

/** Does the user's industry satisfy a programme's `industries` list? */
function industryCheck(kb: KnowledgeBase, p: Profile, wanted: string[], w: EligibilityWording, withText: boolean): CheckResult {
  const field = 'industries';
  const say = withText ? phrase : noText;
  const t = w.checks.industries;
  const vars = { industries: wanted.join('、') };
  if (!p.industry) return { field, ok: null, text: say(t.open, vars) };
  const user = matchKey(p.industry);
  const userStem = stem(p.industry);
  if (wanted.some((w) => stem(w) && (user.includes(stem(w)) || (userStem.length > 1 && stem(w).includes(userStem))))) {
    return { field, ok: true, text: say(t.fits, vars) };
  }
  // the user's industry names a specific choice (「建設会社」→ 建設業) that is not in the list → excluded
  const choice = kb.industries.choices.find((c) => [c.label, c.industry].some((x) => stem(x).length > 1 && user.includes(stem(x))));
  if (choice) return { field, ok: false, text: say(t.excluded, vars) };
  const group = mapIndustry(kb.industries, p.industry)?.group;
  if (group && !wanted.some((w) => mapIndustry(kb.industries, w)?.group === group)) {
    return { field, ok: false, text: say(t.excluded, vars) };
  }
  return { field, ok: null, text: say(t.unsure, vars) };
}

/**
 * Evaluates every eligibility condition of `program` against the profile and its classification.
 * Purpose is included as field `purposes`.
 * @param w the sentences (default: intents/eligibility.yaml, loaded once per process)
 * @param withText false: each result's `text` is '' (only `ok` is needed)
 */
export function checkProgram(kb: KnowledgeBase, program: Program, p: Profile, cls: Classification, w: EligibilityWording = defaultEligibilityWording(), withText = true): CheckResult[] {
  // counting a question's buttons needs only the outcomes: the sentences are skipped (text '')
  const say = withText ? phrase : noText;
  const sayOutcome = withText ? outcome : noText;
  const e = program.eligibility;
  const c = w.checks;
  const out: CheckResult[] = [];
  if (!e) {
    // a scheme without conditions of its own still carries its 事業's situation (企業立地 …)
    for (const sc of situationsOf(kb, program)) {
      const ok = situationDeclared(sc.situation, p);
      out.push({ field: 'situations', ok, text: say(ok ? c.situations.fits : c.situations.excluded, { condition: sc.situation?.condition ?? sc.label, text: sc.text }) });
    }
    return out;
  }
  if (e.size && e.size !== 'any') {
    const v = e.size === 'sme' ? cls.sme : cls.smallEnterprise;
    out.push({ field: 'size', ok: v, text: sayOutcome(c.size, v, { size: w.labels.sizes[e.size] }) });
  }
  if (e.stages?.length) {
    const stages = e.stages.map((s) => w.labels.stages[s]).join('・');
    const ok = p.stage ? e.stages.includes(p.stage) : null;
    out.push({ field: 'stages', ok, text: sayOutcome(c.stages, ok, { stages }) });
  }
  if (e.applicantTypes?.length) {
    const types = e.applicantTypes;
    const list = types.join('・');
    let ok: boolean | null;
    if (types.includes('共同体')) ok = p.corporation ? true : null; // a business can join a group
    else if (!types.some((t) => t === '法人' || t === '個人事業主' || t === '個人')) ok = false; // 組合 only
    else if (!p.corporation) ok = null;
    else ok = types.includes(p.corporation) || (p.corporation === '個人事業主' && types.includes('個人'));
    const groupNote = types.includes('共同体') ? c.applicantTypes.groupNote : '';
    out.push({ field: 'applicantTypes', ok, text: sayOutcome(c.applicantTypes, ok, { types: list, groupNote }) });
  }
  if (e.employees?.length) {
    const { min, max } = headcountBounds(p.employees);
    const group = mapIndustry(kb.industries, p.industry)?.group;
    const ranges = e.employees.filter((r) => !r.industryGroups || !group || r.industryGroups.includes(group));
    const applicable = group ? ranges.filter((r) => r.industryGroups?.includes(group)) : [];
    const use = applicable.length ? applicable : ranges.filter((r) => !r.industryGroups);
    const texts = e.employees.map((r) => r.text).join('、');
    let ok: boolean | null = null;
    if (min !== null && use.length) {
      const fits = (r: (typeof use)[number]) => (r.min === undefined || (max ?? Infinity) >= r.min) && (r.max === undefined || min <= r.max);
      const sure = (r: (typeof use)[number]) => (r.min === undefined || min >= r.min) && (r.max === undefined || (max !== null && max <= r.max));
      ok = use.some(sure) ? true : use.some(fits) ? null : false;
    }
    const employees = p.employees !== null && p.employees !== undefined ? formatHeadcount(p.employees) : '';
    out.push({ field: 'employees', ok, text: sayOutcome(c.employees, ok, { ranges: texts, employees }) });
  }
  if (e.industries?.length) out.push(industryCheck(kb, p, e.industries, w, withText));
  if (e.industryGroups?.length) {
    const g = mapIndustry(kb.industries, p.industry)?.group ?? null;
    const ok = g ? e.industryGroups.includes(g) : null;
    out.push({ field: 'industryGroups', ok, text: sayOutcome(c.industryGroups, ok, { groups: e.industryGroups.join('・') }) });
  }
  if (e.municipalities?.length) {
    const ok = p.municipality ? e.municipalities.some((m) => m === p.municipality || /県内|山口県/.test(m)) : null;
    out.push({ field: 'municipalities', ok, text: sayOutcome(c.municipalities, ok, { municipalities: e.municipalities.join('・') }) });
  }
  if (e.continuingOnly) {
    out.push({ field: 'continuingOnly', ok: false, text: say(c.continuingOnly.excluded, { text: e.continuingOnly.text }) });
  }
  if (e.servedBy?.length && p.municipality) {
    // a chamber's own services are for the businesses of its district (管内)
    const local = localDesks(kb, p.municipality, p.area);
    const desks = e.servedBy.map((id) => kb.byId.get(id)?.name ?? id).join('・');
    const ok = local.decided ? e.servedBy.includes(local.decided.id) : local.desks.some((d) => e.servedBy!.includes(d.id)) ? null : false;
    const text =
      ok === false && local.decided
        ? say(c.servedBy.excludedDistrict, { desks, place: p.area ?? p.municipality, desk: local.decided.name })
        : sayOutcome(c.servedBy, ok, { desks });
    out.push({ field: 'servedBy', ok, text });
  }
  if (e.capitalMax?.yen !== undefined) {
    const ok = typeof p.capital === 'number' ? p.capital <= e.capitalMax.yen : null;
    out.push({ field: 'capital', ok, text: sayOutcome(c.capital, ok, { limit: e.capitalMax.text, capital: ok === false ? formatYen(p.capital as number) : '' }) });
  }
  if (e.fields?.length) {
    const ok = fieldFits(kb, p, e.fields);
    out.push({ field: 'fields', ok, text: sayOutcome(c.fields, ok, { fields: e.fields.join('、') }) });
  }
  for (const sc of situationsOf(kb, program)) {
    const ok = situationDeclared(sc.situation, p);
    const vars = { condition: sc.situation?.condition ?? sc.label, text: sc.text };
    out.push({ field: 'situations', ok, text: say(ok ? c.situations.fits : c.situations.excluded, vars) });
  }
  if (p.purpose && e.purposes?.length) {
    const ok = e.purposes.includes(p.purpose);
    out.push({ field: 'purposes', ok, text: ok ? say(c.purposes.fits, { purpose: p.purpose }) : say(c.purposes.excluded, { purposes: e.purposes.join('・') }) });
  }
  return out;
}

/**
 * Rank points per condition the business is confirmed to meet (CheckResult.field). A condition that
 * singles out the business (its size, headcount, industry, field, situation) counts more than a
 * broad one (法人・個人, 創業段階). `smallEnterprise` is the `size` weight of a programme for 小規模企業者.
 */
export const FIT_WEIGHT: Readonly<Record<string, number>> = {
  size: 2,
  // a programme for 小規模企業者 — a subset of the 中小企業者 (中小企業基本法 第2条第5項) — singles the
  // business out more than one for every 中小企業者
  smallEnterprise: 3,
  employees: 2,
  industries: 2,
  industryGroups: 1.5,
  fields: 2,
  situations: 2,
  applicantTypes: 1,
  municipalities: 1.5,
  servedBy: 1.5,
  capital: 1,
  stages: 1,
};
/** Rank points taken from a generic programme (no stated condition besides the purpose). */
export const GENERIC_PENALTY = 1;

/** A programme whose purpose differs still counts as a close miss when the user's own words match it this well (0‥1). */
export const MISS_BOOST = 0.3;

/** Options of {@link matchPrograms}. */
export interface MatchOptions {
  /** extra relevance per programme id (0‥1, e.g. normalised search scores of the user's own words) */
  boost?: Map<string, number>;
  /**
   * groups of people some programmes are for (移住者, 女性 …): `declared` when the user's own words
   * named the group. A programme naming an undeclared group ranks low and says so; a declared one ranks up.
   */
  groups?: { label: string; words: string[]; declared: boolean }[];
  /** rank bonus per programme category (0‥1; what a business can use directly ranks first) */
  categoryWeight?: Record<string, number>;
  /** the sentences (default: intents/eligibility.yaml, loaded once per process) */
  wording?: EligibilityWording;
}

/** The target groups a programme's name, target or conditions name. */
export function programGroups(program: Program, groups: NonNullable<MatchOptions['groups']>): NonNullable<MatchOptions['groups']> {
  const text = matchKey([program.name, program.target ?? '', ...(program.conditions ?? [])].join(' '));
  return groups.filter((g) => g.words.some((w) => matchKey(w) && text.includes(matchKey(w))));
}

/**
 * Whether a programme takes part in the diagnosis: status current, its reception period (when the
 * source gives one) not ended by `now`, not a special measure for a disaster (`disasters`), and — for a programme imported from an open dataset
 * (ミラサポplus) — a purpose stated by the dataset's categories (the diagnosis is led by purpose; an
 * uncategorised national record is found by search instead).
 */
export function inDiagnosis(program: Program, now = new Date()): boolean {
  if (program.status !== 'current') return false;
  if (program.reception?.end && program.reception.end < now.toISOString().slice(0, 10)) return false;
  if (program.disasters?.length) return false; // a special measure for those a disaster hit
  return !isDatasetRef(program.source) || !!program.eligibility?.purposes?.length;
}

/** The programmes {@link inDiagnosis} on one day, per catalogue (a loaded KnowledgeBase never changes). */
const diagnosisMemo = new WeakMap<KnowledgeBase, { day: string; programs: Program[] }>();

/**
 * The programmes of `kb` taking part in the diagnosis today ({@link inDiagnosis}), in catalogue
 * order: worked out once per catalogue and day, not per programme and question (a diagnosis counts
 * the matches of every choice it offers).
 */
export function diagnosisPrograms(kb: KnowledgeBase, now = new Date()): readonly Program[] {
  const day = now.toISOString().slice(0, 10);
  let m = diagnosisMemo.get(kb);
  if (!m || m.day !== day) diagnosisMemo.set(kb, (m = { day, programs: kb.programs.filter((p) => inDiagnosis(p, now)) }));
  return m.programs;
}

/**
 * Filters and ranks the current programmes for a profile.
 * @returns `matches` best first (no condition failed) and `misses` (exactly one condition other than
 * the purpose failed; the purpose fits, is unknown, or the user's words match it ≥ {@link MISS_BOOST}),
 * misses with a fitting purpose first.
 */
export function matchPrograms(kb: KnowledgeBase, p: Profile, cls: Classification, opts: MatchOptions = {}): { matches: ProgramMatch[]; misses: ProgramMiss[] } {
  const matches: ProgramMatch[] = [];
  const misses: (ProgramMiss & { rank: number })[] = [];
  const w = opts.wording ?? defaultEligibilityWording();
  for (const program of diagnosisPrograms(kb)) {
    const checks = checkProgram(kb, program, p, cls, w);
    const failed = checks.filter((c) => c.ok === false);
    const purpose = checks.find((c) => c.field === 'purposes');
    const boost = opts.boost?.get(program.id) ?? 0;
    if (failed.length === 0) {
      const conditions = checks.filter((c) => c.field !== 'purposes');
      const weightOf = (field: string) => (field === 'size' && program.eligibility?.size === 'smallEnterprise' ? FIT_WEIGHT.smallEnterprise : (FIT_WEIGHT[field] ?? 1));
      const fit = conditions.reduce((sum, c) => sum + (c.ok === true ? weightOf(c.field) : 0), 0);
      const purposes = program.eligibility?.purposes?.length ?? 0;
      let score = fit + 4 * boost;
      if (!conditions.length) score -= GENERIC_PENALTY;
      if (purpose?.ok) score += 10 + 3 / purposes;
      else if (p.purpose && !purposes) score -= 2; // silent about purpose: kept, ranked low
      if (program.parent) score += 0.5; // a named scheme is more actionable than its 事業
      const reasons = checks.filter((c) => c.ok === true).map((c) => c.text);
      score += 1.5 * (opts.categoryWeight?.[program.category] ?? 0);
      for (const g of programGroups(program, opts.groups ?? [])) {
        if (g.declared) {
          score += 3;
          reasons.push(phrase(w.checks.targetGroup.declared, { group: g.label }));
        } else {
          score -= 8;
          reasons.push(phrase(w.checks.targetGroup.undeclared, { group: g.label }));
        }
      }
      matches.push({ program, score, reasons });
    } else if (failed.length === 1 && failed[0].field !== 'purposes' && (purpose?.ok !== false || boost >= MISS_BOOST)) {
      misses.push({ program, excludedBy: failed[0].text, field: failed[0].field, rank: (purpose?.ok ? 10 : 0) + 4 * boost });
    }
  }
  matches.sort((a, b) => b.score - a.score || a.program.name.localeCompare(b.program.name, 'ja'));
  misses.sort((a, b) => b.rank - a.rank || a.program.name.localeCompare(b.program.name, 'ja'));
  return { matches: uniqueByName(matches), misses: uniqueByName(misses).map(({ rank: _rank, ...m }) => m) };
}

/** Keeps the first of records printed under the same name in several sources (000 and 001). */
function uniqueByName<T extends { program: Program }>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = matchKey(x.program.name);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Number of current field-limited programmes (`eligibility.fields`) that fail no condition other
 * than the field: how many the answer to 「どの分野ですか？」 can still decide.
 */
export function countFieldLimited(kb: KnowledgeBase, p: Profile, cls: Classification, w: EligibilityWording = defaultEligibilityWording()): number {
  let n = 0;
  for (const program of diagnosisPrograms(kb)) {
    if (!program.eligibility?.fields?.length) continue;
    if (!checkProgram(kb, program, p, cls, w, false).some((c) => c.ok === false && c.field !== 'fields')) n++;
  }
  return n;
}

/** Number of programmes still matching a profile (for choice labels 「製造業（該当12件）」). */
export function countMatches(kb: KnowledgeBase, p: Profile, cls: Classification, w: EligibilityWording = defaultEligibilityWording()): number {
  return memoised(countMemo, kb, p, () => {
    let n = 0;
    for (const program of diagnosisPrograms(kb)) {
      if (!checkProgram(kb, program, p, cls, w, false).some((c) => c.ok === false)) n++;
    }
    return n;
  });
}

/**
 * Results of {@link countMatches} / {@link candidateIds} per catalogue (a loaded KnowledgeBase never
 * changes; a reload is a new object) and profile: every question's buttons count the programmes left
 * for each choice, ≈1,300 programmes × ≈15 choices, and most users share the first answers.
 * The classification follows from the profile and the catalogue; the day is part of the key because
 * a reception period can end. At most {@link MEMO_SIZE} profiles per catalogue.
 */
const MEMO_SIZE = 2000;
/** Longest profile key memoised (a long one-shot message in `words` is computed each time). */
const MEMO_KEY_MAX = 600;
const countMemo = new CatalogueMemo<number>(MEMO_SIZE, MEMO_KEY_MAX);
const candidatesMemo = new CatalogueMemo<string[]>(MEMO_SIZE, MEMO_KEY_MAX);

function memoised<T extends {}>(memo: CatalogueMemo<T>, kb: KnowledgeBase, p: Profile, compute: () => T): T {
  return memo.get(kb, `${new Date().toISOString().slice(0, 10)}|${profileKey(p)}`, compute);
}

/** A profile as a stable string: every field it sets, in name order (a field added to Profile is keyed too). */
function profileKey(p: Profile): string {
  return JSON.stringify(Object.entries(p).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Ids of the current programmes a profile leaves as candidates: no condition failed, and the purpose
 * fits or the programme does not state one. Sorted; for telling whether an answer changes anything.
 */
export function candidateIds(kb: KnowledgeBase, p: Profile, cls: Classification, w: EligibilityWording = defaultEligibilityWording()): string[] {
  return [...memoised(candidatesMemo, kb, p, () => {
    const ids: string[] = [];
    for (const program of kb.programs) {
      if (program.status !== 'current') continue;
      if (!checkProgram(kb, program, p, cls, w, false).some((c) => c.ok === false)) ids.push(program.id);
    }
    return ids.sort();
  })];
}
