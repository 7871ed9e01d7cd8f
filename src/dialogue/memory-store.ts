/**
 * In-memory {@link ConversationStore}: one process, state per user key with a TTL (seconds, from
 * CONVERSATION_TTL_SECONDS). `update` calls for the same key run one after another (a promise chain per
 * key), so two messages of one user never interleave. States are stored as JSON text, so whatever
 * works here also works in the Redis store.
 *
 * Memory is bounded: at most `maxConversations` states (default 20,000 — MAX_CONVERSATIONS) and as
 * many remembered event ids are kept; past that the least recently used is dropped (lru-cache), so
 * a flood of new user ids cannot grow the process without limit. A dropped conversation starts
 * afresh on its next message, as an expired one does.
 */
import { LRUCache } from 'lru-cache';
import type { ConversationState, ConversationStore } from '../core/types.ts';

interface Entry {
  json: string;
  expires: number;
}

/** Options: TTL in seconds (default 24 h), size cap, clock for tests, sweep interval (ms, 0 = none). */
export interface MemoryStoreOptions {
  ttlSeconds?: number;
  /** most conversations (and as many redelivery ids) kept; least recently used dropped first (default 20000) */
  maxConversations?: number;
  now?: () => number;
  sweepMs?: number;
}

/** Default of {@link MemoryStoreOptions.maxConversations}. */
export const DEFAULT_MAX_CONVERSATIONS = 20_000;

/** A process-local store; `close()` stops its sweep timer. */
export class MemoryConversationStore implements ConversationStore {
  private readonly states: LRUCache<string, Entry>;
  private readonly seen: LRUCache<string, number>;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(opts: MemoryStoreOptions = {}) {
    this.ttlMs = (opts.ttlSeconds ?? 24 * 3600) * 1000;
    const max = opts.maxConversations ?? DEFAULT_MAX_CONVERSATIONS;
    this.states = new LRUCache<string, Entry>({ max });
    this.seen = new LRUCache<string, number>({ max });
    this.now = opts.now ?? Date.now;
    const sweep = opts.sweepMs ?? 60_000;
    if (sweep > 0) {
      this.timer = setInterval(() => this.sweep(), sweep);
      this.timer.unref();
    }
  }

  /** Number of live conversations (for /healthz and tests). */
  get size(): number {
    this.sweep();
    return this.states.size;
  }

  async get(key: string): Promise<ConversationState | null> {
    const e = this.states.get(key);
    if (!e) return null;
    if (e.expires <= this.now()) {
      this.states.delete(key);
      return null;
    }
    return JSON.parse(e.json) as ConversationState;
  }

  /**
   * Runs `fn` on the key's current state (null when none or expired) after every earlier update of
   * that key has finished, then stores the returned state (null deletes it). Errors of `fn` reject
   * this call only; the chain goes on.
   */
  update<T>(key: string, fn: (state: ConversationState | null) => Promise<{ state: ConversationState | null; result: T }>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.then(async () => {
      const { state, result } = await fn(await this.get(key));
      if (state) this.states.set(key, { json: JSON.stringify(state), expires: this.now() + this.ttlMs });
      else this.states.delete(key);
      return result;
    });
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }

  async delete(key: string): Promise<void> {
    this.states.delete(key);
  }

  async markOnce(id: string, ttlSeconds: number): Promise<boolean> {
    const now = this.now();
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return false;
    this.seen.set(id, now + ttlSeconds * 1000);
    return true;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, e] of this.states) if (e.expires <= now) this.states.delete(k);
    for (const [k, t] of this.seen) if (t <= now) this.seen.delete(k);
  }
}
