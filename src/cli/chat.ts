/**
 * `npm run --silent cli -- chat [--json] [--user <key>]` — the conversation engine in a terminal.
 * Interactive: replies as text, choices numbered — type the number (or 「#3」 while a number is the
 * answer, e.g. 従業員数), or any text.
 * --json: one user message per stdin line → one JSON line per turn, flushed as soon as it is ready:
 * {"replies": [...], "awaiting": <slot or null>, "choices": ["..."], "suggestions": [{"id","kind","name"}]}.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Choice, Incoming, TurnResult } from '../core/types.ts';
import { createEngine } from '../dialogue/engine.ts';
import { MemoryConversationStore } from '../dialogue/memory-store.ts';
import { loadKnowledgeOrThrow } from '../knowledge/load.ts';
import { cardText } from '../search/answer.ts';
import { createSearchService } from '../search/service.ts';

/** Slots whose answer is a number: a bare number is the answer, 「#N」 picks choice N. */
const NUMERIC_SLOTS = new Set(['employees', 'capital']);

/** Plain-text rendering of a turn, choices numbered from 1. */
export function renderTurn(turn: TurnResult): { text: string; choices: Choice[] } {
  const lines: string[] = [];
  const choices: Choice[] = [];
  for (const m of turn.replies) {
    if (m.type === 'text') lines.push(m.text);
    else if (m.type === 'link') lines.push(`${m.text} ${m.url}`);
    else if (m.type === 'cards') {
      if (m.heading) lines.push(`${m.heading}:`);
      for (const c of m.cards) lines.push(cardText(c));
    }
    else {
      lines.push(m.text);
      for (const c of m.choices) {
        choices.push(c);
        lines.push(`  ${choices.length}. ${c.label}`);
      }
    }
  }
  return { text: lines.join('\n'), choices };
}

/** The incoming message for a typed line, given the choices shown last. */
export function toIncoming(line: string, choices: Choice[], awaiting: string | null): Incoming {
  const t = line.trim().normalize('NFKC');
  const m = t.match(/^#?(\d{1,2})$/);
  if (m && choices.length) {
    const n = parseInt(m[1], 10);
    const numeric = awaiting !== null && NUMERIC_SLOTS.has(awaiting);
    if (n >= 1 && n <= choices.length && (!numeric || t.startsWith('#'))) return { type: 'choice', value: choices[n - 1].value, label: choices[n - 1].label };
  }
  return { type: 'text', text: line };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false }, user: { type: 'string', default: 'terminal' } }, strict: true });
  const kb = loadKnowledgeOrThrow(process.env.KNOWLEDGE_DIR);
  const search = await createSearchService(kb);
  const store = new MemoryConversationStore({ sweepMs: 0 });
  const engine = await createEngine({ search, store });
  const user = values.user!;
  const rl = createInterface({ input: process.stdin, terminal: false });
  const write = (s: string) => new Promise<void>((resolve) => (process.stdout.write(s) ? resolve() : process.stdout.once('drain', () => resolve())));
  if (values.json) {
    for await (const line of rl) {
      const turn = await engine.handle(user, { type: 'text', text: line }, { channel: 'cli' });
      await write(JSON.stringify({ replies: turn.replies, awaiting: turn.awaiting, choices: turn.choices, suggestions: turn.suggestions }) + '\n');
    }
    await store.close();
    return 0;
  }
  let shown = renderTurn(await engine.handle(user, { type: 'text', text: '' }, { channel: 'cli' }));
  let awaiting: string | null = null;
  await write(`${shown.text}\n> `);
  for await (const line of rl) {
    const turn = await engine.handle(user, toIncoming(line, shown.choices, awaiting), { channel: 'cli' });
    awaiting = turn.awaiting;
    shown = renderTurn(turn);
    await write(`${shown.text}\n> `);
  }
  await write('\n');
  await store.close();
  return 0;
}
