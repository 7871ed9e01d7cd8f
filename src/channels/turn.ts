/**
 * What every platform adapter (LINE, Slack, Teams) shares: the dependencies it is mounted with,
 * one guarded call into the engine, and small text helpers for platform limits.
 * Nothing here knows a platform; each adapter renders the returned OutgoingMessage[] itself.
 */
import type pino from 'pino';
import type { ConversationStore, Engine, Incoming, OutgoingMessage } from '../core/types.ts';
import type { Config } from '../server/config.ts';

/** What `mountChannels` hands each adapter. */
export interface ChannelDeps {
  engine: Engine;
  store: ConversationStore;
  config: Config;
  logger: pino.Logger;
}

/** Channel names as they appear in user keys (`<channel>:<user id>`) and in the startup log. */
export type ChannelName = 'line' | 'slack' | 'teams';

/**
 * The first turn of a new conversation (LINE follow, Teams members added): the engine is asked
 * with an empty text, which it answers with its greeting and menu (wording lives in intents/*.yaml).
 */
export const GREETING: Incoming = { type: 'text', text: '' };

/** Shown only if the engine breaks its never-throw contract. */
const FALLBACK: OutgoingMessage = {
  type: 'text',
  text: '申し訳ありません、ただいま応答できません。時間をおいてもう一度お試しください。',
};

/**
 * Runs one turn for `userKey` and returns the replies; never throws (an engine error is logged
 * and answered with a short apology).
 */
export async function runTurn(deps: ChannelDeps, channel: ChannelName, userKey: string, incoming: Incoming): Promise<OutgoingMessage[]> {
  try {
    const res = await deps.engine.handle(userKey, incoming, { channel });
    return res.replies.length ? res.replies : [FALLBACK];
  } catch (err) {
    deps.logger.error({ err, channel, userKey }, 'engine failed');
    return [FALLBACK];
  }
}

/**
 * Redelivery guard: true the first time `channel:eventId` is seen within `ttlSeconds` (store.markOnce).
 * A store failure (Redis down) is logged and counts as a first delivery: better a rare duplicate
 * than a lost answer. A missing id is always a first delivery.
 */
export async function firstDelivery(deps: ChannelDeps, channel: ChannelName, eventId: string | undefined, ttlSeconds: number): Promise<boolean> {
  if (!eventId) return true;
  try {
    const first = await deps.store.markOnce(`${channel}:${eventId}`, ttlSeconds);
    if (!first) deps.logger.info({ channel, eventId }, 'redelivered event skipped');
    return first;
  } catch (err) {
    deps.logger.warn({ err, channel, eventId }, 'redelivery check failed; processing the event');
    return true;
  }
}

/**
 * Cuts `text` to at most `max` characters (Unicode code points), ending in '…' when cut.
 * Used for platform limits (LINE quick reply label 20, Slack button 75, …).
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}
