/**
 * LINE channel: `POST /webhooks/line`.
 * The body is read raw (size-limited by BODY_LIMIT → 413), its `x-line-signature` is checked by the
 * SDK's middleware over the raw bytes before any JSON parsing (bad or missing → 401, nothing
 * processed; malformed JSON → 400). The webhook is answered 200 at once, then its events are handled
 * in order (events in standby mode are left to the active module channel):
 * text and postback → engine turn; follow → greeting; replies go out through the reply API.
 * A redelivered event (same webhookEventId) is processed once (store.markOnce).
 */
import express from 'express';
import { JSONParseError, messagingApi, middleware, SignatureValidationFailed, type webhook } from '@line/bot-sdk';
import type { Incoming } from '../../core/types.ts';
import { firstDelivery, GREETING, runTurn, type ChannelDeps } from '../turn.ts';
import { renderLine } from './render.ts';

export const LINE_PATH = '/webhooks/line';
/** How long a webhookEventId is remembered for redelivery de-duplication (LINE redelivers for ≈ 1 day). */
const DEDUPE_TTL_SECONDS = 2 * 24 * 3600;

/** The user key for a LINE event source: `line:<userId>` (group/room id when the user id is withheld). */
export function lineUserKey(source: webhook.Source | undefined): string | null {
  if (!source) return null;
  const id = source.userId ?? (source.type === 'group' ? source.groupId : source.type === 'room' ? source.roomId : undefined);
  return id ? `line:${id}` : null;
}

/** What the engine should receive for this event, or null for events the bot ignores. */
function toIncoming(event: webhook.Event): Incoming | null {
  if (event.type === 'follow') return GREETING;
  if (event.type === 'postback') return { type: 'choice', value: event.postback.data };
  if (event.type === 'message' && event.message.type === 'text') return { type: 'text', text: event.message.text };
  return null;
}

/**
 * Mounts the LINE webhook on `app`. Requires LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN.
 * @throws Error when either credential is missing (mountChannels checks before calling).
 */
export function mountLine(app: express.Express, deps: ChannelDeps): void {
  const { config, logger } = deps;
  const secret = config.LINE_CHANNEL_SECRET;
  const token = config.LINE_CHANNEL_ACCESS_TOKEN;
  if (!secret || !token) throw new Error('LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN are required');
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: token, baseURL: config.LINE_API_BASE_URL });
  const log = logger.child({ channel: 'line' });

  async function handleEvent(event: webhook.Event): Promise<void> {
    const incoming = toIncoming(event);
    const userKey = lineUserKey(event.source);
    const replyToken = 'replyToken' in event ? event.replyToken : undefined;
    // standby: another module channel owns the chat and replies
    if (!incoming || !userKey || !replyToken || event.mode === 'standby') return;
    if (!(await firstDelivery(deps, 'line', event.webhookEventId, DEDUPE_TTL_SECONDS))) return;
    const replies = await runTurn(deps, 'line', userKey, incoming);
    await client.replyMessage({ replyToken, messages: renderLine(replies) });
  }

  const router = express.Router();
  router.post(
    LINE_PATH,
    express.raw({ type: () => true, limit: config.BODY_LIMIT }),
    middleware({ channelSecret: secret }),
    (req: express.Request, res: express.Response) => {
      const events: webhook.Event[] = Array.isArray(req.body?.events) ? req.body.events : [];
      res.status(200).json({});
      // after the 200: one event after another, so a user's messages are answered in order
      void (async () => {
        for (const event of events) {
          await handleEvent(event).catch((err) => log.error({ err, webhookEventId: event.webhookEventId }, 'LINE event failed'));
        }
      })();
    },
  );
  router.use(LINE_PATH, (err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (err instanceof SignatureValidationFailed) {
      log.warn('rejected webhook: signature validation failed');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    if (err instanceof JSONParseError) {
      res.status(400).json({ error: 'malformed JSON' });
      return;
    }
    next(err);
  });
  app.use(router);
}
