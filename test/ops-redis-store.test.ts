import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationState } from '../src/core/types.ts';
import { RedisConversationStore } from '../src/ops/redis-store.ts';
import { requireService, startRedis, type RedisServer } from './helpers/services.ts';

const run = requireService('redis-server', 'apt-get install -y redis-server');

function state(slots: Record<string, unknown>): ConversationState {
  return { version: 1, mode: 'diagnosis', slots, history: [], awaiting: null, lastResults: [], updatedAt: Date.now() };
}

describe.runIf(run)('Redis conversation store', () => {
  let redis: RedisServer;
  let a: RedisConversationStore;
  let b: RedisConversationStore;

  beforeAll(async () => {
    redis = await startRedis();
    a = new RedisConversationStore(redis.url, { ttlSeconds: 60 });
    b = new RedisConversationStore(redis.url, { ttlSeconds: 60 });
    await Promise.all([a.ready(), b.ready()]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('shares state between two store instances and sets a TTL', async () => {
    await a.update('line:u1', async () => ({ state: state({ industry: '製造業' }), result: null }));
    expect((await b.get('line:u1'))?.slots).toEqual({ industry: '製造業' });
    const ttl = await a.redis.ttl('shien:conv:line:u1');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('serialises concurrent turns of one user across instances: no answer is lost', async () => {
    const key = 'slack:T1:U1';
    await a.delete(key);
    const turn = (store: RedisConversationStore, n: number) =>
      store.update(key, async (s) => {
        const answers = [...((s?.slots.answers as number[]) ?? [])];
        await new Promise((r) => setTimeout(r, 5)); // a turn takes time (search, matching)
        answers.push(n);
        return { state: state({ answers }), result: n };
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => turn(i % 2 ? a : b, i)));
    const answers = ((await a.get(key))?.slots.answers as number[]).slice().sort((x, y) => x - y);
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('a lock left behind by a turn whose release failed (Redis paused) blocks the next turn only briefly (issue #9, finding 10)', async () => {
    await a.redis.set('shien:lock:leftover', 'someone-elses-token', 'PX', 2000);
    const t0 = Date.now();
    expect(await b.update('leftover', async () => ({ state: state({ ok: true }), result: 'done' }))).toBe('done');
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('de-duplicates redelivered events across instances', async () => {
    expect(await a.markOnce('line:evt-1', 60)).toBe(true);
    expect(await b.markOnce('line:evt-1', 60)).toBe(false);
    expect(await b.markOnce('line:evt-2', 60)).toBe(true);
  });

  it('fails fast while Redis is down and works again when it returns', async () => {
    await redis.stop();
    const t0 = Date.now();
    await expect(a.update('u-down', async () => ({ state: state({}), result: 1 }))).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await a.ping()).toBe(false);
    await redis.restart();
    await a.ready(10_000);
    expect(await a.update('u-down', async () => ({ state: state({ back: true }), result: 2 }))).toBe(2);
    expect((await a.get('u-down'))?.slots).toEqual({ back: true });
  });
});
