/**
 * Situations some programmes are for (knowledge/situations.yaml; `eligibility.situations` of a
 * programme): 新規の企業立地, コンビナート企業, 商店街組合等, 運送事業者, 東部地域, 商工会議所等 as the
 * applicant. A 相談員 suggests such a programme only when the business says the situation applies;
 * otherwise it is a close miss that 「対象外は？」 names with its printed condition.
 * How a situation is declared is data: the user's own words (`keywords`), the 業種 the user runs
 * (`industries`), the purpose (`purposes`) or the 市町 (`municipalities`, where the source lists them).
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Program, SituationsFile } from '../knowledge/schema.ts';
import { matchKey } from '../text/normalize.ts';
import type { Profile } from './profile.ts';

export type Situation = SituationsFile['situations'][number];

/** A programme's situation condition: the vocabulary entry (undefined when the label is unknown) and the printed text. */
export interface SituationCondition {
  label: string;
  text: string;
  situation: Situation | undefined;
}

/**
 * The situations a programme is for: its own `eligibility.situations`, then those of its 事業
 * (`parent`, one level) whose label it does not state itself — a scheme of a 事業 for 企業立地 is for
 * 企業立地 too.
 */
export function situationsOf(kb: KnowledgeBase, program: Program): SituationCondition[] {
  const own = program.eligibility?.situations ?? [];
  const parent = program.parent ? kb.byId.get(program.parent) : undefined;
  const inherited = parent?.kind === 'program' ? (parent.eligibility?.situations ?? []).filter((s) => !own.some((o) => o.label === s.label)) : [];
  const vocab = kb.situations?.situations ?? [];
  return [...own, ...inherited].map((s) => ({ ...s, situation: vocab.find((v) => v.label === s.label) }));
}

const hasAny = (key: string, words: string[]) => words.some((w) => {
  const k = matchKey(w);
  return k.length > 0 && key.includes(k);
});

/**
 * Does the profile say the situation applies? True when the purpose is one of its `purposes`, the
 * 市町 one of its `municipalities`, the answered 業種 names one of its `industries`, or the user's own
 * words (`profile.words`, clauses that deny something already dropped) name one of its `keywords`.
 * An unknown label is never declared.
 */
export function situationDeclared(situation: Situation | undefined, p: Profile): boolean {
  if (!situation) return false;
  if (p.purpose && situation.purposes.includes(p.purpose)) return true;
  if (p.municipality && situation.municipalities.includes(p.municipality)) return true;
  if (p.industry && hasAny(matchKey(p.industry), situation.industries)) return true;
  return !!p.words && hasAny(wordsKey(p.words), situation.keywords);
}

/** matchKey of the last `profile.words` read: counting a question's buttons checks ≈1,300 programmes against the same words. */
let lastWords: { words: string; key: string } | null = null;
function wordsKey(words: string): string {
  if (lastWords?.words !== words) lastWords = { words, key: matchKey(words) };
  return lastWords.key;
}
