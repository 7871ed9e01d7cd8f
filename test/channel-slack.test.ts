/**
 * Slack on the server's express app against signed traffic: every request carries
 * x-slack-signature = v0=HMAC-SHA256(`v0:<ts>:<raw body>`) and x-slack-request-timestamp, exactly
 * as Slack signs them; the Web API (SLACK_API_URL) and response_url point at a local mock.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/core/types.ts';
import { eventually, startPlatformMock, type Captured, type PlatformMock } from './helpers/platform-mock.ts';
import { startChannelServer, type ChannelServer } from './helpers/channel-server.ts';

const SECRET = 'slack-signing-secret';
let mock: PlatformMock;
let server: ChannelServer;
/** While `gate` is set, the engine waits for it: shows that acks do not wait on the engine. */
let gate: Promise<void> | null = null;
/** Every engine call, in order. */
const calls: { userKey: string; text: string }[] = [];

function signed(body: string, opts: { ts?: number; secret?: string; type?: string; headers?: Record<string, string> } = {}) {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  const sig = `v0=${createHmac('sha256', opts.secret ?? SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return fetch(`${server.url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': opts.type ?? 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': sig, ...opts.headers },
    body,
  });
}

function dm(text: string, user = 'U-dm') {
  const eventId = `Ev${randomUUID().slice(0, 8)}`;
  const body = JSON.stringify({
    token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
    event: { type: 'message', channel_type: 'im', channel: `D-${user}`, user, text, ts: `${Date.now() / 1000}`, team: 'T1' },
  });
  return { body, eventId, channel: `D-${user}` };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

function buttonsOf(msg: Captured): any[] {
  const blocks = typeof msg.body.blocks === 'string' ? JSON.parse(msg.body.blocks) : msg.body.blocks;
  return blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements);
}
const blocksOf = (msg: Captured): any[] => (typeof msg.body.blocks === 'string' ? JSON.parse(msg.body.blocks) : msg.body.blocks);

function press(button: any, user: string, channel: string) {
  const payload = {
    type: 'block_actions', api_app_id: 'A1', token: 'x', trigger_id: 't',
    team: { id: 'T1', domain: 'test' }, user: { id: user, team_id: 'T1' },
    channel: { id: channel, name: 'directmessage' },
    container: { type: 'message', channel_id: channel, message_ts: '1.1', is_ephemeral: false },
    response_url: `${mock.url}/slack/response/${randomUUID()}`,
    actions: [{ type: 'button', action_id: button.action_id, block_id: 'b1', value: button.value, text: button.text, action_ts: `${Date.now() / 1000}` }],
  };
  return signed(form({ payload: JSON.stringify(payload) }), { type: FORM });
}

beforeAll(async () => {
  mock = await startPlatformMock();
  const wrap = (inner: Engine): Engine => ({
    handle: async (userKey, incoming, meta) => {
      calls.push({ userKey, text: incoming.type === 'text' ? incoming.text : incoming.value });
      if (gate) await gate;
      return inner.handle(userKey, incoming, meta);
    },
  });
  server = await startChannelServer({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: `${mock.url}/api` }, { wrap });
});
afterAll(async () => {
  await server?.close();
  await mock?.close();
});

