/**
 * The dialogue's data: intents/intents.yaml (intent examples, follow-up fields), intents/flow.yaml
 * (the guided questions), intents/replies.yaml (wording) and intents/eligibility.yaml (the wording of
 * eligibility reasons, src/eligibility/wording.ts). Validated with zod at load; an operator's mistake
 * stops the loader with `file:line:column message` lines.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { loadEligibilityWording, type EligibilityWording } from '../eligibility/wording.ts';
import { PROJECT_ROOT, readYamlOrThrow } from '../knowledge/load.ts';
import { fill } from '../search/wording.ts';

const Words = z.array(z.string().min(1));

export const IntentsFile = z.strictObject({
  threshold: z.number().min(0).max(1),
  intents: z.array(
    z.strictObject({
      name: z.string().min(1),
      needs: z.enum(['lastResults', 'lastDiagnosis', 'diagnosis']).optional(),
      examples: Words.min(1),
    }),
  ),
  deskCues: Words.default([]),
  deskCuesWeak: Words.default([]),
  /** words that make a message a consultation question (「事業承継の相談はどこ？」): answered with the topic's desk */
  consultCues: Words.default([]),
  followupFields: z.array(z.strictObject({ field: z.string().min(1), words: Words.min(1) })),
});
export type IntentsFile = z.infer<typeof IntentsFile>;

const ChoiceDef = z.strictObject({
  label: z.string().min(1),
  value: z.unknown().optional(),
  words: Words.optional(),
});
export type ChoiceDef = z.infer<typeof ChoiceDef>;

export const SlotDef = z.strictObject({
  name: z.string().min(1),
  label: z.string().min(1),
  question: z.string().min(1),
  expected: z.string().min(1),
  parser: z.enum(['industry', 'headcount', 'yen', 'municipality', 'area', 'choice', 'stage', 'field']),
  when: z.enum(['capitalMatters', 'areaAmbiguous', 'notIndividual', 'fieldLimited', 'splits']).optional(),
  /** asked only when the answered purpose is one of these */
  purposes: Words.optional(),
  choicesFrom: z.enum(['industries', 'areas', 'localities', 'fields']).optional(),
  choices: z.array(ChoiceDef).optional(),
  zeroWords: Words.optional(),
  noneWords: Words.optional(),
  startupYears: z.number().int().positive().optional(),
  /** the answer shown for a none word (「なし」); required with `noneWords` */
  noneLabel: z.string().min(1).optional(),
}).refine((s) => !s.noneWords?.length || s.noneLabel, { message: 'noneWords needs noneLabel (the answer shown for them)', path: ['noneLabel'] });
export type SlotDef = z.infer<typeof SlotDef>;

export const FlowFile = z.strictObject({
  unknownWords: Words.min(1),
  resultCount: z.number().int().min(1).max(20),
  /**
   * how many national programmes (an open dataset, knowledge/national/) a result shows beside the
   * `resultCount` prefectural ones
   */
  nationalResultCount: z.number().int().min(0).max(20).default(2),
  missCount: z.number().int().min(1).max(20),
  /** a free-text answer shows this many cards, and the next `searchMore` hits as buttons */
  searchCards: z.number().int().min(1).max(10).default(3),
  searchMore: z.number().int().min(0).max(10).default(3),
  oneShot: z.strictObject({
    minSlots: z.number().int().min(1),
    minSlotsWithProfile: z.number().int().min(1),
    profileSlots: Words,
    /** slots filled but not counted (they do not describe the business enough on their own) */
    uncounted: Words.default([]),
  }),
  /** how a one-shot message says which business the user runs (src/dialogue/slots.ts businessPhrases) */
  business: z
    .strictObject({
      verbs: Words,
      startVerbs: Words,
      objectMarkers: Words,
      heads: Words,
      copulas: Words,
      wishCues: Words,
    })
    .default({ verbs: [], startVerbs: [], objectMarkers: [], heads: [], copulas: [], wishCues: [] }),
  categoryWeight: z.record(z.string(), z.number().min(0).max(1)).default({}),
  targetGroups: z.array(z.strictObject({ label: z.string().min(1), words: Words.min(1) })).default([]),
  slots: z.array(SlotDef).min(1),
});
export type FlowFile = z.infer<typeof FlowFile>;

/** Wording: a tree of strings (and choice lists); looked up by dotted path with {@link DialogueData.text}. */
export const RepliesFile = z.record(z.string(), z.unknown());

/** Everything the engine reads from intents/. */
export interface DialogueData {
  intents: IntentsFile;
  flow: FlowFile;
  replies: Record<string, unknown>;
  /** the sentences of eligibility reasons (intents/eligibility.yaml) */
  eligibility: EligibilityWording;
}

/** Folder of the intents files: $INTENTS_DIR or `<project>/intents`. */
export function dialogueDir(): string {
  return process.env.INTENTS_DIR ?? join(PROJECT_ROOT, 'intents');
}

const readYaml = readYamlOrThrow;

/**
 * Loads intents.yaml, flow.yaml, replies.yaml and eligibility.yaml from `dir`.
 * @throws YamlFileError locating each problem (file:line:column).
 */
export function loadDialogueData(dir = dialogueDir()): DialogueData {
  return {
    intents: readYaml(join(dir, 'intents.yaml'), IntentsFile),
    flow: readYaml(join(dir, 'flow.yaml'), FlowFile),
    replies: readYaml(join(dir, 'replies.yaml'), RepliesFile) as Record<string, unknown>,
    eligibility: loadEligibilityWording(dir),
  };
}

/** The wording at a dotted path (「result.header」); the path itself when missing (visible, never a crash). */
export function wording(data: DialogueData, path: string): string {
  let cur: unknown = data.replies;
  for (const k of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return typeof cur === 'string' ? cur : path;
}

/** A list of {label, value} choices at a dotted path of replies.yaml ([] when missing). */
export function wordingChoices(data: DialogueData, path: string): { label: string; value: string }[] {
  let cur: unknown = data.replies;
  for (const k of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  if (!Array.isArray(cur)) return [];
  return cur.filter((c) => c && typeof c.label === 'string').map((c) => ({ label: String(c.label), value: String(c.value ?? c.label) }));
}

/** {@link wording} filled with `vars`; null when a placeholder is empty. */
export function say(data: DialogueData, path: string, vars: Record<string, string | number | null | undefined> = {}): string | null {
  return fill(wording(data, path), vars);
}
