import { describe, expect, it } from 'vitest';
import type { ConversationState } from '../src/core/types.ts';
import { MemoryConversationStore } from '../src/dialogue/memory-store.ts';

const state = (n: number): ConversationState => ({ version: 1, mode: 'idle', slots: { n }, history: [], awaiting: null, lastResults: [], updatedAt: n });
const put = (store: MemoryConversationStore, key: string, n: number) => store.update(key, async () => ({ state: state(n), result: undefined }));

describe('in-memory store size cap (issue #9, finding 8)', () => {
  it('keeps at most maxConversations, dropping the least recently used first', async () => {
    const store = new MemoryConversationStore({ sweepMs: 0, maxConversations: 100 });
    await put(store, 'active', 0);
    for (let i = 0; i < 1000; i++) {
      await put(store, `flood-${i}`, i);
      if (i % 50 === 0) await store.get('active'); // a user who keeps talking stays
    }
    expect(store.size).toBe(100);
    expect(await store.get('active')).not.toBeNull();
    expect(await store.get('flood-0')).toBeNull();
    expect((await store.get('flood-999'))?.slots).toEqual({ n: 999 });
  });

  it('bounds the redelivery ids too, and still expires by TTL', async () => {
    let now = 0;
    const store = new MemoryConversationStore({ sweepMs: 0, maxConversations: 10, ttlSeconds: 60, now: () => now });
    for (let i = 0; i < 100; i++) expect(await store.markOnce(`ev-${i}`, 60)).toBe(true);
    expect(await store.markOnce('ev-99', 60)).toBe(false);
    await put(store, 'u', 1);
    now += 61_000;
    expect(await store.get('u')).toBeNull();
  });
});
