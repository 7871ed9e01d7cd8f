/**
 * Reply wording of free-text answers, from intents/answers.yaml (validated with zod). Operators
 * change wording, the general desk, the threshold and card labels there, not in code. Also the
 * `{placeholder}` helpers every wording file uses ({@link fill}, {@link phrase}).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT, readYamlOrThrow } from '../knowledge/load.ts';
import { ProgramCategory } from '../knowledge/schema.ts';

export const AnswersWording = z.strictObject({
  generalDesk: z.string().min(1),
  generalDeskName: z.string().min(1),
  homeRegion: z.string().min(1),
  /** other spellings of the home region (やまぐち): a programme name beginning with one of them or homeRegion claims to be the prefecture's own */
  homeRegionAliases: z.array(z.string().min(1)).default([]),
  regionHeads: z.array(z.string().min(1)).default([]),
  /** nouns of a business (会社, メーカー), heads like regionHeads: only mentioned when a case particle makes it another party (「東京のメーカーと組んで」) */
  partyHeads: z.array(z.string().min(1)).default([]),
  replyCards: z.number().int().min(1).max(10),
  threshold: z.number().min(0).max(1),
  outOfScope: z.array(z.string().min(1)).default([]),
  kindHints: z
    .strictObject({
      boost: z.number().positive(),
      program: z.array(z.string().min(1)).default([]),
      desk: z.array(z.string().min(1)).default([]),
      definition: z.array(z.string().min(1)).default([]),
      measure: z.array(z.string().min(1)).default([]),
      /** programme categories that answer a desk question too (a 相談 programme is a place to ask) */
      deskCategories: z.array(z.string().min(1)).default([]),
      /** score multiplier of a programme of deskCategories when desks are hinted (default: boost) */
      deskCategoryBoost: z.number().positive().optional(),
    })
    .default({ boost: 1, program: [], desk: [], definition: [], measure: [], deskCategories: [] }),
  kindPrior: z
    .strictObject({ program: z.number().positive(), desk: z.number().positive(), definition: z.number().positive(), measure: z.number().positive() })
    .default({ program: 1, desk: 1, definition: 1, measure: 1 }),
  /** score multiplier (≤ 1) of a programme for those one disaster hit (`disasters`) when the question names neither a record nor that disaster */
  disasterPrior: z.number().positive().max(1).default(1),
  /** a word whose synonym groups hold the words of any disaster (災害): those words name no disaster in particular */
  genericDisaster: z.string().default(''),
  /** words a scheme's name holds (補助, 融資, 事業 …): a 「山口県〇〇」 programme name is compared with the names holding one (none: with all) */
  schemeWords: z.array(z.string().min(1)).default([]),
  /**
   * words saying which kind of support a question wants (a tax saving: 法人税, 控除 …) and the programme categories (a record's `category`) that are that kind: those
   * programmes get their score multiplied by `boost`
   */
  categoryHints: z
    .strictObject({
      boost: z.number().positive(),
      hints: z.array(z.strictObject({ categories: z.array(ProgramCategory).min(1), words: z.array(z.string().min(1)).min(1) })),
    })
    .default({ boost: 1, hints: [] }),
  consultFallbackRank: z.number().int().min(0).max(10).default(0),
  /** a question not answered for low confidence whose best candidate has at least this confidence gets the best candidates as possibly related (1: never) */
  relatedMin: z.number().min(0).max(1).default(1),
  /** how many possibly related records at most */
  relatedCount: z.number().int().min(1).max(5).default(3),
  /** score multiplier of the records of a source file (knowledge/sources.yaml `file`), e.g. national records below local ones */
  sourcePrior: z.record(z.string(), z.number().positive()).default({}),
  /** sources (knowledge/sources.yaml `file`) of the national programmes, for a question saying 国 or 県 (Analysis.scope) */
  nationalSources: z.array(z.string().min(1)).default([]),
  /** score multiplier (≤ 1) of the records of the other kind when a question says 国 or 県 */
  scopeFactor: z.number().positive().max(1).default(1),
  localBoost: z.number().positive().default(1),
  otherDistrictFactor: z.number().positive().max(1).default(1),
  /**
   * words asking whom to contact about a programme (担当課, 問い合わせ, 連絡先 …; 「…」 allows words in
   * between): a question naming a programme with one of them gets the programme's desk first, then it
   */
  contactWords: z.array(z.string().min(1)).default([]),
  /** words asking a programme's terms (補助率, 上限, 期間 …): with one of them the programme itself stays first */
  termWords: z.array(z.string().min(1)).default([]),
  /** desk types (`deskType`) put first for a consultation question naming a 市町 and nothing topical (intents/answers.yaml: 商工会議所, 商工会); none: the general desk alone */
  localDeskTypes: z.array(z.string().min(1)).default([]),
  reply: z.strictObject({
    found: z.string().min(1),
    notFound: z.string().min(1),
    notFoundNoPhone: z.string().min(1),
    outOfScope: z.string().min(1),
    otherRegion: z.string().min(1),
    empty: z.string().min(1),
    /** the line after a not-found reply that offers the possibly related records: {names} joined with 「、」 */
    related: z.string().min(1).optional(),
    more: z.string().min(1),
    /** first line when nothing topical matched a consultation question and the general desk comes first */
    generalDeskFirst: z.string().min(1),
    /** the same for a question naming a 市町 or locality: {place} the 市町, {deskName} its 商工会議所・商工会 (joined with 「・」) */
    localDeskFirst: z.string().min(1),
  }),
  card: z.strictObject({
    desk: z.string().min(1),
    deskNoPhone: z.string().min(1),
    source: z.string().min(1),
    status: z.strictObject({ past: z.string().min(1), historical: z.string().min(1) }),
    /**
     * notes on the cards of records imported from an open dataset (ミラサポplus), after the credit
     * line its terms of use require (knowledge/sources.yaml `credit`)
     */
    dataset: z.strictObject({
      latest: z.string().min(1),
      ended: z.string().min(1),
      localHelp: z.string().min(1),
      reception: z.string().min(1),
      date: z.string().min(1),
    }),
  }),
  labels: z.record(z.string(), z.string().min(1)),
});
export type AnswersWording = z.infer<typeof AnswersWording>;

