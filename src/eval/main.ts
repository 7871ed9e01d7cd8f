/**
 * `npm run eval`: measures the bot on ../shared/eval/ — free-text questions (hit@1, hit@3, MRR,
 * out-of-scope) against two baselines, then the SME profiles, desk routing and dialogue profiles.
 * Each part lives in its own module; this file only runs them in order.
 *
 * `npm run eval -- --set <file.jsonl>` runs the free-text question part only, on another question
 * file of the same format (e.g. test/fixtures/heldout-questions.jsonl).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { set: { type: 'string' } }, allowPositionals: false });

if (values.set) {
  const { evaluateQuestions } = await import('./questions.ts');
  await evaluateQuestions(resolve(values.set));
} else {
  const parts: { name: string; load: () => Promise<{ run: () => Promise<void> }> }[] = [
    { name: 'questions', load: () => import('./questions.ts') },
    { name: 'profiles', load: () => import('./profiles.ts') },
  ];
  for (const part of parts) {
    const mod = await part.load();
    await mod.run();
  }
}
