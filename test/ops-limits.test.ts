import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Engine, TurnResult } from '../src/core/types.ts';
import { MemoryConversationStore } from '../src/dialogue/memory-store.ts';
import { createApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';

const reply = (text: string): TurnResult => ({ replies: [{ type: 'text', text }], awaiting: null, choices: [], suggestions: [] });

/** The app over a stub engine (`hold` ms per turn), listening on a free loopback port. */
async function app(env: Record<string, string>, hold = 0) {
  const engine: Engine = { handle: async () => (hold && (await new Promise((r) => setTimeout(r, hold))), reply('ok')) };
  const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'production', ...env });
  const { app: a } = await createApp({ engine, store: new MemoryConversationStore({ sweepMs: 0 }), config, logger: pino({ level: 'silent' }), rateLimitedText: () => 'しばらくお待ちください' });
  const server = a.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const chat = (headers: Record<string, string> = {}, body: unknown = { text: 'こんにちは' }) =>
    fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { url, chat, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

describe('per-client limits on /api/chat (issue #9, finding 6)', () => {
  it('limits a client address however it changes its user field, session or X-Forwarded-For: 429 with Retry-After', async () => {
    const a = await app({ RATE_LIMIT_IP_PER_MINUTE: '3', API_TOKEN: 't' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await a.chat({ authorization: 'Bearer t', 'x-forwarded-for': `10.0.0.${i}` }, { user: `u${i}`, text: 'x' })).status);
      expect(statuses).toEqual([200, 200, 200]);
      const limited = await a.chat({ 'x-forwarded-for': '10.9.9.9', cookie: 'shien_sid=' + 'b'.repeat(32) });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = await limited.json();
      expect(body.replies).toEqual([{ type: 'text', text: 'しばらくお待ちください' }]);
      // other routes are not limited
      expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
    } finally {
      await a.close();
    }
  });

  it('believes X-Forwarded-For only for the configured number of proxy hops', async () => {
    const a = await app({ RATE_LIMIT_IP_PER_MINUTE: '2', TRUST_PROXY_HOPS: '1' });
    try {
      // behind one proxy: each forwarded client address has its own count
      for (let i = 0; i < 4; i++) expect((await a.chat({ 'x-forwarded-for': `203.0.113.${i}` })).status).toBe(200);
      expect((await a.chat({ 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
      expect((await a.chat({ 'x-forwarded-for': '203.0.113.1' })).status).toBe(429);
      // a client cannot push its own address in front of the proxy's: only the last hop counts
      expect((await a.chat({ 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).status).toBe(429);
    } finally {
      await a.close();
    }
  });

  it('refuses requests over the global concurrency cap with 429 and Retry-After, and serves again after', async () => {
    const a = await app({ MAX_CONCURRENT_REQUESTS: '2', RATE_LIMIT_IP_PER_MINUTE: '1000' }, 300);
    try {
      const all = await Promise.all(Array.from({ length: 5 }, () => a.chat()));
      const statuses = all.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 429, 429, 429]);
      expect(all.find((r) => r.status === 429)!.headers.get('retry-after')).toBe('1');
      expect((await a.chat()).status).toBe(200);
    } finally {
      await a.close();
    }
  });
});
