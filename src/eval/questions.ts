/**
 * Free-text question eval (`npm run eval`, first part): hit@1, hit@3, MRR and the out-of-scope share
 * for the search service and two baselines, on every question set side by side — dev
 * (../shared/eval/dev-questions.jsonl) and the held-out sets test/fixtures/heldout-questions.jsonl and
 * test/fixtures/heldout-2.jsonl, heldout-3.jsonl, heldout-4.jsonl, heldout-5.jsonl, heldout-6.jsonl and heldout-7.jsonl (when present) — then, per set, the confidence of right and of wrong
 * first answers and of out-of-scope questions (quantiles and a histogram) against the threshold, the
 * threshold that dev alone would choose and what it gives on every set, and the misses on dev.
 * Held-out sets are only measured: their misses are not printed (run `--set` to see one set's).
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_KNOWLEDGE_DIR, PROJECT_ROOT, loadKnowledgeOrThrow, type KnowledgeBase } from '../knowledge/load.ts';
import { createSearchService, type SearchResponse, type SearchService } from '../search/service.ts';
import { bigramBaseline, jaBaseline } from './baselines.ts';
import { evalDir, rankOf, readQuestions, score, type EvalQuestion, type Metrics, type SystemAnswer } from './score.ts';

const TOP = 10;

/** The question sets `npm run eval` reports, in order: [label, path]. Missing held-out files are skipped. */
export function defaultSets(): [string, string][] {
  const sets: [string, string][] = [['dev', join(evalDir(), 'dev-questions.jsonl')]];
  for (const [label, file] of [['held-out', 'heldout-questions.jsonl'], ['held-out-2', 'heldout-2.jsonl'], ['held-out-3', 'heldout-3.jsonl'], ['held-out-4', 'heldout-4.jsonl'], ['held-out-5', 'heldout-5.jsonl'], ['held-out-6', 'heldout-6.jsonl'], ['held-out-7', 'heldout-7.jsonl'], ['held-out-8', 'heldout-8.jsonl'], ['held-out-9', 'heldout-9.jsonl'], ['held-out-10', 'heldout-10.jsonl'], ['held-out-11', 'heldout-11.jsonl'], ['held-out-12', 'heldout-12.jsonl'], ['held-out-13', 'heldout-13.jsonl']]) {
    const p = join(PROJECT_ROOT, 'test', 'fixtures', file);
    if (existsSync(p)) sets.push([label, p]);
  }
  return sets;
}

/** One set's results: the questions, the service's responses and the metrics of each system. */
export interface SetResult {
  label: string;
  questions: EvalQuestion[];
  responses: SearchResponse[];
  metrics: [string, Metrics][];
}

/** Confidences of one set's first answers: right (rank 1), wrong (in scope, not rank 1), out of scope. */
export interface ConfidenceSplit {
  right: number[];
  wrong: number[];
  outOfScope: number[];
}

/**
 * Splits a set's confidences by whether the first answer was right (see {@link ConfidenceSplit}).
 * With `threshold`, a question the search left unanswered counts below it even when its confidence
 * reached it (a rule other than the threshold held it back): the utility at the threshold is that of
 * what users get.
 */
export function confidenceSplit(r: SetResult, threshold?: number): ConfidenceSplit {
  const out: ConfidenceSplit = { right: [], wrong: [], outOfScope: [] };
  r.questions.forEach((q, i) => {
    const raw = r.responses[i];
    const resp = threshold !== undefined && !raw.answered && raw.confidence >= threshold ? { ...raw, confidence: Math.max(0, threshold - 0.01) } : raw;
    if (q.expect_kind === 'none') out.outOfScope.push(resp.confidence);
    else if (rankOf(resp.hits.map((h) => h.record.name), q.expect) === 1) out.right.push(resp.confidence);
    else out.wrong.push(resp.confidence);
  });
  return out;
}

/**
 * Utility of answering at threshold `t`: +1 per right first answer kept, −2 per wrong first answer
 * or out-of-scope question answered (a confident wrong answer costs more than an honest "not found").
 */
