/**
 * The web channel: GET / serves the chat page, POST /api/chat runs one turn.
 * `/api/chat` body: {"text": "..."} or {"choice": "<value>"} (and, for integrations, "user": "<key>");
 * response: {"replies", "awaiting", "choices", "suggestions"} (the chat-turn JSON of the CLI).
 *
 * Whose conversation a turn belongs to:
 * - the web page: a server-issued session id — 24 random bytes, in the `shien_sid` cookie
 *   (HttpOnly, SameSite=Strict, Secure over HTTPS, Max-Age = CONVERSATION_TTL_SECONDS); a request
 *   without a valid cookie gets a new one. The conversation key is `web:s:<id>`. A client can neither
 *   choose nor read another person's id.
 * - an integration: the body's `user` field (key `web:u:<user>`) is honoured only with
 *   `Authorization: Bearer <API_TOKEN>`; when no API_TOKEN is configured it is honoured outside
 *   NODE_ENV=production (local tools), and ignored in production (the cookie session is used).
 *   A wrong bearer token → 401.
 * The JSON parser is route-level (express.json with BODY_LIMIT): bad JSON → 400, too large → 413.
 */
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import express from 'express';
import helmet from 'helmet';
import type { Engine, Incoming } from '../../core/types.ts';
import { bodyErrorHandler } from '../http.ts';
import { webChatPage } from './page.ts';

/** Name of the web chat's session cookie. */
export const SESSION_COOKIE = 'shien_sid';
/** A session id as issued: 24 random bytes, base64url (32 characters). */
const SESSION_ID = /^[A-Za-z0-9_-]{32}$/;

/** A new random session id (24 bytes from the CSPRNG, base64url). */
export function newSessionId(): string {
  return randomBytes(24).toString('base64url');
}

/** Options of the web channel. */
export interface WebOptions {
  engine: Engine;
  bodyLimit: string;
  /** bearer token that lets an integration name the conversation with `user` */
  apiToken?: string;
  /** NODE_ENV === 'production': without apiToken the `user` field is ignored */
  production?: boolean;
  /** session cookie lifetime, seconds (CONVERSATION_TTL_SECONDS) */
  sessionTtlSeconds?: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** true / false for a bearer token that matches / does not match; null when none was sent. */
function bearer(req: express.Request, token: string | undefined): boolean | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string' || !h.startsWith('Bearer ')) return null;
  if (!token) return false;
  return timingSafeEqual(digest(h.slice(7)), digest(token));
}

/** The session id of the request's cookie when it is one this server could have issued. */
export function sessionOf(req: express.Request): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return null;
  const id = parseCookie(header)[SESSION_COOKIE];
  return id && SESSION_ID.test(id) ? id : null;
}

/** Longest user key accepted (characters). */
export const MAX_USER_KEY = 128;

/**
 * Reads the /api/chat body into the optional `user` key and an incoming message; a string error when
 * invalid (`user`, when present, a non-empty string of at most {@link MAX_USER_KEY} characters).
 */
export function readChatBody(body: unknown): { user: string | null; incoming: Incoming } | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object {"text"} or {"choice"}';
  const b = body as Record<string, unknown>;
  if (b.user !== undefined && (typeof b.user !== 'string' || !b.user.trim() || b.user.length > MAX_USER_KEY)) return `"user" must be a non-empty string of at most ${MAX_USER_KEY} characters`;
  const user = typeof b.user === 'string' ? b.user : null;
  if (typeof b.choice === 'string') return { user, incoming: { type: 'choice', value: b.choice } };
  if (b.text === undefined || typeof b.text === 'string') return { user, incoming: { type: 'text', text: (b.text as string | undefined) ?? '' } };
  return '"text" must be a string';
}

/**
 * Content-Security-Policy directives for the chat page: nothing but its own inline style and script
 * (allowed by their SHA-256), requests to this origin, no framing by any site (helmet format).
 */
export function pageCspDirectives(html: string): Record<string, string[]> {
  const hashes = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
  return {
    defaultSrc: ["'none'"],
    scriptSrc: hashes('script'),
    styleSrc: hashes('style'),
    connectSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  };
}

/** Mounts GET / and POST /api/chat on `app`. */
export function mountWeb(app: express.Express, deps: WebOptions): void {
  const page = webChatPage();
  const csp = helmet.contentSecurityPolicy({ useDefaults: false, directives: pageCspDirectives(page) });
  app.get('/', csp, (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(page);
  });
  app.post('/api/chat', express.json({ limit: deps.bodyLimit, type: () => true }), async (req, res) => {
    const auth = bearer(req, deps.apiToken);
    if (auth === false) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'invalid API token' });
      return;
    }
    const parsed = readChatBody(req.body);
    if (typeof parsed === 'string') {
      res.status(400).json({ error: parsed });
      return;
    }
    const named = parsed.user !== null && (auth === true || (!deps.apiToken && !deps.production));
    let key: string;
    if (named) key = `web:u:${parsed.user}`;
    else {
      let sid = sessionOf(req);
      if (!sid) {
        sid = newSessionId();
        res.cookie(SESSION_COOKIE, sid, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: (deps.sessionTtlSeconds ?? 86400) * 1000 });
      }
      key = `web:s:${sid}`;
    }
    res.locals.userKey = key;
    const turn = await deps.engine.handle(key, parsed.incoming, { channel: 'web' });
    // the per-session limit refuses like the per-address one: 429, Retry-After, the polite reply in the body
    if (turn.rateLimited) res.status(429).set('Retry-After', String(turn.rateLimited.retryAfterSeconds));
    res.json({ replies: turn.replies, awaiting: turn.awaiting, choices: turn.choices, suggestions: turn.suggestions });
  });
  app.use('/api/chat', bodyErrorHandler());
}
