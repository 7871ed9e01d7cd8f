/**
 * Keeps the bot answering when the shared conversation store (Redis) is unreachable.
 *
 * {@link ResilientStore} wraps a {@link ConversationStore}: when the store fails, `update` runs the
 * turn on a fresh conversation (state `null`) instead of failing, `get` returns null, `markOnce`
 * lets the event through (a rare duplicate reply beats a lost message), and the turn is marked
 * degraded in {@link turnContext} so the caller can tell the user their place was not kept.
 * Nothing is queued: each call fails fast (the Redis store has no offline queue) and the next
 * call tries the store again, so service resumes as soon as it returns.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { ConversationState, ConversationStore } from '../core/types.ts';

/** Per-turn flags set by the store wrapper. */
export interface TurnContext {
  /** the conversation's state could not be read or saved this turn */
  degraded: boolean;
}

/** The context of the turn running now (see {@link runInTurn}). */
export const turnContext = new AsyncLocalStorage<TurnContext>();

/** Runs `fn` with a fresh {@link TurnContext}; returns its result and the context. */
export async function runInTurn<T>(fn: () => Promise<T>): Promise<{ value: T; ctx: TurnContext }> {
  const ctx: TurnContext = { degraded: false };
  const value = await turnContext.run(ctx, fn);
  return { value, ctx };
}

/** A {@link ConversationStore} that degrades instead of failing; see the module comment. */
export class ResilientStore implements ConversationStore {
  private healthy = true;

  constructor(
    private readonly inner: ConversationStore,
    private readonly logger: Logger,
  ) {}

  /** false after a store error, until a call succeeds again. */
  get available(): boolean {
    return this.healthy;
  }

  private failed(err: unknown, op: string): void {
    const ctx = turnContext.getStore();
    if (ctx) ctx.degraded = true;
    if (this.healthy) this.logger.warn({ err, op }, 'conversation store unavailable: answering without conversation state');
    this.healthy = false;
  }

  private succeeded(): void {
    if (!this.healthy) this.logger.info('conversation store reachable again');
    this.healthy = true;
  }

  async get(key: string): Promise<ConversationState | null> {
    try {
      const s = await this.inner.get(key);
      this.succeeded();
      return s;
    } catch (err) {
      this.failed(err, 'get');
      return null;
    }
  }

  /**
   * Runs `fn` under the store's per-user serialisation. When the store fails before `fn` ran,
   * `fn` runs on a fresh conversation (null) and its new state is dropped; when it fails after
   * (saving), `fn`'s result is returned unsaved. An error thrown by `fn` itself propagates.
   */
  async update<T>(key: string, fn: (state: ConversationState | null) => Promise<{ state: ConversationState | null; result: T }>): Promise<T> {
    let ran = false;
    let out: { result: T } | undefined;
    try {
      const result = await this.inner.update(key, async (state) => {
        ran = true;
        const r = await fn(state);
        out = r;
        return r;
      });
      this.succeeded();
      return result;
    } catch (err) {
      if (ran && out === undefined) throw err;
      this.failed(err, 'update');
      if (out) return out.result;
      return (await fn(null)).result;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.inner.delete(key);
      this.succeeded();
    } catch (err) {
      this.failed(err, 'delete');
    }
  }

  async markOnce(id: string, ttlSeconds: number): Promise<boolean> {
    try {
      const first = await this.inner.markOnce(id, ttlSeconds);
      this.succeeded();
      return first;
    } catch (err) {
      this.failed(err, 'markOnce');
      return true;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