export function utility(c: ConfidenceSplit, t: number): number {
  const above = (xs: number[]) => xs.filter((x) => x >= t).length;
  return above(c.right) - 2 * above(c.wrong) - 2 * above(c.outOfScope);
}

/** The threshold (0.01 steps) of highest {@link utility} on `c`; the lowest of equal ones. */
export function bestThreshold(c: ConfidenceSplit): number {
  let best = 0;
  let bestU = -Infinity;
  for (let k = 0; k <= 100; k++) {
    const t = k / 100;
    const u = utility(c, t);
    if (u > bestU) (bestU = u), (best = t);
  }
  return best;
}

/** Quantiles (min, p10, p25, median, p75, p90, max) of `xs`; empty → []. */
export function quantiles(xs: number[]): number[] {
  if (!xs.length) return [];
  const s = [...xs].sort((a, b) => a - b);
  return [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1].map((p) => s[Math.min(s.length - 1, Math.round(p * (s.length - 1)))]);
}

/** Counts of `xs` in ten bins of 0.1 (1.0 in the last). */
export function histogram(xs: number[]): number[] {
  const h = new Array<number>(10).fill(0);
  for (const x of xs) h[Math.max(0, Math.min(9, Math.floor(x * 10)))]++;
  return h;
}

function runSet(label: string, file: string, kb: KnowledgeBase, service: SearchService, baselines: { name: string; ask: (q: string, top: number) => SystemAnswer }[]): SetResult {
  const questions = readQuestions(file);
  const responses = questions.map((q) => service.search(q.q, { top: TOP }));
  const ours: SystemAnswer[] = responses.map((r) => ({ answered: r.answered, names: r.hits.map((h) => h.record.name) }));
  const metrics: [string, Metrics][] = [['shien-navi', score(questions, ours)]];
  for (const b of baselines) metrics.push([b.name, score(questions, questions.map((q) => b.ask(q.q, TOP)))]);
  void kb;
  return { label, questions, responses, metrics };
}

const f3 = (x: number) => x.toFixed(3).padStart(6);
const f2 = (x: number) => x.toFixed(2);

function printMisses(r: SetResult): void {
  const misses = r.questions
    .map((q, i) => ({ q, resp: r.responses[i], rank: q.expect_kind === 'none' ? (r.responses[i].answered ? -1 : 1) : r.responses[i].answered ? rankOf(r.responses[i].hits.map((h) => h.record.name), q.expect) : 0 }))
    .filter((x) => x.rank !== 1);
  if (!misses.length) return;
  process.stdout.write(`\nnot first on ${r.label} (rank 0 = not in results, -1 = out of scope but answered):\n`);
  for (const { q, resp, rank } of misses) {
    const first = resp.hits[0]?.record.name ?? (resp.answered ? '' : `(not answered: ${resp.reason ?? ''})`);
    process.stdout.write(`  ${q.id} rank ${rank} conf ${resp.confidence.toFixed(2)} 「${q.q}」 → ${first} | want ${q.expect[0]}\n`);
  }
}

function printTable(results: SetResult[], records: number): void {
  process.stdout.write(`\n== free-text questions, ${records} records (n = in scope + out of scope) ==\n`);
  let head = 'system'.padEnd(18);
  let sub = ''.padEnd(18);
  for (const r of results) {
    const m = r.metrics[0][1];
    head += `| ${`${r.label} (${m.n}+${m.nOut})`.padEnd(26)}`;
    sub += `| ${'hit@1'.padStart(6)}${'hit@3'.padStart(6)}${'MRR'.padStart(6)}${'oos'.padStart(6)}  `;
  }
  process.stdout.write(`${head}\n${sub}\n`);
  for (let s = 0; s < results[0].metrics.length; s++) {
    let line = results[0].metrics[s][0].padEnd(18);
    for (const r of results) {
      const m = r.metrics[s][1];
      line += `| ${f3(m.hit1)}${f3(m.hit3)}${f3(m.mrr)}${f3(m.outOfScope)}  `;
    }
    process.stdout.write(`${line}\n`);
  }
}

