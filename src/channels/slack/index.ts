/**
 * Slack channel on the server's own express app (no second port): `POST /slack/events` receives
 * Events API callbacks (DMs, app_mention), the `/shien` slash command and button presses.
 * The body is read raw and size-limited (BODY_LIMIT → 413); Bolt's ExpressReceiver verifies the v0
 * signature over it, rejects timestamps older than 5 minutes (401) and malformed bodies (400); a
 * timestamp more than 5 minutes in the future is rejected (401) before Bolt.
 * processBeforeResponse is false: every request is acknowledged before the engine runs, so the
 * 3-second ack never waits on search; the reply goes out afterwards through the Web API or the
 * response_url. Retried events (x-slack-retry-num) are de-duplicated by event_id (store.markOnce).
 */
import express from 'express';
import { z } from 'zod';
import { App, ExpressReceiver, type Logger as BoltLogger, type LogLevel } from '@slack/bolt';
import type pino from 'pino';
import type { Incoming } from '../../core/types.ts';
import { firstDelivery, runTurn, type ChannelDeps } from '../turn.ts';
import { CHOICE_ACTION_PREFIX, renderSlack } from './render.ts';

/** Slack refused the bot token at start-up (auth.test), or could not be reached. */
export class SlackStartupError extends Error {
  constructor(cause: unknown) {
    super(`auth.test failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'SlackStartupError';
  }
}

export const SLACK_PATH = '/slack/events';
export const SLASH_COMMAND = '/shien';
/** How far ahead of this server's clock a Slack request timestamp may be (seconds), as Bolt allows behind. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** Slack retries an event up to 3 times within ≈ 1 hour. */
const DEDUPE_TTL_SECONDS = 2 * 3600;

/** Bolt's logger interface backed by the server's pino logger. */
function boltLogger(log: pino.Logger): BoltLogger {
  let level = 'info' as LogLevel;
  const at = (fn: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => log[fn](msg.map(String).join(' '));
  return {
    debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'),
    setLevel: (l: LogLevel) => { level = l; },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * The fields of a Slack event, command or button press the bot reads, validated (zod) before use:
 * one that does not fit is logged and skipped (Bolt has already checked the signature and timestamp).
 */
const SlackId = z.string().min(1).max(64);
const SlackMessage = z.looseObject({ user: SlackId, text: z.string().max(40_000).optional(), team: SlackId.optional() });
const SlackCommand = z.looseObject({ user_id: SlackId, team_id: SlackId.optional(), text: z.string().max(40_000).optional() });
const SlackButton = z.looseObject({ type: z.literal('button'), value: z.string().max(2000), text: z.looseObject({ text: z.string().max(2000) }).optional() });

/** `slack:<team id>:<user id>` */
export function slackUserKey(team: string | undefined, user: string): string {
  return `slack:${team ?? '-'}:${user}`;
}

/** Removes `<@U123>` mentions of the bot from an app_mention text. */
function stripMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, '').trim();
}

/** The Web API base with its trailing slash, as WebClient expects (https://slack.com/api/). */
function apiUrl(url: string | undefined): string | undefined {
  return url ? (url.endsWith('/') ? url : `${url}/`) : undefined;
}

/**
 * Mounts Slack on `app` after verifying the bot token (auth.test, which also tells Bolt the bot's
 * own ids so it ignores its own messages). Requires SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN.
 * @throws SlackStartupError when auth.test fails (bad token, Slack unreachable): nothing is mounted.
 */
export async function mountSlack(app: express.Express, deps: ChannelDeps): Promise<void> {
  const { config } = deps;
  const signingSecret = config.SLACK_SIGNING_SECRET;
  const token = config.SLACK_BOT_TOKEN;
  if (!signingSecret || !token) throw new Error('SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are required');
  const log = deps.logger.child({ channel: 'slack' });
  const logger = boltLogger(log);
  const router = express.Router();
  // Read the body here (size-limited, drained when too large → 413) and hand Bolt the raw bytes it
  // verifies the signature over (Bolt uses req.rawBody when present).
  // Bolt refuses requests older than 5 minutes; one stamped in the future (a replay kept for later) is refused here
  router.post(SLACK_PATH, (req, res, next) => {
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(ts) && ts > Date.now() / 1000 + MAX_CLOCK_SKEW_SECONDS) {
      log.warn({ skewSeconds: Math.round(ts - Date.now() / 1000) }, 'rejected Slack request: timestamp in the future');
      res.status(401).json({ error: 'request timestamp in the future' });
      return;
    }
    next();
  });
  router.post(SLACK_PATH, express.raw({ type: () => true, limit: config.BODY_LIMIT, verify: (req, _res, buf) => { (req as { rawBody?: Buffer }).rawBody = buf; } }));
  const receiver = new ExpressReceiver({
    signingSecret,
    endpoints: SLACK_PATH,
    router,
    processBeforeResponse: false,
    bodyLimit: config.BODY_LIMIT,
    logger,
  });
  const slack = new App({
    token,
    receiver,
    logger,
    convoStore: false,
    deferInitialization: true,
    clientOptions: { slackApiUrl: apiUrl(config.SLACK_API_URL), retryConfig: { retries: 2 } },
  });

  /** The turn's replies as Slack messages (≤ 50 blocks each; a long result is several, sent in order). */
  const turn = (team: string | undefined, user: string, incoming: Incoming) =>
    runTurn(deps, 'slack', slackUserKey(team, user), incoming).then(renderSlack);
  /** true the first time an event id is seen; Slack's retries of it return false. */
  const first = (eventId: string | undefined) => firstDelivery(deps, 'slack', eventId, DEDUPE_TTL_SECONDS);

  // Direct messages (message.im). Other channels' messages are only answered when the bot is mentioned.
  slack.message(async ({ message, body, say }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined || !('user' in message) || message.bot_id) return;
    const m = SlackMessage.safeParse(message);
    if (!m.success) return void log.warn({ issues: m.error.issues.slice(0, 3) }, 'malformed Slack message event skipped');
    if (!(await first(body.event_id))) return;
    for (const msg of await turn(body.team_id ?? m.data.team, m.data.user, { type: 'text', text: m.data.text ?? '' })) await say(msg);
  });

  slack.event('app_mention', async ({ event, body, say }) => {
    if (!event.user || event.bot_id) return;
    const m = SlackMessage.safeParse(event);
    if (!m.success) return void log.warn({ issues: m.error.issues.slice(0, 3) }, 'malformed Slack app_mention skipped');
    if (!(await first(body.event_id))) return;
    for (const msg of await turn(body.team_id ?? m.data.team, m.data.user, { type: 'text', text: stripMentions(m.data.text ?? '') })) await say(msg);
  });

  slack.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const c = SlackCommand.safeParse(command);
    if (!c.success) return void log.warn({ issues: c.error.issues.slice(0, 3) }, 'malformed Slack command skipped');
    for (const msg of await turn(c.data.team_id, c.data.user_id, { type: 'text', text: c.data.text ?? '' })) await respond({ response_type: 'ephemeral', ...msg });
  });

  slack.action({ type: 'block_actions', action_id: new RegExp(`^${CHOICE_ACTION_PREFIX}`) }, async ({ action, body, ack, respond, say }) => {
    await ack();
    const a = SlackButton.safeParse(action);
    const user = SlackId.safeParse(body.user?.id);
    if (!a.success || !user.success) return void log.warn('malformed Slack button press skipped');
    for (const msg of await turn(body.user.team_id ?? body.team?.id, user.data, { type: 'choice', value: a.data.value, label: a.data.text?.text })) {
      if (body.container?.is_ephemeral || !body.channel) await respond({ response_type: 'ephemeral', replace_original: false, ...msg });
      else await say(msg);
    }
  });

  slack.error(async (err) => {
    log.error({ err }, 'Slack handler failed');
  });

  try {
    await slack.init();
  } catch (err) {
    throw new SlackStartupError(err);
  }
  app.use(router);
}