/** Folder of the intents files: $INTENTS_DIR or `<project>/intents`. */
export function intentsDir(): string {
  return process.env.INTENTS_DIR ?? join(PROJECT_ROOT, 'intents');
}

/**
 * Loads and validates `answers.yaml`.
 * @param dir intents folder (default {@link intentsDir})
 * @throws Error naming the file and each invalid field when the file is missing or invalid.
 */
export function loadAnswersWording(dir = intentsDir()): AnswersWording {
  return readYamlOrThrow(join(dir, 'answers.yaml'), AnswersWording);
}

/**
 * Fills `{name}` placeholders from `vars`. Returns null when a placeholder has no value (undefined,
 * null or empty string), so a line about a missing fact is dropped instead of printed half empty.
 * With `emptyOk`, an empty string is a value (an optional part of a sentence left out).
 */
export function fill(template: string, vars: Record<string, string | number | undefined | null>, emptyOk = false): string | null {
  let missing = false;
  const out = template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined || v === null || (v === '' && !emptyOk)) {
      missing = true;
      return '';
    }
    return String(v);
  });
  return missing ? null : out;
}

/**
 * {@link fill} for a sentence that is always printed: an empty string is a value (an optional part
 * left out), and a placeholder without a value leaves the template as written (visible, never a
 * crash). For templates whose placeholders a schema has checked.
 */
export function phrase(template: string, vars: Record<string, string | number> = {}): string {
  return fill(template, vars, true) ?? template;
}
