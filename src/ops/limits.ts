/**
 * HTTP-level limits for the public chat endpoint (POST /api/chat), on top of the per-user message
 * limit of guard.ts (which counts every channel's user keys, the web chat's session included, and
 * answers politely within the chat):
 *
 * 1. per client address: RATE_LIMIT_IP_PER_MINUTE requests a minute per IP (express-rate-limit;
 *    IPv6 grouped by /56). A client that drops its session cookie or changes the `user` field on
 *    every request is still one address. The address is the socket's unless TRUST_PROXY_HOPS > 0
 *    (see src/server/app.ts `trust proxy`): X-Forwarded-For is never believed by default.
 * 2. global concurrency: at most MAX_CONCURRENT_REQUESTS chat requests are in the engine at once;
 *    more are refused at once rather than queued (a burst cannot pile up latency for everyone).
 *
 * Both answer 429 with `Retry-After` (seconds) and a chat-turn JSON body whose one text reply is
 * intents/ops.yaml `rateLimited`, so the web page shows it like any answer.
 */
import type express from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';

export interface ChatLimitOptions {
  /** requests per minute per client address (≥ 1) */
  perIpPerMinute: number;
  /** chat requests in progress at once, across all clients (≥ 1) */
  maxConcurrent: number;
  /** the reply text of a refused request (ops.yaml `rateLimited`) */
  message: () => string;
  /** counter store (default: in-process memory; RedisRateStore to share between instances) */
  store?: Store;
}

const turn = (text: string) => ({ replies: [{ type: 'text', text }], awaiting: null, choices: [], suggestions: [] });

/** The middleware chain for POST /api/chat: address limit, then the concurrency cap. */
export function chatLimits(opts: ChatLimitOptions): express.RequestHandler[] {
  const perIp = rateLimit({
    windowMs: 60_000,
    limit: opts.perIpPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown', 56)}`,
    // the default: X-Forwarded-For is ignored deliberately unless TRUST_PROXY_HOPS is set
    validate: { xForwardedForHeader: false },
    // the counter store failing (Redis down) lets the request through: the limit must not take the service down
    passOnStoreError: true,
    handler: (_req, res, _next, options) => {
      res.status(429).json({ error: 'too many requests', ...turn(opts.message()) });
      void options;
    },
    ...(opts.store ? { store: opts.store } : {}),
  });
  let inFlight = 0;
  const concurrency: express.RequestHandler = (req, res, next) => {
    if (inFlight >= opts.maxConcurrent) {
      req.log?.warn({ inFlight }, 'chat concurrency cap reached');
      res.status(429).set('Retry-After', '1').json({ error: 'server busy', ...turn(opts.message()) });
      return;
    }
    inFlight++;
    let done = false;
    const release = () => {
      if (!done) (done = true), inFlight--;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
  return [perIp, concurrency];
}
