/**
 * A {@link ConversationStore} in Redis (ioredis), chosen with REDIS_URL, so several server
 * instances behind a load balancer share conversations and redelivery de-duplication.
 *
 * - State: `shien:conv:<userKey>` (JSON), expiring `ttlSeconds` after the last turn.
 * - Turns of one user are serialised with a per-key lock (`SET … NX PX`, released by a
 *   compare-and-delete script), so two instances never lose an answer.
 * - Redis unreachable: commands fail fast (no offline queue, one retry per request) and the
 *   error reaches the caller, which answers without the conversation's place; ioredis keeps
 *   reconnecting in the background and the store works again when Redis returns.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ConversationState, ConversationStore } from '../core/types.ts';

/** Thrown when the lock on a user's conversation cannot be taken in time. */
export class ConversationBusyError extends Error {
  constructor(key: string) {
    super(`conversation ${key} is busy`);
    this.name = 'ConversationBusyError';
  }
}

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface RedisStoreOptions {
  /** conversation expiry after the last turn, seconds (default 86400) */
  ttlSeconds?: number;
  /** key prefix (default `shien:`) */
  prefix?: string;
  /** how long a turn may hold the lock, ms (default 2000: a turn takes ≤ 50 ms; a leftover lock blocks no longer) */
  lockMs?: number;
  /** how long to wait for the lock before giving up, ms (default 2500) */
  waitMs?: number;
}

/** Redis-backed conversation store; see the module comment for the guarantees. */
export class RedisConversationStore implements ConversationStore {
  readonly redis: Redis;
  private readonly ttl: number;
  private readonly prefix: string;
  private readonly lockMs: number;
  private readonly waitMs: number;

  /**
   * @param url redis://host:port/db
   * @param logError called with connection errors (ioredis emits them while reconnecting)
   */
  constructor(url: string, opts: RedisStoreOptions = {}, logError: (err: Error) => void = () => {}) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      commandTimeout: 2000,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.redis.on('error', logError);
    this.ttl = opts.ttlSeconds ?? 86400;
    this.prefix = opts.prefix ?? 'shien:';
    // a turn takes milliseconds: a lock left behind by a turn whose release failed (Redis paused) expires soon
    this.lockMs = opts.lockMs ?? 2_000;
    this.waitMs = opts.waitMs ?? 2_500;
  }

  private k(kind: string, key: string): string {
    return `${this.prefix}${kind}:${key}`;
  }

  /** Resolves when connected (or rejects after `timeoutMs`). */
  async ready(timeoutMs = 3000): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        this.redis.off('ready', ok);
        reject(new Error('redis not ready'));
      }, timeoutMs);
      const ok = () => {
        clearTimeout(t);
        resolve();
      };
      this.redis.once('ready', ok);
    });
  }

  /** true when Redis answers PING. */
  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async get(key: string): Promise<ConversationState | null> {
    const raw = await this.redis.get(this.k('conv', key));
    return raw ? (JSON.parse(raw) as ConversationState) : null;
  }

  async update<T>(
    key: string,
    fn: (state: ConversationState | null) => Promise<{ state: ConversationState | null; result: T }>,
  ): Promise<T> {
    const lockKey = this.k('lock', key);
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    let delay = 10;
    while ((await this.redis.set(lockKey, token, 'PX', this.lockMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new ConversationBusyError(key);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
    try {
      const current = await this.get(key);
      const { state, result } = await fn(current);
      if (state === null) await this.redis.del(this.k('conv', key));
      else await this.redis.set(this.k('conv', key), JSON.stringify(state), 'EX', this.ttl);
      return result;
    } finally {
      await this.redis.eval(RELEASE, 1, lockKey, token).catch(() => undefined);
    }
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.k('conv', key));
  }

  async markOnce(id: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.k('once', id), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
