/**
 * LINE webhook against signed traffic: requests signed exactly as LINE signs them
 * (x-line-signature = base64 HMAC-SHA256 of the raw body with the channel secret), the Messaging
 * API replaced by a local mock that records the reply payloads.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformMock, type PlatformMock } from './helpers/platform-mock.ts';
import { startChannelServer, type ChannelServer } from './helpers/channel-server.ts';

const SECRET = 'line-test-secret';
let mock: PlatformMock;
let server: ChannelServer;

const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

function post(body: string, headers: Record<string, string> = { 'x-line-signature': sign(body) }) {
  return fetch(`${server.url}/webhooks/line`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

let seq = 0;
function event(type: string, extra: Record<string, unknown>, userId = 'U-line-user') {
  return {
    type,
    mode: 'active',
    timestamp: Date.now(),
    source: { type: 'user', userId },
    webhookEventId: `01H${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}`,
    deliveryContext: { isRedelivery: false },
    replyToken: `reply-${++seq}`,
    ...extra,
  };
}
const webhook = (...events: unknown[]) => JSON.stringify({ destination: 'Ubot', events });

/** Sends one event and returns the reply API payload it produced. */
async function send(ev: ReturnType<typeof event>) {
  const from = mock.requests.length;
  const res = await post(webhook(ev));
  expect(res.status).toBe(200);
  const reply = await mock.waitFor((r) => r.path === '/v2/bot/message/reply' && r.body.replyToken === ev.replyToken, { from });
  return reply;
}
const bubblesOf = (flex: any): any[] => (flex.contents.type === 'carousel' ? flex.contents.contents : [flex.contents]);
const hasCallButton = (bubble: any) => (bubble.footer?.contents ?? []).some((b: any) => b.action?.type === 'uri' && b.action.uri.startsWith('tel:'));
const lastMessage = (reply: { body: any }) => reply.body.messages.at(-1);
const quickItems = (reply: { body: any }) => lastMessage(reply).quickReply?.items ?? [];

beforeAll(async () => {
  mock = await startPlatformMock();
  server = await startChannelServer({ LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 'line-token', LINE_API_BASE_URL: mock.url });
});
afterAll(async () => {
  await server?.close();
  await mock?.close();
});

