/**
 * The HTTP app (express 5 + pino-http). There is deliberately NO global body parser: the channel
 * adapters (LINE signature over the raw body, Slack, Teams) parse their own bodies, and
 * /api/chat parses JSON at route level (BODY_LIMIT). Routes:
 *   GET /            web chat page          POST /api/chat   one chat turn (JSON)
 *   GET /healthz     liveness and channels  + whatever `mountChannels` and `deps.extend` add.
 * Malformed JSON → 400, a body over BODY_LIMIT → 413, unknown path → 404, all with a JSON error;
 * an error in one request never stops the server.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import helmet from 'helmet';
import type pino from 'pino';
import type { ConversationStore, Engine } from '../core/types.ts';
import { mountWeb } from '../channels/web/index.ts';
import { requestLogging } from '../ops/http.ts';
import { chatLimits } from '../ops/limits.ts';
import type { Store } from 'express-rate-limit';
import type { Config } from './config.ts';

/** What the app is built from. */
export interface AppDeps {
  engine: Engine;
  store: ConversationStore;
  config: Config;
  logger: pino.Logger;
  /** runs right after the request logger, before any route (rate limits, request guards) */
  before?: (app: express.Express) => void;
  /** extra routes (/admin, /readyz …), mounted after the built-in ones and before the 404 handler */
  extend?: (app: express.Express) => void | Promise<void>;
  /** extra fields of GET /healthz */
  health?: () => Record<string, unknown>;
  /** the reply of a request refused by the /api/chat limits (intents/ops.yaml `rateLimited`) */
  rateLimitedText?: () => string;
  /** counter store of the per-address limit (shared in Redis when there is one) */
  rateStore?: Store;
}

const DEFAULT_RATE_LIMITED = '申し訳ありません、短い時間にたくさんのメッセージをいただいたため、少し時間をおいてからもう一度お送りください。';

/** Which platform channels are mounted (from src/channels/mount.ts). */
export interface ChannelsResult {
  enabled: string[];
  disabled: { channel: string; reason: string }[];
}

const MOUNT_MODULE = new URL('../channels/mount.ts', import.meta.url);

/** Mounts the platform channels when src/channels/mount.ts exists; otherwise reports them off. */
async function mountPlatformChannels(app: express.Express, deps: AppDeps): Promise<ChannelsResult> {
  if (!existsSync(fileURLToPath(MOUNT_MODULE))) return { enabled: [], disabled: [{ channel: 'line, slack, teams', reason: 'channel adapters not installed' }] };
  const mod = (await import(MOUNT_MODULE.href)) as {
    mountChannels: (app: express.Express, deps: { engine: Engine; store: ConversationStore; config: Config; logger: pino.Logger }) => Promise<ChannelsResult>;
  };
  return mod.mountChannels(app, { engine: deps.engine, store: deps.store, config: deps.config, logger: deps.logger });
}

/**
 * Builds the app. Channels are mounted before any JSON parser.
 * @returns the app (not listening) and which channels are on/off.
 */
export async function createApp(deps: AppDeps): Promise<{ app: express.Express; channels: ChannelsResult }> {
  const app = express();
  app.disable('x-powered-by');
  // answers to POSTs are never revalidated: no ETag (a hash of every body) is worked out for them
  app.set('etag', false);
  // the client address is the socket's unless the operator says how many proxies stand in front (TRUST_PROXY_HOPS)
  app.set('trust proxy', deps.config.TRUST_PROXY_HOPS > 0 ? deps.config.TRUST_PROXY_HOPS : false);
  // JSON request logs with a request id (X-Request-Id in and out); see src/ops/http.ts
  app.use(requestLogging(deps.logger));
  // security headers on every answer (nosniff, no framing, no referrer, HSTS over HTTPS …); the JSON
  // answers get a CSP that allows nothing, the chat page its own (src/channels/web/index.ts)
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  deps.before?.(app);
  const channels = await mountPlatformChannels(app, deps);
  app.post('/api/chat', ...chatLimits({
    perIpPerMinute: deps.config.RATE_LIMIT_IP_PER_MINUTE,
    maxConcurrent: deps.config.MAX_CONCURRENT_REQUESTS,
    message: deps.rateLimitedText ?? (() => DEFAULT_RATE_LIMITED),
    store: deps.rateStore,
  }));
  mountWeb(app, { engine: deps.engine, bodyLimit: deps.config.BODY_LIMIT, apiToken: deps.config.API_TOKEN, production: deps.config.NODE_ENV === 'production', sessionTtlSeconds: deps.config.CONVERSATION_TTL_SECONDS });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', channels: { web: true, ...Object.fromEntries(channels.enabled.map((c) => [c, true])), ...Object.fromEntries(channels.disabled.map((d) => [d.channel, false])) }, ...(deps.health?.() ?? {}) });
  });
  await deps.extend?.(app);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(((err, req, res, _next) => {
    const status = (err as { status?: number }).status;
    if (status === 400 || status === 413 || status === 415) {
      res.status(status).json({ error: status === 413 ? 'request body too large' : 'malformed request body' });
      return;
    }
    req.log?.error({ err }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  }) as express.ErrorRequestHandler);
  return { app, channels };
}
