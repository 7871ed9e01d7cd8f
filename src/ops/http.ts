/**
 * HTTP plumbing for running the server for real: structured request logs with a request id,
 * the readiness probe, and graceful shutdown.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * pino-http middleware: one JSON line per request with `reqId`; the id is the incoming
 * `X-Request-Id` when it is a safe token (≤128 of `A-Z a-z 0-9 . _ : -`), else a new UUID, and is
 * echoed in the `X-Request-Id` response header. `req.log` is a child logger carrying it.
 * Headers and query strings are not logged (they carry tokens, signatures, personal data); probe
 * requests are not logged.
 */
export function requestLogging(logger: Logger): express.RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'reqId' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    // no headers in the log: they carry the admin token and the platforms' signatures
    serializers: {
      // the path only: a query string may carry tokens or personal data
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, url: pathOnly(req.url), remoteAddress: req.remoteAddress }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

/** `/path?query#hash` → `/path`. */
export function pathOnly(url: unknown): string {
  const s = typeof url === 'string' ? url : '';
  const i = s.search(/[?#]/);
  return i < 0 ? s : s.slice(0, i);
}

/** Time limits of the HTTP server (ms). */
export interface ServerTimeouts {
  /** the whole request, body included, must arrive within this (REQUEST_TIMEOUT_MS); 408 after */
  requestTimeoutMs: number;
  /** the request headers must arrive within this */
  headersTimeoutMs: number;
  /** an idle keep-alive connection is closed after this */
  keepAliveTimeoutMs?: number;
}

/**
 * The node:http server for `app` with time limits, so a slow client (a body sent a byte a second)
 * holds a socket for at most `requestTimeoutMs` instead of node's 300 s; limits are checked every second.
 */
export function createHttpServer(app: express.Express, t: ServerTimeouts): Server {
  const server = createServer({ requestTimeout: t.requestTimeoutMs, headersTimeout: Math.min(t.headersTimeoutMs, t.requestTimeoutMs), connectionsCheckingInterval: 1000 }, app);
  server.keepAliveTimeout = t.keepAliveTimeoutMs ?? 5000;
  return server;
}

/** One readiness check: resolves true when ready. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

/**
 * `GET /readyz` → 200 `{status:"ready", checks, details}` when every check passes (each has 2 s), else 503
 * `{status:"not ready", checks, details}`; e.g. checks `{knowledge: true, accepting: true, redis: false}`,
 * details (when given) e.g. `{eventLoopDelayMs: {p50, p99, max}}`.
 * (`GET /healthz`, liveness, is the app's own route.)
 */
export function readinessRoute(checks: Record<string, ReadinessCheck>, details?: () => Record<string, unknown>): express.Router {
  const router = express.Router();
  router.get('/readyz', async (_req, res) => {
    const results: Record<string, boolean> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        results[name] = await Promise.race([
          Promise.resolve().then(check).catch(() => false),
          new Promise<boolean>((r) => setTimeout(r, 2000, false).unref()),
        ]);
      }),
    );
    const ok = Object.values(results).every(Boolean);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks: results, ...(details ? { details: details() } : {}) });
  });
  return router;
}

export interface ShutdownOptions {
  logger: Logger;
  /** the whole shutdown (drain, in-flight requests, cleanup) takes at most this long, ms (default 10000) */
  timeoutMs?: number;
  /**
   * how long /readyz answers 503 while the listener still accepts requests, before it closes, ms
   * (default 0): a load balancer polling /readyz stops sending new requests first. Capped at half of timeoutMs.
   */
  drainMs?: number;
  /** called when draining starts (e.g. make /readyz answer 503) */
  onDrain?: () => void;
  /** closes the rest (store, logs, watchers) after the server stopped */
  cleanup?: () => Promise<void>;
}

/** Share of the shutdown timeout kept for `cleanup` after the connections are closed. */
const CLEANUP_SHARE = 0.1;

/**
 * Stops `server` gracefully: marks the instance draining (`onDrain`: /readyz → 503) and keeps
 * serving for `drainMs`, then stops accepting connections, closes idle keep-alive connections,
 * lets in-flight requests finish (until 90 % of `timeoutMs` has passed, then closes what is left)
 * and runs `cleanup`. Idempotent: a second call returns the same promise. The caller should still
 * exit when `timeoutMs` has passed (src/server/main.ts does).
 */
export function gracefulShutdown(server: Server, opts: ShutdownOptions): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => {
    if (done) return done;
    const { logger, timeoutMs = 10_000 } = opts;
    const drainMs = Math.max(0, Math.min(opts.drainMs ?? 0, timeoutMs / 2));
    opts.onDrain?.();
    logger.info({ timeoutMs, drainMs }, 'shutting down: /readyz answers 503, then in-flight requests finish');
    const drained = drainMs > 0 ? new Promise<void>((r) => setTimeout(r, drainMs)) : Promise.resolve();
    done = drained.then(() => new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        logger.warn('shutdown timeout: closing remaining connections');
        server.closeAllConnections();
      }, Math.max(0, timeoutMs * (1 - CLEANUP_SHARE) - drainMs));
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections();
    })).then(async () => {
      try {
        await opts.cleanup?.();
      } catch (err) {
        logger.warn({ err }, 'cleanup after shutdown failed');
      }
      logger.info('shutdown complete');
    });
    return done;
  };
}

/**
 * Event-loop delay of this process (perf_hooks.monitorEventLoopDelay, 20 ms resolution), in ms:
 * p50, p99 and max since the last reset; `snapshot()` returns them and starts a new window every
 * `windowMs` (default 60 s) so one old stall does not stay in the figures forever.
 */
export function eventLoopMonitor(windowMs = 60_000): { snapshot(): { p50: number; p99: number; max: number }; stop(): void } {
  const h = monitorEventLoopDelay({ resolution: 20 });
  h.enable();
  let since = Date.now();
  const ms = (ns: number) => Math.round((Number.isFinite(ns) ? ns : 0) / 1e5) / 10;
  return {
    snapshot() {
      const out = { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
      if (Date.now() - since > windowMs) {
        h.reset();
        since = Date.now();
      }
      return out;
    },
    stop: () => h.disable(),
  };
}
