import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp } from './helpers/web-app.ts';

const API_TOKEN = 'web-test-token';
let web: Awaited<ReturnType<typeof startWebApp>>;
beforeAll(async () => {
  web = await startWebApp({ API_TOKEN });
});
afterAll(async () => {
  await web?.close();
});

/** An integration's request: names its user, with the API token. */
const chat = (body: unknown, raw?: string) =>
  fetch(`${web.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` }, body: raw ?? JSON.stringify(body) });

/** A browser's request: the cookie jar is `jar` (updated from Set-Cookie). */
async function browser(url: string, jar: { cookie?: string }, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...(jar.cookie ? { cookie: jar.cookie } : {}), ...headers }, body: JSON.stringify(body) });
  const set = res.headers.get('set-cookie');
  if (set) jar.cookie = set.split(';')[0];
  return res;
}

describe('HTTP app', () => {
  it('GET / serves the chat page without external assets', async () => {
    const res = await fetch(`${web.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('api/chat');
    expect(html).not.toMatch(/(src|href)=["']https?:/);
  });
  it('POST /api/chat runs a turn with text or a choice and returns the chat-turn JSON', async () => {
    const a = await (await chat({ user: 'h1', text: '診断' })).json();
    expect(Object.keys(a).sort()).toEqual(['awaiting', 'choices', 'replies', 'suggestions']);
    expect(a.awaiting).toBe('purpose');
    const b = await (await chat({ user: 'h1', choice: 'slot:purpose:事業承継' })).json();
    expect(b.awaiting).toBe('industry');
  });
  it('bad JSON → 400, too large → 413, bad fields → 400, unknown path → 404; the server keeps serving', async () => {
    const bad = await chat(null, '{"user":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'malformed request body' });
    const big = await chat({ user: 'h2', text: 'あ'.repeat(100_000) });
    expect(big.status).toBe(413);
    expect((await big.json()).error).toMatch(/too large/);
    expect((await chat({ user: '', text: 'x' })).status).toBe(400);
    expect((await chat({ user: 'h2', text: 5 })).status).toBe(400);
    expect((await fetch(`${web.url}/nope`)).status).toBe(404);
    const ok = await chat({ user: 'h2', text: 'こんにちは' });
    expect(ok.status).toBe(200);
  });
  it('GET /healthz reports the web chat on', async () => {
    const h = await (await fetch(`${web.url}/healthz`)).json();
    expect(h).toMatchObject({ status: 'ok', channels: { web: true } });
  });
});

const sid = (jar: { cookie?: string }) => jar.cookie!.split('=')[1];

describe('web chat sessions (issue #9, finding 7)', () => {
  it('issues a random HttpOnly SameSite session cookie and keeps the conversation under it', async () => {
    const jar: { cookie?: string } = {};
    const first = await browser(web.url, jar, { text: '診断' });
    const set = first.headers.get('set-cookie')!;
    expect(set).toMatch(/^shien_sid=[A-Za-z0-9_-]{32};/);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Max-Age=\d+/);
    expect((await first.json()).awaiting).toBe('purpose');
    const second = await browser(web.url, jar, { text: '事業承継' });
    expect(second.headers.get('set-cookie')).toBeNull(); // the same session goes on
    expect((await second.json()).awaiting).toBe('industry');
    expect((await web.store.get(`web:s:${sid(jar)}`))?.awaiting).toBe('industry');
    // another browser gets another session: it does not see the first one's place
    const other: { cookie?: string } = {};
    const o = await browser(web.url, other, { text: '飲食店' });
    expect(sid(other)).not.toBe(sid(jar));
    expect((await o.json()).awaiting).not.toBe('employees');
  });

  it('a forged or malformed cookie is replaced by a new session', async () => {
    for (const cookie of ['shien_sid=victim', 'shien_sid=' + 'a'.repeat(31), 'shien_sid=../../x', 'other=1']) {
      const jar = { cookie };
      const res = await browser(web.url, jar, { text: 'こんにちは' });
      expect(res.status).toBe(200);
      expect(jar.cookie).toMatch(/^shien_sid=[A-Za-z0-9_-]{32}$/);
    }
  });

  it('the user field is honoured only with the bearer API_TOKEN; a wrong token is 401', async () => {
    // with the token: the integration names the conversation
    await chat({ user: 'victim', text: '診断' });
    expect((await (await chat({ user: 'victim', text: '事業承継' })).json()).awaiting).toBe('industry');
    const before = await web.store.get('web:u:victim');
    // without it: the field is ignored, the caller gets its own session and can neither read nor reset the victim's
    const jar: { cookie?: string } = {};
    const t = await (await browser(web.url, jar, { user: 'victim', text: '飲食店' })).json();
    expect(t.awaiting).not.toBe('employees');
    await browser(web.url, jar, { user: 'victim', text: '最初から' });
    expect(await web.store.get('web:u:victim')).toEqual(before);
    expect(await web.store.get(`web:s:${sid(jar)}`)).not.toBeNull();
    const wrong = await browser(web.url, {}, { user: 'victim', text: 'x' }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(await web.store.get('web:u:victim')).toEqual(before);
  });

  it('without API_TOKEN the user field is open outside production (local tools) and ignored in production', async () => {
    const dev = await startWebApp({ NODE_ENV: 'development' });
    const prod = await startWebApp({ NODE_ENV: 'production' });
    try {
      for (const [app, honoured] of [[dev, true], [prod, false]] as const) {
        await browser(app.url, {}, { user: 'tool', text: '診断' });
        expect((await app.store.get('web:u:tool')) !== null).toBe(honoured);
      }
    } finally {
      await dev.close();
      await prod.close();
    }
  });
});

describe('security headers (issue #9, finding 10)', () => {
  it('the chat page has a CSP allowing only its own inline script and style, no framing, nosniff', async () => {
    const res = await fetch(`${web.url}/`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
    // the hashes are those of the page's own blocks
    const html = await res.text();
    const { createHash } = await import('node:crypto');
    const script = html.match(/<script>([\s\S]*?)<\/script>/)![1];
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });

  it('JSON answers carry a CSP that allows nothing', async () => {
    const res = await chat({ user: 'h9', text: 'こんにちは' });
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
