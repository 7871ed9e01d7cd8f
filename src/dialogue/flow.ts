/**
 * The guided dialogue's questions (intents/flow.yaml): which slot comes next, whether a conditional
 * slot applies (`when`), the profile the answers make, and each question's choices labelled with how
 * many programmes would still match (「製造業（該当12件）」).
 */
import type { Choice } from '../core/types.ts';
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Purpose } from '../knowledge/schema.ts';
import { classifyMemoised, type Classification } from '../eligibility/classify.ts';
import { localityNames, needsArea } from '../eligibility/desks.ts';
import { candidateIds, countFieldLimited, countMatches } from '../eligibility/match.ts';
import type { CorporationValue, Headcount, Profile, StageValue } from '../eligibility/profile.ts';
import { defaultEligibilityWording, type EligibilityWording } from '../eligibility/wording.ts';
import { say, wording, type DialogueData, type SlotDef } from './data.ts';
import { affirmed } from './slots.ts';

/** Choice values the engine understands (adapters send them back verbatim). */
export const CHOICE_PREFIX = { slot: 'slot:', intent: 'intent:', detail: 'detail:', change: 'change:' } as const;

/**
 * The profile the current answers describe (an open or missing answer = unknown). `answers._query`
 * (the one-shot message) gives the user's own words (clauses that deny something dropped).
 */
export function profileOf(answers: Record<string, unknown>): Profile {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const emp = answers.employees;
  return {
    industry: str(answers.industry),
    employees: typeof emp === 'number' || (emp && typeof emp === 'object') ? (emp as Headcount) : null,
    capital: typeof answers.capital === 'number' ? answers.capital : null,
    municipality: str(answers.municipality),
    area: str(answers.area),
    purpose: str(answers.purpose) as Purpose | null,
    stage: str(answers.stage) as StageValue | null,
    corporation: str(answers.corporation) as CorporationValue | null,
    fields: Array.isArray(answers.field) ? answers.field.filter((f): f is string => typeof f === 'string') : null,
    words: typeof answers._query === 'string' ? affirmed(answers._query) : null,
  };
}

/** The classification of a profile's business (industry, employees, capital), worded by `w` (memoised: src/eligibility/classify.ts classifyMemoised). */
export function classOf(kb: KnowledgeBase, p: Profile, w: EligibilityWording): Classification {
  return classifyMemoised(kb, { industry: p.industry, employees: p.employees, capital: p.capital }, w);
}

/**
 * Does a conditional slot apply to these answers? (`purposes`: only after one of those purposes; `when`: see flow.yaml)
 * @param w eligibility wording (default: intents/eligibility.yaml, loaded once per process)
 */
export function slotApplies(kb: KnowledgeBase, slot: SlotDef, answers: Record<string, unknown>, w: EligibilityWording = defaultEligibilityWording()): boolean {
  const p = profileOf(answers);
  if (slot.purposes && !(p.purpose && slot.purposes.includes(p.purpose))) return false;
  switch (slot.when) {
    case undefined:
      return true;
    case 'notIndividual':
      return p.corporation !== '個人事業主';
    case 'capitalMatters':
      // the capital can only change the result when the employees do not already make it an SME
      return p.corporation !== '個人事業主' && classifyMemoised(kb, { industry: p.industry, employees: p.employees }, w).sme !== true;
    case 'areaAmbiguous':
      return needsArea(kb, p.municipality);
    case 'fieldLimited':
      // the field decides only when more than one field-limited programme still fits the other answers
      return countFieldLimited(kb, p, classOf(kb, p, w), w) > 1;
    case 'splits':
      return answerSplits(kb, slot, answers, w);
  }
}

/**
 * Could an answer to `slot` change the suggestions? True when two of its choices leave different
 * candidate programmes (current, no condition failed, purpose fitting or not stated): 法人・個人 matters
 * for 資金調達 (経営者保証免除促進資金 is for 法人) and 創業時期 for 創業, not for most other purposes.
 */
export function answerSplits(kb: KnowledgeBase, slot: SlotDef, answers: Record<string, unknown>, w: EligibilityWording = defaultEligibilityWording()): boolean {
  const choices = ownChoices(slot);
  let first: string | null = null;
  for (const c of choices) {
    const p = profileOf({ ...answers, [slot.name]: c.value });
    const ids = candidateIds(kb, p, classOf(kb, p, w), w).join('\n');
    if (first === null) first = ids;
    else if (ids !== first) return true;
  }
  return false;
}

