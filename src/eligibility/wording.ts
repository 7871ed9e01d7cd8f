/**
 * Wording of the eligibility reasons, from intents/eligibility.yaml (validated with zod): the
 * sentence of each programme condition (match.ts) and of each classification step (classify.ts).
 * Every template may use only the placeholders its field names; any other is a load error located
 * as file:line:column. The dialogue loads the file with its other intents files (src/dialogue/data.ts,
 * so a live reload picks up edits); callers without one use {@link defaultEligibilityWording}.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readYamlOrThrow } from '../knowledge/load.ts';
import { intentsDir } from '../search/wording.ts';

/** A template whose `{placeholders}` are all among `names`. */
function tpl(...names: string[]) {
  return z
    .string()
    .min(1)
    .superRefine((s, ctx) => {
      for (const m of s.matchAll(/\{(\w+)\}/g)) {
        if (!names.includes(m[1])) ctx.addIssue({ code: 'custom', message: `unknown placeholder {${m[1]}} (allowed: ${names.map((n) => `{${n}}`).join(' ') || 'none'})` });
      }
    });
}

/** fits / open / excluded sentences of one condition, all with the same placeholders. */
const check = (...names: string[]) => ({ fits: tpl(...names), open: tpl(...names), excluded: tpl(...names) });

export const EligibilityWording = z.strictObject({
  labels: z.strictObject({
    stages: z.strictObject({ 'pre-startup': tpl(), startup: tpl(), established: tpl() }),
    sizes: z.strictObject({ sme: tpl(), smallEnterprise: tpl() }),
  }),
  checks: z.strictObject({
    size: z.strictObject(check('size')),
    stages: z.strictObject(check('stages')),
    applicantTypes: z.strictObject({ ...check('types', 'groupNote'), excluded: tpl('types'), groupNote: tpl() }),
    employees: z.strictObject({ ...check('ranges'), excluded: tpl('ranges', 'employees') }),
    industries: z.strictObject({ ...check('industries'), unsure: tpl('industries') }),
    industryGroups: z.strictObject(check('groups')),
    municipalities: z.strictObject(check('municipalities')),
    continuingOnly: z.strictObject({ excluded: tpl('text') }),
    servedBy: z.strictObject({ ...check('desks'), excludedDistrict: tpl('desks', 'place', 'desk') }),
    capital: z.strictObject({ ...check('limit'), excluded: tpl('limit', 'capital') }),
    fields: z.strictObject(check('fields')),
    situations: z.strictObject({ fits: tpl('condition', 'text'), excluded: tpl('condition', 'text') }),
    purposes: z.strictObject({ fits: tpl('purpose'), excluded: tpl('purposes') }),
    targetGroup: z.strictObject({ declared: tpl('group'), undeclared: tpl('group') }),
  }),
  classify: z.strictObject({
    noDefinition: tpl(),
    industryGroup: tpl('industry', 'law', 'group', 'keyword'),
    industryUnknown: tpl('industry'),
    specialCase: tpl('industry', 'rule', 'cite'),
    smeRule: tpl('group', 'rule', 'cite'),
    employees: z.strictObject({ within: tpl('employees', 'limit'), over: tpl('employees', 'limit'), straddles: tpl('employees', 'limit') }),
    capital: z.strictObject({ within: tpl('capital', 'limit'), over: tpl('capital', 'limit') }),
    capitalUnknown: tpl(),
    smallEnterprise: z.strictObject({ fits: tpl('group', 'rule', 'cite'), notFits: tpl('group', 'rule', 'cite'), unknown: tpl('group', 'rule', 'cite') }),
    verdict: z.strictObject({ sme: tpl(), notSme: tpl(), unknown: tpl() }),
    verdictAnyGroup: z.strictObject({ sme: tpl(), notSme: tpl(), unknown: tpl() }),
    specialNote: tpl('law', 'industry', 'rule', 'termNote', 'withinNote', 'cite', 'basis'),
    termNote: tpl(),
    withinNote: tpl(),
  }),
});
export type EligibilityWording = z.infer<typeof EligibilityWording>;

/**
 * Loads and validates `<dir>/eligibility.yaml`.
 * @throws YamlFileError (file:line:column problems) when the file is missing or invalid.
 */
export function loadEligibilityWording(dir = intentsDir()): EligibilityWording {
  return readYamlOrThrow(join(dir, 'eligibility.yaml'), EligibilityWording);
}

let cached: EligibilityWording | null = null;

/**
 * The wording of $INTENTS_DIR (or `<project>/intents`), loaded once per process: for the CLI, the
 * evaluation and tests. The server passes the wording of its current generation instead.
 * @throws like {@link loadEligibilityWording} on the first call.
 */
export function defaultEligibilityWording(): EligibilityWording {
  return (cached ??= loadEligibilityWording());
}