describe('LINE channel', () => {
  it('is enabled by its credentials', () => {
    expect(server.mounted.enabled).toContain('line');
  });

  it('greets a new follower through the reply API with the access token', async () => {
    const reply = await send(event('follow', { follow: { isUnblocked: false } }, 'U-follow'));
    expect(reply.headers.authorization).toBe('Bearer line-token');
    expect(reply.body.messages.length).toBeGreaterThan(0);
    expect(reply.body.messages.length).toBeLessThanOrEqual(5);
    expect(quickItems(reply).length).toBeGreaterThan(0); // the greeting offers its menu as buttons
  });

  it('asks a diagnosis question as quick replies (≤ 13, labels ≤ 20 chars) and a button press advances it', async () => {
    const user = 'U-diagnosis';
    const first = await send(event('message', { message: { id: '1', type: 'text', text: '診断する', quoteToken: 'q' } }, user));
    const items = quickItems(first);
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(13);
    for (const item of items) {
      expect(item.action.type).toBe('postback');
      expect(Array.from(item.action.label as string).length).toBeLessThanOrEqual(20);
      expect(item.action.data.length).toBeLessThanOrEqual(300);
    }
    const question = lastMessage(first).text;
    // press the first button (a postback) until a programme card arrives
    let reply = first;
    let card: any;
    for (let step = 0; step < 12 && !card; step++) {
      const pressed = quickItems(reply)[0];
      expect(pressed, 'dialogue ended without a programme card').toBeDefined();
      reply = await send(event('postback', { postback: { data: pressed.action.data } }, user));
      if (step === 0) expect(reply.body.messages.map((m: any) => m.text ?? m.altText).join()).not.toBe(question);
      card = reply.body.messages.find((m: any) => m.type === 'flex' && bubblesOf(m).some(hasCallButton));
    }
    expect(card).toBeDefined();
    const bubble = bubblesOf(card).find(hasCallButton);
    const texts = JSON.stringify(bubble.body);
    expect(bubble.body.contents[0].text.length).toBeGreaterThan(0); // name
    expect(bubble.body.contents.some((c: any) => c.type === 'box' && c.layout === 'baseline')).toBe(true); // key terms
    expect(texts).toContain('相談先');
    const call = bubble.footer.contents.find((b: any) => b.action.type === 'uri');
    expect(call.action.label).toBe('電話する');
    expect(call.action.uri).toMatch(/^tel:[0-9+-]+$/);
    expect(texts).toContain(call.action.uri.slice(4)); // the phone printed on the card
    expect(card.altText.length).toBeLessThanOrEqual(1500);
  });

  it('processes a redelivered event (same webhookEventId) once', async () => {
    const ev = event('message', { message: { id: '2', type: 'text', text: 'こんにちは', quoteToken: 'q' } }, 'U-redeliver');
    await send(ev);
    const redelivered = { ...ev, deliveryContext: { isRedelivery: true } };
    const from = mock.requests.length;
    expect((await post(webhook(redelivered))).status).toBe(200);
    // a later event from the same user is answered, the redelivery is not
    const next = event('message', { message: { id: '3', type: 'text', text: 'もう一度', quoteToken: 'q' } }, 'U-redeliver');
    await send(next);
    expect(mock.requests.slice(from).filter((r) => r.body?.replyToken === ev.replyToken)).toHaveLength(0);
  });

  it('rejects bad or missing signatures with 401 and processes nothing', async () => {
    const ev = event('message', { message: { id: '4', type: 'text', text: '診断する', quoteToken: 'q' } });
    const body = webhook(ev);
    const before = mock.requests.length;
    expect((await post(body, { 'x-line-signature': sign(body, 'wrong-secret') })).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'x-line-signature': sign(body + ' ') })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(mock.requests.length).toBe(before);
  });

  it('answers a 1 MB body with 413 and malformed JSON with 400, and keeps serving', async () => {
    const big = JSON.stringify({ destination: 'U', events: [], pad: 'x'.repeat(1024 * 1024) });
    expect((await post(big)).status).toBe(413);
    const broken = '{"destination":"U","events":[';
    expect((await post(broken)).status).toBe(400);
    const reply = await send(event('message', { message: { id: '5', type: 'text', text: '診断する', quoteToken: 'q' } }, 'U-after'));
    expect(reply.body.messages.length).toBeGreaterThan(0);
  });

  it('answers every event of a webhook carrying several', async () => {
    const a = event('message', { message: { id: '6', type: 'text', text: '使い方', quoteToken: 'q' } }, 'U-multi-a');
    const b = event('message', { message: { id: '7', type: 'text', text: '診断する', quoteToken: 'q' } }, 'U-multi-b');
    const from = mock.requests.length;
    expect((await post(webhook(a, b))).status).toBe(200);
    for (const ev of [a, b]) await mock.waitFor((r) => r.body?.replyToken === ev.replyToken, { from });
  });

  it('answers the console "Verify" request (no events) with 200', async () => {
    expect((await post(webhook())).status).toBe(200);
  });

  it('skips a null or malformed event (logged), answers the good ones beside it, and keeps running (issue #9, finding 4)', async () => {
    const good = event('message', { message: { id: '8', type: 'text', text: '診断する', quoteToken: 'q' } }, 'U-after-null');
    const from = mock.requests.length;
    for (const body of ['{"events":[null]}', '{"events":[1,"x",[],{"type":5},{"type":"message","source":"U"}]}', '{"events":[{"type":"postback","postback":{"data":7},"replyToken":"r"}]}']) {
      expect((await post(body)).status).toBe(200);
    }
    expect((await post('{"events":"nope"}')).status).toBe(400);
    expect((await post('null')).status).toBe(400);
    expect((await post(webhook(null, { type: 'message' }, good))).status).toBe(200);
    await mock.waitFor((r) => r.body?.replyToken === good.replyToken, { from });
    const reply = await send(event('message', { message: { id: '9', type: 'text', text: 'こんにちは', quoteToken: 'q' } }, 'U-after-null'));
    expect(reply.body.messages.length).toBeGreaterThan(0);
  });

  it('answers prototype names as postback data and as text, never with the error text (issue #9, finding 3)', async () => {
    await send(event('message', { message: { id: '10', type: 'text', text: '診断する', quoteToken: 'q' } }, 'U-proto'));
    for (const data of ['constructor', '__proto__', 'slot:industry:valueOf', 'detail:isPrototypeOf', 'intent:toString']) {
      for (const ev of [event('postback', { postback: { data } }, 'U-proto'), event('message', { message: { id: data, type: 'text', text: data, quoteToken: 'q' } }, 'U-proto')]) {
        const reply = await send(ev);
        expect(JSON.stringify(reply.body.messages)).not.toMatch(/うまく処理できませんでした|応答できません/);
      }
    }
  });

  it("keeps each user's conversation under line:<userId> in the shared store", async () => {
    expect(await server.store.get('line:U-diagnosis')).not.toBeNull();
    expect(await server.store.get('U-diagnosis')).toBeNull();
  });
});

describe('LINE: a diagnosis result arrives whole', () => {
  const ONE_SHOT = '山口市阿知須で飲食店を個人でやってます。従業員4人、開業して10年以上の老舗です。店を息子に継がせたい';

  it('in ≤ 5 messages: every card, the phone as text beside each 電話する, the result buttons as quick replies', async () => {
    const expected = await server.engine.handle('line:U-whole-ref', { type: 'text', text: ONE_SHOT });
    const cards = expected.replies.flatMap((r) => (r.type === 'cards' ? r.cards : []));
    expect(cards.length).toBeGreaterThan(3);
    const reply = await send(event('message', { message: { id: '8', type: 'text', text: ONE_SHOT, quoteToken: 'q' } }, 'U-whole'));
    const messages = reply.body.messages;
    expect(messages.length).toBeLessThanOrEqual(5);
    const bubbles = messages.filter((m: any) => m.type === 'flex').flatMap(bubblesOf);
    expect(bubbles.map((b: any) => b.body.contents.find((c: any) => c.weight === 'bold' && c.size === 'lg').text)).toEqual(cards.map((c) => c.title));
    for (const b of bubbles) {
      for (const call of (b.footer?.contents ?? []).filter((x: any) => x.action.type === 'uri')) {
        expect(call.action.uri).toMatch(/^tel:0\d{1,4}-\d{1,4}-\d{3,4}$/);
        expect(JSON.stringify(b.body)).toContain(`電話: ${call.action.uri.slice(4)}`); // LINE on PC cannot dial: the number is shown
      }
    }
    expect(quickItems(reply).map((i: any) => i.action.data)).toEqual(['intent:misses', 'intent:change', 'intent:restart']);
    // no bubble of its own for 「相談先:」, no opening 「いくつか質問します」 (nothing left to ask)
    const texts = messages.filter((m: any) => m.type === 'text').map((m: any) => m.text);
    for (const t of texts) expect(Array.from(t as string).length).toBeGreaterThan(8);
    expect(texts.join()).not.toContain('いくつか質問します');
    expect(JSON.stringify(messages)).not.toMatch(/\d{3} L\d/);
  });
});
