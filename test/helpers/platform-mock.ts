/**
 * A local HTTP server standing in for the platform APIs (LINE Messaging API, Slack Web API and
 * response_url, Bot Framework connector at a serviceUrl). It records every request so tests can
 * assert the outgoing payloads.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface Captured {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** JSON body, or the form fields of an x-www-form-urlencoded body */
  body: any;
}

export interface PlatformMock {
  url: string;
  requests: Captured[];
  /** Resolves with the first recorded request (from index `from`) matching `pred`, or rejects after `ms`. */
  waitFor(pred: (r: Captured) => boolean, opts?: { from?: number; ms?: number }): Promise<Captured>;
  close(): Promise<void>;
}

function parse(raw: Buffer, type: string | undefined): any {
  const text = raw.toString('utf8');
  if (type?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** Resolves when `check()` returns true (polled every 20 ms), or rejects after `ms`. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startPlatformMock(): Promise<PlatformMock> {
  const requests: Captured[] = [];
  const app = express();
  app.use(express.raw({ type: () => true, limit: '5mb' }), (req, _res, next) => {
    requests.push({ method: req.method, path: req.path, headers: req.headers, body: parse(req.body as Buffer, req.headers['content-type']) });
    next();
  });
  // LINE Messaging API
  app.post('/v2/bot/message/reply', (_req, res) => { res.json({ sentMessages: [] }); });
  // Slack Web API
  app.post('/api/auth.test', (_req, res) => { res.json({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'test' }); });
  app.post('/api/chat.postMessage', (req, res) => { res.json({ ok: true, channel: (requests.at(-1)?.body as any)?.channel, ts: `${Date.now() / 1000}` }); });
  app.post('/bad/api/auth.test', (_req, res) => { res.json({ ok: false, error: 'invalid_auth' }); });
  // Slack response_url
  app.post('/slack/response/:id', (_req, res) => { res.send('ok'); });
  // Bot Framework connector
  app.post('/v3/conversations/:cid/activities{/:aid}', (_req, res) => { res.json({ id: `a${requests.length}` }); });
  app.use((_req, res) => { res.status(404).json({ ok: false, error: 'unknown_method' }); });
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    async waitFor(pred, { from = 0, ms = 10_000 } = {}) {
      const until = Date.now() + ms;
      for (;;) {
        const hit = requests.slice(from).find(pred);
        if (hit) return hit;
        if (Date.now() > until) throw new Error(`no matching platform request within ${ms} ms; got: ${requests.slice(from).map((r) => r.path).join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
