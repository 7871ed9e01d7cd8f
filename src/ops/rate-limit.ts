/**
 * Per-user message rate limit (RATE_LIMIT_PER_MINUTE, default 20 a minute), keyed by the user key
 * (`web:<id>`, `line:<userId>`, `slack:<team>:<user>` …), so it applies the same on every channel —
 * a LINE or Slack webhook request carries other users' messages too, so an HTTP-level limit by
 * address would be wrong there.
 *
 * Counting uses express-rate-limit's store contract: its MemoryStore for one instance, or
 * {@link RedisRateStore} (fixed window, INCR + PEXPIRE) when the instances share Redis. When the
 * counter store fails the message is let through (the limit protects the service; it must not
 * take it down).
 */
import { MemoryStore, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';

/** A user's count in the current window. */
export interface RateDecision {
  allowed: boolean;
  /** messages counted in the current window, including this one */
  count: number;
  limit: number;
  /** seconds until the window ends and the user may send again (≥ 1) */
  retryAfterSeconds: number;
}

/** Counts messages per user key; see the module comment. */
export class UserRateLimiter {
  /**
   * @param limit messages allowed per window (≥ 1)
   * @param windowMs window length, ms (default 60000)
   * @param store counter store (default: a fresh in-process MemoryStore)
   */
  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly store: Store = new MemoryStore(),
  ) {
    void this.store.init?.({ windowMs } as Options);
  }

  /** Counts one message of `userKey` and says whether it is within the limit. Never throws. */
  async hit(userKey: string): Promise<RateDecision> {
    try {
      const { totalHits, resetTime } = await this.store.increment(userKey);
      const left = resetTime ? Math.ceil((resetTime.getTime() - Date.now()) / 1000) : Math.ceil(this.windowMs / 1000);
      return { allowed: totalHits <= this.limit, count: totalHits, limit: this.limit, retryAfterSeconds: Math.max(1, left) };
    } catch {
      return { allowed: true, count: 0, limit: this.limit, retryAfterSeconds: 1 };
    }
  }

  /** Stops the store's timers. */
  async close(): Promise<void> {
    await this.store.shutdown?.();
  }
}

const INCR = `local n = redis.call("incr", KEYS[1])
if n == 1 then redis.call("pexpire", KEYS[1], ARGV[1]) end
return {n, redis.call("pttl", KEYS[1])}`;

/** express-rate-limit store in Redis: a fixed window per key, shared by every instance. */
export class RedisRateStore implements Store {
  windowMs = 60_000;
  readonly localKeys = false;

  /** @param prefix key prefix (default `shien:rate:`) */
  constructor(
    private readonly redis: Redis,
    readonly prefix = 'shien:rate:',
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const k = this.prefix + key;
    const [n, ttl] = await Promise.all([this.redis.get(k), this.redis.pttl(k)]);
    return n === null ? undefined : { totalHits: Number(n), resetTime: new Date(Date.now() + Math.max(0, ttl)) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const [n, ttl] = (await this.redis.eval(INCR, 1, this.prefix + key, String(this.windowMs))) as [number, number];
    return { totalHits: n, resetTime: new Date(Date.now() + Math.max(0, ttl)) };
  }

  async decrement(key: string): Promise<void> {
    await this.redis.decr(this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