describe('Slack channel', () => {
  it('verifies the bot token at start-up and is enabled', async () => {
    expect(server.mounted.enabled).toContain('slack');
    expect(mock.requests.some((r) => r.path === '/api/auth.test' && r.body.token === 'xoxb-test')).toBe(true);
  });

  it('answers a DM diagnosis with Block Kit buttons; a button press advances to a programme card', async () => {
    const user = 'U-diag';
    const m = dm('診断する', user);
    let from = mock.requests.length;
    expect((await signed(m.body)).status).toBe(200);
    let msg = await mock.waitFor((r) => r.path === '/api/chat.postMessage' && r.body.channel === m.channel, { from });
    expect(msg.headers.authorization).toBe('Bearer xoxb-test');
    expect(msg.body.text.length).toBeGreaterThan(0);
    let buttons = buttonsOf(msg);
    expect(buttons.length).toBeGreaterThan(0);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(buttons.length);
    for (const b of buttons) expect(Array.from(b.text.text as string).length).toBeLessThanOrEqual(75);
    const firstQuestion = JSON.stringify(blocksOf(msg)[0]);
    let header: any;
    for (let step = 0; step < 12 && !header; step++) {
      expect(buttons[0], 'dialogue ended without a programme card').toBeDefined();
      from = mock.requests.length;
      expect((await press(buttons[0], user, m.channel)).status).toBe(200);
      msg = await mock.waitFor((r) => r.path === '/api/chat.postMessage' && r.body.channel === m.channel, { from });
      if (step === 0) expect(JSON.stringify(blocksOf(msg)[0])).not.toBe(firstQuestion);
      header = blocksOf(msg).find((b: any) => b.type === 'header');
      buttons = buttonsOf(msg);
    }
    expect(header.text.text.length).toBeGreaterThan(0); // programme name
    const blocks = blocksOf(msg);
    const fields = blocks.filter((b: any) => b.type === 'section' && b.fields).flatMap((b: any) => b.fields);
    expect(fields.length).toBeGreaterThan(0); // key terms
    expect(fields.length).toBeLessThanOrEqual(10 * blocks.length);
    const text = JSON.stringify(blocks);
    expect(text).toContain('相談先');
    expect(text).toMatch(/電話\*?(?: |\\n)*0\d{1,4}-\d{1,4}-\d{3,4}/);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(await server.store.get(`slack:T1:${user}`)).not.toBeNull();
  });

  it('answers /shien with an ephemeral reply through response_url, after acknowledging at once', async () => {
    let release!: () => void;
    gate = new Promise((r) => { release = r; });
    const responseUrl = `${mock.url}/slack/response/${randomUUID()}`;
    const body = form({ token: 'x', team_id: 'T1', user_id: 'U-cmd', channel_id: 'C1', command: '/shien', text: '診断する', response_url: responseUrl, trigger_id: 't', api_app_id: 'A1' });
    const from = mock.requests.length;
    const res = await signed(body, { type: FORM });
    // the HTTP ack arrived while the engine is still held
    expect(res.status).toBe(200);
    expect(mock.requests.slice(from).some((r) => r.path.startsWith('/slack/response/'))).toBe(false);
    gate = null;
    release();
    const reply = await mock.waitFor((r) => responseUrl.endsWith(r.path), { from });
    expect(reply.body.response_type).toBe('ephemeral');
    expect(reply.body.blocks.some((b: any) => b.type === 'actions')).toBe(true);
  });

  it('answers an app_mention without the mention in the text given to the engine', async () => {
    const from = mock.requests.length;
    const body = JSON.stringify({
      token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev${randomUUID().slice(0, 8)}`, event_time: 1,
      event: { type: 'app_mention', channel: 'C-mention', user: 'U-mention', text: '<@UBOT> 診断する', ts: '1.2', team: 'T1' },
    });
    expect((await signed(body)).status).toBe(200);
    const msg = await mock.waitFor((r) => r.path === '/api/chat.postMessage' && r.body.channel === 'C-mention', { from });
    expect(buttonsOf(msg).length).toBeGreaterThan(0);
  });

  it('does not answer a retried event twice (x-slack-retry-num)', async () => {
    const m = dm('診断する', 'U-retry');
    const from = mock.requests.length;
    expect((await signed(m.body)).status).toBe(200);
    await mock.waitFor((r) => r.path === '/api/chat.postMessage' && r.body.channel === m.channel, { from });
    const retry = await signed(m.body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    // a later, new message of the same user: its turn is queued after any turn the retry started
    const later = dm('ありがとう', 'U-retry');
    expect((await signed(later.body)).status).toBe(200);
    await eventually(() => calls.some((c) => c.userKey === 'slack:T1:U-retry' && c.text === 'ありがとう'));
    expect(calls.filter((c) => c.userKey === 'slack:T1:U-retry').map((c) => c.text)).toEqual(['診断する', 'ありがとう']);
  });

  it('ignores messages posted by bots (its own replies)', async () => {
    const from = mock.requests.length;
    const m = JSON.parse(dm('bot echo', 'U-bot').body);
    m.event.bot_id = 'BBOT';
    m.event.subtype = 'bot_message';
    expect((await signed(JSON.stringify(m))).status).toBe(200);
    await signed(dm('人間です', 'U-bot').body);
    await mock.waitFor((r) => r.path === '/api/chat.postMessage' && r.body.channel === 'D-U-bot', { from });
    expect(mock.requests.slice(from).filter((r) => r.path === '/api/chat.postMessage' && r.body.channel === 'D-U-bot')).toHaveLength(1);
    expect(calls.filter((c) => c.userKey === 'slack:T1:U-bot').map((c) => c.text)).toEqual(['人間です']);
  });

  it('rejects bad signatures and stale timestamps with 401 without processing', async () => {
    const m = dm('診断する', 'U-bad');
    const from = mock.requests.length;
    expect((await signed(m.body, { secret: 'wrong' })).status).toBe(401);
    expect((await signed(m.body, { ts: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    const res = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: m.body });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(mock.requests.slice(from)).toHaveLength(0);
  });

  it('rejects a correctly signed request stamped an hour or a year in the future (issue #9, finding 10)', async () => {
    const m = dm('診断する', 'U-future');
    const from = mock.requests.length;
    const now = Math.floor(Date.now() / 1000);
    for (const ts of [now + 3600, now + 365 * 86400]) expect((await signed(m.body, { ts })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(mock.requests.slice(from)).toHaveLength(0);
    // a small clock skew is fine
    expect((await signed(dm('こんにちは', 'U-future').body, { ts: now + 30 })).status).toBe(200);
  });

  it('escapes user words such as <!channel> in the notification text (issue #9, finding 10)', async () => {
    const m = dm('<!channel> <!here> <@U123> &lt; の補助金', 'U-mention-text');
    const from = mock.requests.length;
    expect((await signed(m.body)).status).toBe(200);
    const msg = await mock.waitFor((r) => r.path === '/api/chat.postMessage' && r.body.channel === m.channel, { from });
    const text = String(msg.body.text);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123>/);
    for (const b of blocksOf(msg)) expect(JSON.stringify(b)).not.toMatch(/<!channel>|<!here>/);
    // whatever a reply quotes of the user's words is escaped in the fallback text too
    const { renderSlack } = await import('../src/channels/slack/render.ts');
    const r = renderSlack([{ type: 'text', text: '「<!channel> 補助金」についての制度は見つかりませんでした' }, { type: 'choices', text: '<!here>?', choices: [{ label: 'a', value: 'b' }] }]);
    expect(r[0]!.text).toBe('「&lt;!channel&gt; 補助金」についての制度は見つかりませんでした\n&lt;!here&gt;?');
  });

  it('answers a 1 MB body with 413 and malformed JSON with 400, and keeps serving', async () => {
    expect((await signed(JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(1024 * 1024) }))).status).toBe(413);
    expect((await signed('{"type":"event_callback",')).status).toBe(400);
    const m = dm('診断する', 'U-after');
    const from = mock.requests.length;
    expect((await signed(m.body)).status).toBe(200);
    await mock.waitFor((r) => r.path === '/api/chat.postMessage' && r.body.channel === m.channel, { from });
  });

  it('answers the Events API url_verification challenge', async () => {
    const res = await signed(JSON.stringify({ token: 'x', challenge: 'abc123', type: 'url_verification' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });
});

describe('Slack start-up', () => {
  it('stays off and says why when auth.test rejects the token', async () => {
    const bad = await startPlatformMock();
    const s = await startChannelServer({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-bad', SLACK_API_URL: `${bad.url}/bad/api` });
    try {
      expect(s.mounted.enabled).not.toContain('slack');
      expect(s.mounted.disabled.find((d) => d.channel === 'slack')?.reason).toMatch(/SLACK_BOT_TOKEN.*invalid_auth/);
      const res = await fetch(`${s.url}/slack/events`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await s.close();
      await bad.close();
    }
  });
});

describe('Slack: a diagnosis result arrives whole', () => {
  const ONE_SHOT = '山口市阿知須で飲食店を個人でやってます。従業員4人、開業して10年以上の老舗です。店を息子に継がせたい';

  it('in messages of ≤ 50 blocks: every card with its 詳しく, the result buttons on the last message', async () => {
    const expected = await server.engine.handle('slack:T1:U-whole-ref', { type: 'text', text: ONE_SHOT });
    const cards = expected.replies.flatMap((r) => (r.type === 'cards' ? r.cards : []));
    expect(cards.length).toBeGreaterThan(3);
    const m = dm(ONE_SHOT, 'U-whole');
    const from = mock.requests.length;
    expect((await signed(m.body)).status).toBe(200);
    const last = await mock.waitFor((r) => r.path === '/api/chat.postMessage' && r.body.channel === m.channel && JSON.stringify(r.body.blocks).includes('intent:restart'), { from });
    const posted = mock.requests.slice(from).filter((r) => r.path === '/api/chat.postMessage' && r.body.channel === m.channel);
    expect(posted.at(-1)).toBe(last);
    for (const p of posted) expect(blocksOf(p).length).toBeLessThanOrEqual(50);
    const all = JSON.stringify(posted.map(blocksOf));
    for (const c of cards) expect(all).toContain(`"detail:${c.id}"`);
    const buttons = posted.flatMap((p) => blocksOf(p).flatMap((b: any) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])])).filter((e: any) => e.type === 'button');
    expect(new Set(buttons.map((b: any) => b.action_id)).size).toBe(buttons.length);
    expect(buttonsOf(last).map((b) => b.value)).toEqual(expect.arrayContaining(['intent:misses', 'intent:change', 'intent:restart']));
    expect(all).not.toContain('表示しきれない');
    expect(all).not.toMatch(/\d{3} L\d/);
  });

  it('echoes what the user typed as typed, with <!channel> escaped in blocks and notification text', async () => {
    const m = dm('<!channel> ＸＹＺ宇宙葬', 'U-echo');
    const from = mock.requests.length;
    expect((await signed(m.body)).status).toBe(200);
    const msg = await mock.waitFor((r) => r.path === '/api/chat.postMessage' && r.body.channel === m.channel, { from });
    expect(JSON.stringify(msg.body)).not.toContain('<!channel>');
    expect(JSON.stringify(blocksOf(msg))).toContain('&lt;!channel&gt; ＸＹＺ宇宙葬');
  });
});
