import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp } from './helpers/web-app.ts';

let web: Awaited<ReturnType<typeof startWebApp>>;
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  await web?.close();
});

const chat = (body: unknown, raw?: string) =>
  fetch(`${web.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });

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
    expect((await chat({ text: 'x' })).status).toBe(400);
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
