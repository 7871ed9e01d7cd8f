/**
 * Eval of the conversation core on ../shared/eval/:
 *  - dev-sme-profiles.jsonl: classification under the 中小企業基本法 (both sme and smallEnterprise right);
 *  - dev-desk-routing.jsonl: the local desk, by the routing function (municipality + area) and by the
 *    chat (the question `q` as one message); with an area the expected desk must come first;
 *  - dev-dialogue-profiles.jsonl: each profile as a guided dialogue (「診断」, then every question
 *    answered in words from the profile) and as its one-shot message (then the remaining questions):
 *    at least one expected programme and one expected desk suggested, none of `must_not` (violations
 *    counted, target 0), and the mean number of questions asked before the result.
 * Prints the figures; a case that fails is listed with what was suggested.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Engine, TurnResult } from '../core/types.ts';
import { createEngine } from '../dialogue/engine.ts';
import { MemoryConversationStore } from '../dialogue/memory-store.ts';
import { classify } from '../eligibility/classify.ts';
import { localDesks } from '../eligibility/desks.ts';
import { PROJECT_ROOT, loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { createSearchService } from '../search/service.ts';

/** Folder of the eval files (EVAL_DIR or ../shared/eval beside the project). */
export const EVAL_DIR = process.env.EVAL_DIR ?? resolve(PROJECT_ROOT, '..', 'shared', 'eval');

/** Name comparison of the eval README: NFKC, spaces and 「」『』（）() removed. */
export function sameName(a: string, b: string): boolean {
  const k = (s: string) => s.normalize('NFKC').replace(/[\s「」『』（）()]/g, '');
  return k(a) === k(b);
}

