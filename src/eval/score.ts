/**
 * Scoring of free-text questions (rule from ../shared/eval/README.md): a result matches when its
 * name, after NFKC and removing white space and 「」『』（）(), equals one of `expect`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../knowledge/load.ts';

/** One line of dev-questions.jsonl. */
export interface EvalQuestion {
  id: string;
  q: string;
  expect: string[];
  expect_kind: 'program' | 'desk' | 'definition' | 'measure' | 'none';
  persona?: string;
  tags?: string[];
  source?: string;
}

/** What a system returned for one question: answered or not, and result names best first. */
export interface SystemAnswer {
  answered: boolean;
  names: string[];
}

/** Metrics over a question set. Rates are 0–1; `n`/`nOut` count in-scope/out-of-scope questions. */
export interface Metrics {
  n: number;
  nOut: number;
  hit1: number;
  hit3: number;
  mrr: number;
  outOfScope: number;
}

/** Folder of the evaluation sets: $EVAL_DIR or `../shared/eval` beside the project. */
export function evalDir(): string {
  return process.env.EVAL_DIR ?? resolve(PROJECT_ROOT, '..', 'shared', 'eval');
}

/** Reads a JSONL file of questions (blank lines skipped). @throws Error when unreadable or not JSON. */
export function readQuestions(path = join(evalDir(), 'dev-questions.jsonl')): EvalQuestion[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion);
}

/** The comparison form of a name: NFKC, no white space, no 「」『』（）(). */
export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/[\s「」『』（）()]/g, '');
}

/** 1-based rank of the first result matching `expect`, or 0 when none does. */
export function rankOf(names: string[], expect: string[]): number {
  const want = new Set(expect.map(nameKey));
  const i = names.findIndex((n) => want.has(nameKey(n)));
  return i + 1;
}

/** hit@1, hit@3, MRR over in-scope questions; share of out-of-scope questions left unanswered. */
export function score(questions: EvalQuestion[], answers: SystemAnswer[]): Metrics {
  let n = 0, nOut = 0, h1 = 0, h3 = 0, rr = 0, out = 0;
  questions.forEach((q, i) => {
    const a = answers[i];
    if (q.expect_kind === 'none') {
      nOut++;
      if (!a.answered) out++;
      return;
    }
    n++;
    const r = a.answered ? rankOf(a.names, q.expect) : 0;
    if (r === 1) h1++;
    if (r >= 1 && r <= 3) h3++;
    if (r >= 1) rr += 1 / r;
  });
  return { n, nOut, hit1: n ? h1 / n : 0, hit3: n ? h3 / n : 0, mrr: n ? rr / n : 0, outOfScope: nOut ? out / nOut : 0 };
}
