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
import { z } from 'zod';
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

/**
 * The parts of a webhook event the bot reads, validated before use (zod): an event that is not an
 * object, or whose fields have the wrong types, is logged and skipped — the others in the same body
 * are still handled. Unknown fields and event types pass through (LINE adds them over time).
 * Shapes: LINE Messaging API webhook event objects.
 */
const LineEvent = z.looseObject({
  type: z.string().max(64),
  mode: z.string().max(32).optional(),
  webhookEventId: z.string().max(128).optional(),
  replyToken: z.string().max(256).optional(),
  source: z
    .looseObject({
      type: z.string().max(32),
      userId: z.string().max(128).optional(),
      groupId: z.string().max(128).optional(),
      roomId: z.string().max(128).optional(),
    })
    .optional(),
  message: z.looseObject({ type: z.string().max(32), text: z.string().optional() }).optional(),
  postback: z.looseObject({ data: z.string().max(300) }).optional(),
});
type LineEvent = z.infer<typeof LineEvent>;

/** The webhook body: `events` must be an array (each event is checked on its own). */
const LineBody = z.looseObject({ events: z.array(z.unknown()).max(1000) });

/** What the engine should receive for this event, or null for events the bot ignores. */
function toIncoming(event: LineEvent): Incoming | null {
  if (event.type === 'follow') return GREETING;
  if (event.type === 'postback' && event.postback) return { type: 'choice', value: event.postback.data };
  if (event.type === 'message' && event.message?.type === 'text' && typeof event.message.text === 'string') return { type: 'text', text: event.message.text };
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

  async function handleEvent(event: LineEvent): Promise<void> {
    const incoming = toIncoming(event);
    const userKey = lineUserKey(event.source as webhook.Source | undefined);
    const replyToken = event.replyToken;
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
      const body = LineBody.safeParse(req.body);
      if (!body.success) {
        log.warn({ issues: body.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) }, 'LINE webhook body without an events array: ignored');
        res.status(400).json({ error: 'malformed webhook body' });
        return;
      }
      res.status(200).json({});
      // after the 200: one event after another, so a user's messages are answered in order
      void (async () => {
        for (const [i, raw] of body.data.events.entries()) {
          const event = LineEvent.safeParse(raw);
          if (!event.success) {
            log.warn({ index: i, issues: event.error.issues.slice(0, 3).map((x) => `${x.path.join('.')}: ${x.message}`) }, 'malformed LINE event skipped');
            continue;
          }
          await handleEvent(event.data).catch((err) => log.error({ err, webhookEventId: event.data.webhookEventId }, 'LINE event failed'));
        }
      })().catch((err) => log.error({ err }, 'LINE webhook failed'));
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
