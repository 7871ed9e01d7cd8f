import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConversationState, ConversationStore, Engine, Incoming, TurnResult } from '../src/core/types.ts';
import { MemoryConversationStore } from '../src/dialogue/memory-store.ts';
import { guardEngine } from '../src/ops/guard.ts';
import { UserRateLimiter } from '../src/ops/rate-limit.ts';
import { ResilientStore } from '../src/ops/resilient-store.ts';
import { UnansweredLog, readUnanswered } from '../src/ops/unanswered.ts';
import { loadOpsWording, type OpsWording } from '../src/ops/wording.ts';
import { getTokenizer, type Tokenizer } from '../src/text/tokenizer.ts';

const INTENTS = resolve(import.meta.dirname, '..', 'intents');
const silent = pino({ level: 'silent' });
let wording: OpsWording;
let tokenizer: Tokenizer;
beforeAll(async () => {
  wording = loadOpsWording(INTENTS);
  tokenizer = await getTokenizer();
});

const texts = (r: TurnResult) => r.replies.map((m) => ('text' in m ? m.text : '')).filter(Boolean);
const say = (engine: Engine, user: string, text: string) => engine.handle(user, { type: 'text', text }, { channel: user.split(':')[0] });

/**
 * A two-question dialogue kept in the store, like the real engine: 「診断」 asks the industry, the
 * industry choice asks the employees. Records each call.
 */
class StubEngine implements Engine {
  calls: string[] = [];
  constructor(private readonly store: ConversationStore) {}
  handle(userKey: string, incoming: Incoming): Promise<TurnResult> {
    this.calls.push(userKey);
    return this.store.update(userKey, async (prev) => {
      const text = incoming.type === 'text' ? incoming.text : incoming.value;
      let awaiting: string | null = null;
      let reply = `「${text}」についてお答えします。`;
      if (text.includes('診断')) [awaiting, reply] = ['industry', '業種を選んでください'];
      else if (text.startsWith('industry:') && prev?.awaiting === 'industry') [awaiting, reply] = ['employees', '従業員数は？'];
      const state: ConversationState = { version: 1, mode: awaiting ? 'diagnosis' : 'idle', slots: {}, history: [], awaiting, lastResults: [], updatedAt: Date.now() };
      return { state, result: { replies: [{ type: 'text', text: reply }], awaiting, choices: [], suggestions: [] } };
    });
  }
}

/** A store that can be switched off, as Redis going away: every call then rejects. */
class SwitchableStore implements ConversationStore {
  down = false;
  constructor(private readonly inner: ConversationStore) {}
  private check() {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }
  async get(key: string) {
    this.check();
    return this.inner.get(key);
  }
  async update<T>(key: string, fn: (s: ConversationState | null) => Promise<{ state: ConversationState | null; result: T }>) {
    this.check();
    return this.inner.update(key, fn);
  }
  async delete(key: string) {
    this.check();
    return this.inner.delete(key);
  }
  async markOnce(id: string, ttl: number) {
    this.check();
    return this.inner.markOnce(id, ttl);
  }
  async close() {}
}

/** Answers questions containing 補助金, not others; remembers the last question like the real engine. */
class QuestionEngine implements Engine {
  constructor(private readonly store: ConversationStore) {}
  handle(userKey: string, incoming: Incoming): Promise<TurnResult> {
    return this.store.update(userKey, async (prev) => {
      const text = incoming.type === 'text' ? incoming.text : incoming.value;
      const answered = text.includes('補助金');
      const state: ConversationState = {
        version: 1, mode: 'idle', slots: {}, history: [], awaiting: null, lastResults: [], updatedAt: Date.now(),
        ...(prev ?? {}),
        lastQuestion: text,
        lastAnswered: answered,
      };
      return { state, result: { replies: [{ type: 'text', text: answered ? '制度があります' : '見つかりませんでした' }], awaiting: null, choices: [], suggestions: [], answered, normalizedText: text } };
    });
  }
}

