/**
 * Teams (Bot Framework) endpoint against activities as the Teams channel sends them, with a local
 * serviceUrl standing in for the Bot Connector; replies are read from what the bot POSTs there.
 * Without MICROSOFT_APP_ID Teams is off unless TEAMS_EMULATOR=1 (Emulator mode, loopback serviceUrl
 * only); with one, unauthenticated calls get 401.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformMock, type Captured, type PlatformMock } from './helpers/platform-mock.ts';
import { startChannelServer, type ChannelServer } from './helpers/channel-server.ts';

let mock: PlatformMock;
let server: ChannelServer;

function activity(user: string, extra: Record<string, unknown>, conversationType = 'personal') {
  return {
    id: `act-${randomUUID().slice(0, 8)}`,
    channelId: 'msteams',
    serviceUrl: mock.url,
    timestamp: new Date().toISOString(),
    from: { id: `29:${user}`, aadObjectId: `aad-${user}`, name: user },
    recipient: { id: '28:bot', name: 'shien' },
    conversation: { id: `conv-${user}`, conversationType, tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' } },
    locale: 'ja-JP',
    ...extra,
  };
}

function post(body: string | object, headers: Record<string, string> = {}, url = server.url) {
  return fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Posts an activity and returns what the bot sent to the serviceUrl in reply to it. */
async function exchange(act: ReturnType<typeof activity>): Promise<Captured[]> {
  const from = mock.requests.length;
  const res = await post(act);
  expect(res.status).toBe(200);
  await mock.waitFor((r) => r.path.startsWith(`/v3/conversations/${act.conversation.id}/activities`), { from });
  return mock.requests.slice(from).filter((r) => r.path.startsWith(`/v3/conversations/${act.conversation.id}/activities`));
}

const heroButtons = (sent: Captured[]) =>
  sent.flatMap((r) => r.body.attachments ?? []).filter((a: any) => a.contentType === 'application/vnd.microsoft.card.hero').flatMap((a: any) => a.content.buttons);
const adaptiveCards = (sent: Captured[]) =>
  sent.flatMap((r) => r.body.attachments ?? []).filter((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a: any) => a.content);

beforeAll(async () => {
  mock = await startPlatformMock();
  server = await startChannelServer({ TEAMS_EMULATOR: '1' });
});
afterAll(async () => {
  await server?.close();
  await mock?.close();
});

describe('Teams channel (Emulator mode, no app id)', () => {
  it('is on with TEAMS_EMULATOR=1 without MICROSOFT_APP_ID', () => {
    expect(server.mounted.enabled).toContain('teams');
  });

  it('is off by default without credentials, and TEAMS_EMULATOR=1 is refused in production (issue #9, finding 5)', async () => {
    for (const env of [{}, { TEAMS_EMULATOR: '1', NODE_ENV: 'production' }] as Record<string, string>[]) {
      const off = await startChannelServer(env);
      try {
        expect(off.mounted.enabled).not.toContain('teams');
        expect(off.mounted.disabled.find((d) => d.channel === 'teams')?.reason).toMatch(/MICROSOFT_APP_ID/);
        expect((await post(activity('off', { type: 'message', text: '診断する' }), {}, off.url)).status).toBe(404);
      } finally {
        await off.close();
      }
    }
  });

  it('refuses an activity whose serviceUrl is not a loopback address, and posts nothing there (issue #9, finding 5)', async () => {
    const from = mock.requests.length;
    const port = new URL(mock.url).port;
    for (const serviceUrl of ['https://attacker.example/', `http://169.254.169.254:${port}/`, `http://127.0.0.1.nip.io:${port}/`, `http://localhost@10.0.0.1:${port}/`, 'file:///etc/passwd', `http://0.0.0.0:${port}/`]) {
      const res = await post({ ...activity('ssrf', { type: 'message', text: '診断する' }), serviceUrl });
      expect(res.status, serviceUrl).toBe(403);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(mock.requests.slice(from)).toHaveLength(0);
    // the loopback mock is answered (localhost spelled either way)
    const sent = await exchange({ ...activity('loop', { type: 'message', text: '診断する' }), serviceUrl: `http://localhost:${port}` });
    expect(sent.length).toBeGreaterThan(0);
  });

  it('answers a malformed activity with 400 (issue #9, finding 4)', async () => {
    for (const body of ['null', '[]', '{"type":5}', JSON.stringify({ type: 'message', serviceUrl: mock.url }), JSON.stringify({ ...activity('m', { type: 'message' }), conversation: null })]) {
      expect((await post(body)).status, body).toBe(400);
    }
  });

  it('welcomes on conversationUpdate when the bot is added', async () => {
    const sent = await exchange(activity('welcome', { type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] }));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.body.type).toBe('message');
    expect(sent[0]!.body.replyToId).toBeDefined();
  });

  it('asks a diagnosis question as card buttons; presses (message value, invoke) advance it to a programme card', async () => {
    const user = 'diag';
    let sent = await exchange(activity(user, { type: 'message', text: '診断する' }));
    let buttons = heroButtons(sent);
    expect(buttons.length).toBeGreaterThan(0);
    for (const b of buttons) {
      expect(b.type).toBe('messageBack');
      expect(typeof b.value.shienChoice).toBe('string');
    }
    const question = JSON.stringify(sent.map((r) => r.body.attachments));
    let card: any;
    for (let step = 0; step < 12 && !card; step++) {
      expect(buttons[0], 'dialogue ended without a programme card').toBeDefined();
      // Teams sends a messageBack press as a message with text and value; alternate with an invoke
      const press = step % 2 === 0
        ? activity(user, { type: 'message', text: buttons[0].text, value: buttons[0].value })
        : activity(user, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', data: buttons[0].value } } });
      sent = await exchange(press);
      if (step === 0) expect(JSON.stringify(sent.map((r) => r.body.attachments))).not.toBe(question);
      card = adaptiveCards(sent)[0];
      buttons = heroButtons(sent);
    }
    expect(card).toBeDefined();
    expect(card.body[0].text.length).toBeGreaterThan(0); // name
    const facts = card.body.find((b: any) => b.type === 'FactSet')?.facts ?? [];
    expect(facts.length).toBeGreaterThan(0); // key terms
    const text = JSON.stringify(card.body);
    expect(text).toContain('相談先');
    const call = card.actions.find((a: any) => a.type === 'Action.OpenUrl');
    expect(call.title).toBe('電話する');
    expect(call.url).toMatch(/^tel:[0-9+-]+$/);
    expect(text).toContain(call.url.slice(4));
    expect(await server.store.get(`teams:tenant-1:aad-${user}`)).not.toBeNull();
  });

  it('uses card buttons (not suggestedActions) in a channel conversation', async () => {
    const sent = await exchange(activity('chan', { type: 'message', text: '<at>shien</at> 診断する', entities: [{ type: 'mention', mentioned: { id: '28:bot', name: 'shien' }, text: '<at>shien</at>' }] }, 'channel'));
    expect(heroButtons(sent).length).toBeGreaterThan(0);
    expect(sent.every((r) => !r.body.suggestedActions)).toBe(true);
  });

  it('answers a 1 MB body with 413 and malformed JSON with 400, and keeps serving', async () => {
    expect((await post(JSON.stringify({ ...activity('big', { type: 'message', text: 'x' }), pad: 'x'.repeat(1024 * 1024) }))).status).toBe(413);
    expect((await post('{"type":"message",')).status).toBe(400);
    const sent = await exchange(activity('after', { type: 'message', text: '診断する' }));
    expect(heroButtons(sent).length).toBeGreaterThan(0);
  });
});