function readJsonl<T>(name: string): T[] {
  return readFileSync(join(EVAL_DIR, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

interface SmeCase { id: string; industry_text: string; employees: number; capital_yen: number | null; expect: { sme: boolean; smallEnterprise: boolean } }
interface DeskCase { id: string; municipality: string; area: string | null; expect_any: string[]; q: string }
interface DialogueCase {
  id: string;
  profile: { industry: string; employees: number; capital_yen: number | null; municipality: string; area: string | null; stage: string; purpose: string; is_corporation: boolean };
  one_shot: string;
  expect_programs_any: string[];
  expect_desks_any: string[];
  must_not: string[];
}

const STAGE_WORDS: Record<string, string> = { established: 'それ以降', startup_lt_5y: '創業5年未満', startup: '創業5年未満', pre_startup: '創業前', 'pre-startup': '創業前' };

/**
 * The words a user with `profile` would type to answer the question about `slot`. A question the
 * profile holds no answer for (e.g. the 技術・産業分野 asked after 研究開発) is answered 「わからない」.
 */
export function answerFor(profile: DialogueCase['profile'], slot: string): string {
  switch (slot) {
    case 'industry':
      return profile.industry;
    case 'employees':
      return `${profile.employees}人`;
    case 'capital':
      return profile.capital_yen ? `${profile.capital_yen}円` : 'なし';
    case 'corporation':
      return profile.is_corporation ? '法人' : '個人でやってます';
    case 'municipality':
      return profile.municipality;
    case 'area':
      return profile.area ?? 'わからない';
    case 'purpose':
      return profile.purpose;
    case 'stage':
      return STAGE_WORDS[profile.stage] ?? 'わからない';
    default:
      return 'わからない';
  }
}

/**
 * Runs a conversation: `first`, then answers every question from the profile until a result.
 * @returns `questions`: how many questions the bot asked before the result (the turns it awaited an answer)
 */
async function converse(engine: Engine, user: string, first: string, profile: DialogueCase['profile']): Promise<{ questions: number; last: TurnResult }> {
  let turn = await engine.handle(user, { type: 'text', text: first });
  let questions = 0;
  while (turn.awaiting && questions < 20) {
    questions++;
    turn = await engine.handle(user, { type: 'text', text: answerFor(profile, turn.awaiting) });
  }
  return { questions, last: turn };
}

function scoreDialogue(c: DialogueCase, last: TurnResult): { program: boolean; desk: boolean; clean: boolean; bad: string[] } {
  const programs = last.suggestions.filter((s) => s.kind === 'program').map((s) => s.name);
  const desks = last.suggestions.filter((s) => s.kind === 'desk').map((s) => s.name);
  const all = last.suggestions.map((s) => s.name);
  const bad = all.filter((n) => c.must_not.some((m) => sameName(m, n)));
  return {
    program: programs.some((n) => c.expect_programs_any.some((e) => sameName(e, n))),
    desk: desks.some((n) => c.expect_desks_any.some((e) => sameName(e, n))),
    clean: bad.length === 0,
    bad,
  };
}

const pct = (a: number, b: number) => (b ? `${a}/${b} (${((100 * a) / b).toFixed(0)}%)` : '0/0');

/** Runs the three profile evals and prints their figures. */
export async function run(): Promise<void> {
  const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR);
  const out: string[] = [];
  // SME classification
  const sme = readJsonl<SmeCase>('dev-sme-profiles.jsonl');
  const smeFail: string[] = [];
  let smeOk = 0;
  for (const c of sme) {
    const r = classify(kb, { industry: c.industry_text, employees: c.employees, capital: c.capital_yen });
    if (r.sme === c.expect.sme && r.smallEnterprise === c.expect.smallEnterprise) smeOk++;
    else smeFail.push(`${c.id} ${c.industry_text}: got sme=${r.sme} small=${r.smallEnterprise}`);
  }
  out.push(`SME classification (dev-sme-profiles): ${pct(smeOk, sme.length)}`, ...smeFail.map((f) => `  miss ${f}`));

  // desk routing
  const search = await createSearchService(kb);
  const store = new MemoryConversationStore({ sweepMs: 0 });
  const engine = await createEngine({ search, store });
  const desks = readJsonl<DeskCase>('dev-desk-routing.jsonl');
  let fnOk = 0;
  let chatOk = 0;
  const deskFail: string[] = [];
  for (const c of desks) {
    const r = localDesks(kb, c.municipality, c.area);
    const first = r.desks[0]?.name ?? '';
    if (c.expect_any.some((e) => sameName(e, first))) fnOk++;
    else deskFail.push(`${c.id} function: first=${first || '-'}`);
    const turn = await engine.handle(`eval-desk-${c.id}`, { type: 'text', text: c.q });
    const firstDesk = turn.suggestions.find((s) => s.kind === 'desk')?.name ?? '';
    if (c.expect_any.some((e) => sameName(e, firstDesk))) chatOk++;
    else deskFail.push(`${c.id} chat "${c.q}": first desk=${firstDesk || '-'}`);
  }
  out.push(`Desk routing (dev-desk-routing): function ${pct(fnOk, desks.length)}, chat question ${pct(chatOk, desks.length)}`, ...deskFail.map((f) => `  miss ${f}`));

  // dialogue profiles
  const dialogues = readJsonl<DialogueCase>('dev-dialogue-profiles.jsonl');
  for (const mode of ['guided', 'one-shot'] as const) {
    let prog = 0;
    let desk = 0;
    let clean = 0;
    let all = 0;
    let questions = 0;
    let violations = 0;
    const fails: string[] = [];
    for (const c of dialogues) {
      const user = `eval-${mode}-${c.id}`;
      const { questions: n, last } = await converse(engine, user, mode === 'guided' ? '診断' : c.one_shot, c.profile);
      questions += n;
      const s = scoreDialogue(c, last);
      violations += s.bad.length;
      prog += +s.program;
      desk += +s.desk;
      clean += +s.clean;
      all += +(s.program && s.desk && s.clean);
      if (!(s.program && s.desk && s.clean)) {
        fails.push(`${c.id}: program=${s.program} desk=${s.desk}${s.bad.length ? ` must_not=${s.bad.join('、')}` : ''} — suggested ${last.suggestions.map((x) => x.name).join('、') || '(none)'}`);
      }
    }
    out.push(
      `Dialogue profiles, ${mode} (dev-dialogue-profiles): all three ${pct(all, dialogues.length)}; programme hit ${pct(prog, dialogues.length)}, desk hit ${pct(desk, dialogues.length)}, no must_not ${pct(clean, dialogues.length)}; must_not violations ${violations}; mean questions asked ${(questions / Math.max(1, dialogues.length)).toFixed(2)}`,
      ...fails.map((f) => `  miss ${f}`),
    );
  }
  await store.close();
  process.stdout.write(`\n== Conversation core ==\n${out.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