describe('per-user rate limit', () => {
  it('answers a user over the limit politely without running the engine; other users are unaffected', async () => {
    const store = new MemoryConversationStore();
    const inner = new StubEngine(store);
    const engine = guardEngine({ engine: () => inner, wording: () => wording, store, limiter: new UserRateLimiter(3), logger: silent });
    for (let i = 0; i < 3; i++) expect(texts(await say(engine, 'line:U1', 'こんにちは'))).not.toContain(wording.rateLimited);
    const limited = await say(engine, 'line:U1', '診断');
    expect(limited).toEqual({ replies: [{ type: 'text', text: wording.rateLimited }], awaiting: null, choices: [], suggestions: [], rateLimited: { retryAfterSeconds: expect.any(Number) } });
    expect(limited.rateLimited!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited.rateLimited!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(inner.calls).toHaveLength(3);
    expect(texts(await say(engine, 'line:U2', '診断'))).toContain('業種を選んでください');
  });

  it('lets messages through again when the window has passed', async () => {
    const store = new MemoryConversationStore();
    const engine = guardEngine({ engine: () => new StubEngine(store), wording: () => wording, store, limiter: new UserRateLimiter(1, 200), logger: silent });
    await say(engine, 'web:a', 'x');
    expect(texts(await say(engine, 'web:a', 'x'))).toEqual([wording.rateLimited]);
    await new Promise((r) => setTimeout(r, 450));
    expect(texts(await say(engine, 'web:a', 'x'))).not.toEqual([wording.rateLimited]);
  });
});

describe('conversation store unreachable', () => {
  it('still answers, tells a user in a dialogue their place was not kept, and recovers when the store returns', async () => {
    const backing = new SwitchableStore(new MemoryConversationStore());
    const store = new ResilientStore(backing, silent);
    const inner = new StubEngine(store);
    const engine = guardEngine({ engine: () => inner, wording: () => wording, store, logger: silent });

    const q1 = await say(engine, 'web:u', '診断');
    expect(q1.awaiting).toBe('industry');
    expect(texts(q1)).not.toContain(wording.storeUnavailable);

    backing.down = true;
    const pick = await engine.handle('web:u', { type: 'choice', value: 'industry:0' }, { channel: 'web' });
    expect(texts(pick)[0]).toBe(wording.storeUnavailable);
    expect(pick.replies.length).toBeGreaterThan(1); // and still a reply from the engine
    const free = await say(engine, 'web:u', '診断');
    expect(texts(free)[0]).toBe(wording.storeUnavailable);
    expect(free.awaiting).toBe('industry');
    expect(store.available).toBe(false);
    expect(await store.markOnce('line:evt', 60)).toBe(true);

    // a plain question from a user who is not in a dialogue is just answered
    const plain = await say(engine, 'web:other', '補助金はある？');
    expect(texts(plain)).toEqual(['「補助金はある？」についてお答えします。']);
    // a user this instance last saw mid-dialogue is told, even when typing
    const typed = await say(engine, 'web:u', '10人');
    expect(texts(typed)[0]).toBe(wording.storeUnavailable);

    backing.down = false;
    const back = await engine.handle('web:u', { type: 'choice', value: 'industry:0' }, { channel: 'web' });
    expect(texts(back)).not.toContain(wording.storeUnavailable);
    expect(back.awaiting).toBe('employees'); // the dialogue state kept before the outage is used again
    expect(store.available).toBe(true);
  });

  it('does not hide an error of the engine itself', async () => {
    const store = new ResilientStore(new MemoryConversationStore(), silent);
    await expect(store.update('k', async () => Promise.reject(new Error('engine bug')))).rejects.toThrow('engine bug');
  });
});

describe('unanswered log from turns', () => {
  it('records unanswered questions and the question before 「違う」, redacted, with the channel', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'guard-log-')), 'unanswered.jsonl');
    const log = new UnansweredLog(path, tokenizer);
    const store = new MemoryConversationStore();
    const engine = guardEngine({ engine: () => new QuestionEngine(store), wording: () => wording, store, unanswered: log, logger: silent });

    await say(engine, 'line:A', '宇宙旅行の支援は？ 090-1111-2222');
    await say(engine, 'slack:T:B', 'IT導入の補助金はある？');
    await say(engine, 'slack:T:B', '違います。');
    await say(engine, 'web:C', '補助金');
    await say(engine, 'web:C', 'ありがとう');
    await log.close();
    const entries = readUnanswered(path).map(({ channel, reason, text }) => ({ channel, reason, text }));
    expect(entries).toEqual([
      { channel: 'line', reason: 'unanswered', text: expect.stringMatching(/^宇宙旅行の支援は？ ?＜電話番号＞$/) },
      { channel: 'slack', reason: 'rejected', text: 'IT導入の補助金はある？' },
      { channel: 'web', reason: 'unanswered', text: 'ありがとう' },
    ]);
  });
});

describe('turn budget (issue #9, finding 2)', () => {
  it('logs a turn over budget with a hash of the input, never the text', async () => {
    const lines: Record<string, unknown>[] = [];
    const { Writable } = await import('node:stream');
    const logger = pino({}, new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) }));
    const store = new MemoryConversationStore({ sweepMs: 0 });
    const slow: Engine = { handle: async () => (await new Promise((r) => setTimeout(r, 30)), { replies: [{ type: 'text', text: 'ok' }], awaiting: null, choices: [], suggestions: [] }) };
    const engine = guardEngine({ engine: () => slow, wording: () => wording, store, logger, turnBudgetMs: 10 });
    await say(engine, 'web:budget', '秘密の相談内容 090-1234-5678');
    const over = lines.find((l) => l.msg === 'turn over budget');
    expect(over).toMatchObject({ channel: 'web', chars: 21 });
    expect(over!.inputSha256).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(lines)).not.toContain('秘密');
  });
});
