/**
 * The operations layer around the conversation engine, the same for every channel:
 *
 * 1. per-user rate limit — over the limit, the turn is answered with intents/ops.yaml `rateLimited`
 *    and the engine is not called;
 * 2. degraded store — when the conversation store failed during the turn (see resilient-store.ts)
 *    and the user was in a dialogue (a button press, a turn that asks a question, or a user this
 *    instance last saw mid-dialogue), the reply starts with `storeUnavailable` (the answer itself is
 *    still given); a plain question is just answered;
 * 3. unanswered log — a free-text turn that ended `answered: false`, and the question before a
 *    「違う」「わからない」 that followed an answer, are written (redacted) to the unanswered log.
 *
 * The engine is looked up per turn (`engine()`), so a knowledge reload takes effect on the next
 * message while the turn in progress finishes with the engine it started with.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ConversationStore, Engine, Incoming, TurnResult } from '../core/types.ts';
import { normalize } from '../text/normalize.ts';
import type { UserRateLimiter } from './rate-limit.ts';
import { runInTurn } from './resilient-store.ts';
import type { UnansweredLog } from './unanswered.ts';
import { rejectionMatcher, type OpsWording } from './wording.ts';

export interface GuardOptions {
  /** the engine of the current knowledge generation, looked up once per turn */
  engine: () => Engine;
  /** wording of the current generation (intents/ops.yaml) */
  wording: () => OpsWording;
  /** the store the engine uses (read before a rejection, to find the question rejected) */
  store: ConversationStore;
  limiter?: UserRateLimiter;
  unanswered?: UnansweredLog;
  logger: Logger;
  /** log turns slower than this, ms (default {@link TURN_BUDGET_MS}) */
  turnBudgetMs?: number;
}

/** A turn taking longer than this (ms, wall clock, store included) is logged as over budget. */
export const TURN_BUDGET_MS = 50;

/** First 16 hex digits of the SHA-256 of a message (for logs: identifies an input without showing it). */
export function inputHash(text: unknown): string {
  return createHash('sha256').update(typeof text === 'string' ? text : String(text)).digest('hex').slice(0, 16);
}

/** A text-only turn result (no choices, no suggestions). */
export function textTurn(text: string): TurnResult {
  return { replies: [{ type: 'text', text }], awaiting: null, choices: [], suggestions: [] };
}

/** How many users' "mid-dialogue" flags an instance remembers for the degraded notice. */
const DIALOGUE_MEMORY = 10_000;

/** Wraps the engine with the rate limit, the degraded-store notice and the unanswered log. */
export function guardEngine(opts: GuardOptions): Engine {
  // users last seen waiting for an answer, oldest first (bounded; only used while the store is down)
  const inDialogue = new Map<string, true>();
  const remember = (userKey: string, awaiting: boolean) => {
    inDialogue.delete(userKey);
    if (!awaiting) return;
    inDialogue.set(userKey, true);
    if (inDialogue.size > DIALOGUE_MEMORY) inDialogue.delete(inDialogue.keys().next().value!);
  };
  let matcherFor: OpsWording | null = null;
  let isRejection: (text: string) => boolean = () => false;
  const rejection = (w: OpsWording, text: string) => {
    if (matcherFor !== w) {
      matcherFor = w;
      isRejection = rejectionMatcher(w.rejections);
    }
    return isRejection(text);
  };

  return {
    async handle(userKey: string, incoming: Incoming, meta?: { channel?: string }): Promise<TurnResult> {
      const wording = opts.wording();
      const channel = meta?.channel ?? userKey.split(':')[0] ?? 'unknown';
      if (opts.limiter) {
        const d = await opts.limiter.hit(userKey);
        if (!d.allowed) {
          if (d.count === d.limit + 1) opts.logger.warn({ channel, limit: d.limit }, 'user rate limit reached');
          return { ...textTurn(wording.rateLimited), rateLimited: { retryAfterSeconds: d.retryAfterSeconds } };
        }
      }
      const text = incoming.type === 'text' && typeof incoming.text === 'string' ? incoming.text : null;
      const rejects = text !== null && rejection(wording, text);
      const before = rejects && opts.unanswered ? await opts.store.get(userKey) : null;

      const engine = opts.engine();
      const wasInDialogue = inDialogue.has(userKey);
      const t0 = performance.now();
      const { value: result, ctx } = await runInTurn(() => engine.handle(userKey, incoming, meta));
      const ms = performance.now() - t0;
      if (ms > (opts.turnBudgetMs ?? TURN_BUDGET_MS)) {
        // never the text: a hash lets an operator reproduce it with the sender's help, nothing more
        const raw = incoming?.type === 'choice' ? incoming.value : incoming?.text;
        opts.logger.warn({ channel, ms: Math.round(ms), chars: typeof raw === 'string' ? raw.length : 0, inputSha256: inputHash(raw) }, 'turn over budget');
      }
      if (ctx.degraded && (wasInDialogue || incoming.type === 'choice' || result.awaiting !== null)) {
        result.replies = [{ type: 'text', text: wording.storeUnavailable }, ...result.replies];
      }
      // while the store is down the real place is unknown: keep telling a user who was in a dialogue
      if (!ctx.degraded || result.awaiting !== null) remember(userKey, result.awaiting !== null);

      if (opts.unanswered) {
        try {
          if (rejects) {
            if (before?.lastQuestion && before.lastAnswered) opts.unanswered.record(channel, 'rejected', before.lastQuestion);
          } else if (text !== null && result.answered === false) {
            const q = result.normalizedText ?? normalize(text);
            if (q) opts.unanswered.record(channel, 'unanswered', q);
          }
        } catch (err) {
          opts.logger.warn({ err }, 'unanswered log write failed');
        }
      }
      return result;
    },
  };
}