/** The next slot to ask: the first in flow order not yet answered (an open answer counts) that applies. */
export function nextSlot(kb: KnowledgeBase, data: DialogueData, answers: Record<string, unknown>): SlotDef | null {
  for (const slot of data.flow.slots) {
    if (slot.name in answers) continue;
    if (slotApplies(kb, slot, answers, data.eligibility)) return slot;
  }
  return null;
}

/** The slot definition by name. */
export function slotDef(data: DialogueData, name: string | null | undefined): SlotDef | undefined {
  return name ? data.flow.slots.find((s) => s.name === name) : undefined;
}

/** Labels and answer texts of a slot's choices (before counting). */
function rawChoices(kb: KnowledgeBase, slot: SlotDef, answers: Record<string, unknown>, w: EligibilityWording): { label: string; answer: string; value: unknown }[] {
  switch (slot.choicesFrom) {
    case 'industries':
      return kb.industries.choices.map((c) => ({ label: c.label, answer: c.label, value: c.industry }));
    case 'areas':
      return kb.areas.map((a) => ({ label: a.name, answer: a.name, value: a.name }));
    case 'localities': {
      const m = typeof answers.municipality === 'string' ? answers.municipality : '';
      return localityNames(kb, m).map((n) => ({ label: n, answer: n, value: n }));
    }
    case 'fields':
      return [...fieldChoices(kb, answers, slot.name, w), ...ownChoices(slot)];
    default:
      return ownChoices(slot);
  }
}

function ownChoices(slot: SlotDef): { label: string; answer: string; value: unknown }[] {
  return (slot.choices ?? []).map((c) => ({ label: c.label, answer: c.label, value: c.value === undefined ? c.label : c.value }));
}

/** The fields of knowledge/fields.yaml whose answer would add a programme to the result. */
function fieldChoices(kb: KnowledgeBase, answers: Record<string, unknown>, name: string, w: EligibilityWording): { label: string; answer: string; value: unknown }[] {
  const count = (field: string[]) => {
    const p = profileOf({ ...answers, [name]: field });
    return countMatches(kb, p, classOf(kb, p, w), w);
  };
  const none = count([]);
  return kb.fields.fields.filter((f) => count([f.label]) > none).map((f) => ({ label: f.label, answer: f.label, value: [f.label] }));
}

/**
 * The buttons of a question: each choice labelled with the number of current programmes that would
 * still match after picking it — only when those numbers differ (`display` is then the bare choice,
 * shown as the user's own line) — then 「わからない」 and (when there is a previous question) 「戻る」.
 * Values are `slot:<name>:<label>` / `intent:back`.
 */
export function questionChoices(kb: KnowledgeBase, data: DialogueData, slot: SlotDef, answers: Record<string, unknown>, canGoBack: boolean): Choice[] {
  const out: Choice[] = [];
  const raw = rawChoices(kb, slot, answers, data.eligibility);
  const counts = raw.map((c) => {
    const p = profileOf({ ...answers, [slot.name]: c.value });
    return countMatches(kb, p, classOf(kb, p, data.eligibility), data.eligibility);
  });
  // a count helps only when the choices differ; the user's own chat line shows the bare choice
  const differ = counts.some((n) => n !== counts[0]);
  raw.forEach((c, i) => {
    const value = `${CHOICE_PREFIX.slot}${slot.name}:${c.answer}`;
    const label = differ ? (say(data, 'countLabel', { label: c.label, count: counts[i] }) ?? c.label) : c.label;
    out.push(label === c.label ? { label, value } : { label, value, display: c.label });
  });
  const unknown = wording(data, 'unknownChoice');
  out.push({ label: unknown, value: `${CHOICE_PREFIX.slot}${slot.name}:${unknown}` });
  if (canGoBack) out.push({ label: wording(data, 'backChoice'), value: `${CHOICE_PREFIX.intent}back` });
  return out;
}

/** The question text of a slot, with {municipality} etc. filled from the answers. */
export function questionText(slot: SlotDef, answers: Record<string, unknown>): string {
  const vars = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' ? v : null]));
  return fillQuestion(slot.question, vars);
}

function fillQuestion(q: string, vars: Record<string, string | number | null>): string {
  return q.replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] === null || vars[k] === undefined ? '' : String(vars[k])));
}