describe('Teams channel with MICROSOFT_APP_ID', () => {
  let authed: ChannelServer;
  beforeAll(async () => {
    authed = await startChannelServer({ MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'secret', MICROSOFT_APP_TYPE: 'MultiTenant' });
  });
  afterAll(async () => {
    await authed?.close();
  });

  it('rejects activities without a valid Bot Framework token with 401 and sends nothing', async () => {
    const from = mock.requests.length;
    expect((await post(activity('noauth', { type: 'message', text: '診断する' }), {}, authed.url)).status).toBe(401);
    expect((await post(activity('noauth', { type: 'message', text: '診断する' }), { authorization: 'Bearer not-a-jwt' }, authed.url)).status).toBe(401);
    // (a well-formed token signed with a foreign key needs the Bot Framework OpenID keys — network — so it is not tested here)
    await new Promise((r) => setTimeout(r, 200));
    expect(mock.requests.slice(from)).toHaveLength(0);
  });

  it('is off in production without an app id', async () => {
    const prod = await startChannelServer({ NODE_ENV: 'production' });
    try {
      expect(prod.mounted.enabled).not.toContain('teams');
      expect(prod.mounted.disabled.find((d) => d.channel === 'teams')?.reason).toMatch(/MICROSOFT_APP_ID/);
      expect((await post(activity('prod', { type: 'message', text: 'x' }), {}, prod.url)).status).toBe(404);
    } finally {
      await prod.close();
    }
  });
});

describe('Teams: a diagnosis result arrives whole', () => {
  const ONE_SHOT = '山口市阿知須で飲食店を個人でやってます。従業員4人、開業して10年以上の老舗です。店を息子に継がせたい';

  it('in ≤ 3 activities: the texts with the programme carousel, the desks, the next-step buttons', async () => {
    const expected = await server.engine.handle('teams:tenant-1:aad-whole-ref', { type: 'text', text: ONE_SHOT });
    const cards = expected.replies.flatMap((r) => (r.type === 'cards' ? r.cards : []));
    expect(cards.length).toBeGreaterThan(3);
    const act = activity('whole', { type: 'message', text: ONE_SHOT });
    const from = mock.requests.length;
    expect((await post(act)).status).toBe(200);
    await mock.waitFor((r) => r.path.startsWith(`/v3/conversations/${act.conversation.id}/activities`) && JSON.stringify(r.body).includes('intent:restart'), { from });
    const sent = mock.requests.slice(from).filter((r) => r.path.startsWith(`/v3/conversations/${act.conversation.id}/activities`));
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(adaptiveCards(sent).map((c: any) => c.body.find((b: any) => b.weight === 'Bolder' && b.size === 'Medium').text)).toEqual(cards.map((c) => c.title));
    expect(heroButtons(sent).map((b: any) => b.value.shienChoice)).toEqual(['intent:misses', 'intent:change', 'intent:restart']);
    for (const r of sent) if (r.body.text) expect(r.body.text).not.toMatch(/[^\n]\n[^\n]/); // paragraphs, which Teams renders
    expect(JSON.stringify(sent.map((r) => r.body))).not.toMatch(/\d{3} L\d/);
  });
});
