/**
 * Helpers for tests that run the real server as a child process (src/bench/server-process.ts):
 * catalogue copies to edit, and the /api/chat client.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

import { TEST_API_TOKEN } from '../../src/bench/server-process.ts';

export { startServer, TEST_API_TOKEN, type ServerProcess } from '../../src/bench/server-process.ts';

/** Temp copies of knowledge/ and intents/ (tests edit these, never the real folders). */
export function copyCatalogue(): { knowledgeDir: string; intentsDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
  const knowledgeDir = join(dir, 'knowledge');
  const intentsDir = join(dir, 'intents');
  cpSync(join(ROOT, 'knowledge'), knowledgeDir, { recursive: true });
  cpSync(join(ROOT, 'intents'), intentsDir, { recursive: true });
  return { knowledgeDir, intentsDir };
}

/** The chat-turn JSON of POST /api/chat. */
export interface ChatTurn {
  replies: { type: string; text?: string; choices?: { label: string; value: string }[]; cards?: { id: string; title: string }[] }[];
  awaiting: string | null;
  choices: string[];
  suggestions: { id: string; kind: string; name: string }[];
}

/** One POST /api/chat as user `user` (with the server's API token); `message` is text, or `{choice}`. Rejects on a non-200 answer. */
export async function chat(url: string, user: string, message: string | { choice: string }, headers: Record<string, string> = {}): Promise<ChatTurn> {
  const body = typeof message === 'string' ? { user, text: message } : { user, choice: message.choice };
  const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_TOKEN}`, ...headers }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`POST /api/chat → ${res.status}: ${await res.text()}`);
  return (await res.json()) as ChatTurn;
}

/** All reply texts of a turn, joined. */
export function replyText(turn: ChatTurn): string {
  return turn.replies.map((r) => r.text ?? '').join('\n');
}

/** The buttons offered in a turn (label and value). */
export function offered(turn: ChatTurn): { label: string; value: string }[] {
  return turn.replies.flatMap((r) => r.choices ?? []);
}