function printConfidence(results: SetResult[], threshold: number): void {
  const splits = results.map((r) => ({ label: r.label, c: confidenceSplit(r, threshold) }));
  const devT = bestThreshold(splits[0].c);
  process.stdout.write(`\nconfidence of first answers (quantiles min p10 p25 p50 p75 p90 max; histogram of 0.1 bins 0.0…0.9+); threshold ${threshold}\n`);
  for (const { label, c } of splits) {
    for (const [what, xs] of [['right', c.right], ['wrong', c.wrong], ['out of scope', c.outOfScope]] as const) {
      const q = quantiles(xs);
      const below = xs.filter((x) => x < threshold).length;
      process.stdout.write(`  ${label.padEnd(12)}${what.padEnd(13)}n=${String(xs.length).padEnd(4)} ${q.length ? q.map(f2).join(' ') : '-'.padEnd(34)}  [${histogram(xs).join(' ')}]  below threshold ${below}\n`);
    }
  }
  process.stdout.write(`threshold chosen on ${splits[0].label === 'dev' ? 'dev alone' : `${splits[0].label} (this set itself: for reading only, never to set the threshold)`} (utility: +1 right kept, −2 wrong or out-of-scope answered): ${devT.toFixed(2)}\n`);
  for (const { label, c } of splits) {
    process.stdout.write(`  ${label.padEnd(12)}utility at ${threshold}: ${utility(c, threshold)}, at ${devT.toFixed(2)}: ${utility(c, devT)} (of ${c.right.length} right first answers)\n`);
  }
}

/**
 * Per set, the questions not answered for low confidence: how many in scope were offered possibly
 * related records (SearchResponse.related) and held the record asked for among them, and how many
 * out-of-scope ones were offered any.
 */
function printRelated(results: SetResult[]): void {
  process.stdout.write('\nnot answered for low confidence: in scope with related records offered (the one asked for among them) / in scope; out of scope offered related / out of scope\n');
  for (const r of results) {
    let inScope = 0;
    let offered = 0;
    let hit = 0;
    let oos = 0;
    let oosOffered = 0;
    r.questions.forEach((q, i) => {
      const resp = r.responses[i];
      if (resp.answered || resp.reason !== 'lowConfidence') return;
      const related = resp.related ?? [];
      if (q.expect_kind === 'none') {
        oos++;
        if (related.length) oosOffered++;
        return;
      }
      inScope++;
      if (!related.length) return;
      offered++;
      if (rankOf(related.map((h) => h.record.name), q.expect) > 0) hit++;
    });
    process.stdout.write(`  ${r.label.padEnd(12)}${offered} (${hit}) / ${inScope}; out of scope ${oosOffered} / ${oos}\n`);
  }
}

/** Runs the question eval on every set (the `npm run eval` part). */
export async function run(): Promise<void> {
  const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
  const service = await createSearchService(kb);
  const baselines = [jaBaseline(kb), bigramBaseline(kb)];
  const results = defaultSets().map(([label, file]) => runSet(label, file, kb, service, baselines));
  printTable(results, kb.records.length);
  printConfidence(results, service.wording.threshold);
  printRelated(results);
  printMisses(results[0]);
}

/**
 * The question eval of one file: prints the table, the confidences and the misses, returns the service's metrics.
 * @param file a JSONL question file (default ../shared/eval/dev-questions.jsonl)
 * @throws Error when the file is unreadable or not JSONL.
 */
export async function evaluateQuestions(file?: string): Promise<Metrics> {
  const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
  const service = await createSearchService(kb);
  const path = file ?? join(evalDir(), 'dev-questions.jsonl');
  const r = runSet(basename(path), path, kb, service, [jaBaseline(kb), bigramBaseline(kb)]);
  printTable([r], kb.records.length);
  printConfidence([r], service.wording.threshold);
  printRelated([r]);
  printMisses(r);
  return r.metrics[0][1];
}
