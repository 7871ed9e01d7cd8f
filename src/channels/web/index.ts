/**
 * The web channel: GET / serves the chat page, POST /api/chat runs one turn.
 * `/api/chat` body: {"user": "<key>", "text": "..."} or {"user": "<key>", "choice": "<value>"};
 * response: {"replies", "awaiting", "choices", "suggestions"} (the chat-turn JSON of the CLI).
 * The JSON parser is route-level (express.json with BODY_LIMIT): bad JSON → 400, too large → 413.
 */
import express from 'express';
import type { Engine, Incoming } from '../../core/types.ts';
import { bodyErrorHandler } from '../http.ts';
import { webChatPage } from './page.ts';

/** Longest user key accepted (characters). */
export const MAX_USER_KEY = 128;

/** Reads the /api/chat body into a user key and an incoming message; a string error when invalid. */
export function readChatBody(body: unknown): { user: string; incoming: Incoming } | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object {"user", "text"} or {"user", "choice"}';
  const b = body as Record<string, unknown>;
  if (typeof b.user !== 'string' || !b.user.trim() || b.user.length > MAX_USER_KEY) return `"user" must be a non-empty string of at most ${MAX_USER_KEY} characters`;
  if (typeof b.choice === 'string') return { user: b.user, incoming: { type: 'choice', value: b.choice } };
  if (b.text === undefined || typeof b.text === 'string') return { user: b.user, incoming: { type: 'text', text: (b.text as string | undefined) ?? '' } };
  return '"text" must be a string';
}

/** Mounts GET / and POST /api/chat on `app`. */
export function mountWeb(app: express.Express, deps: { engine: Engine; bodyLimit: string }): void {
  const page = webChatPage();
  app.get('/', (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(page);
  });
  app.post('/api/chat', express.json({ limit: deps.bodyLimit, type: () => true }), async (req, res) => {
    const parsed = readChatBody(req.body);
    if (typeof parsed === 'string') {
      res.status(400).json({ error: parsed });
      return;
    }
    const turn = await deps.engine.handle(`web:${parsed.user}`, parsed.incoming, { channel: 'web' });
    res.json({ replies: turn.replies, awaiting: turn.awaiting, choices: turn.choices, suggestions: turn.suggestions });
  });
  app.use('/api/chat', bodyErrorHandler());
}
