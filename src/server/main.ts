/**
 * `npm start`: loads the configuration, the knowledge and its search index, the dialogue engine with
 * its conversation store (in memory, or Redis with REDIS_URL), and serves the web chat, /api/chat,
 * /healthz, /readyz, /admin/* (with ADMIN_TOKEN) and the platform channels on PORT (default 3978).
 * Logs which channels are on and off. Reloads knowledge/ and intents/ when they change and on SIGHUP;
 * stops gracefully on SIGINT/SIGTERM: /readyz answers 503 for SHUTDOWN_DRAIN_MS while requests are
 * still served, then the listener closes, in-flight requests finish, and the process exits within
 * SHUTDOWN_TIMEOUT_MS. `npm start` runs this file with node itself (`node --import tsx`), so a
 * signal sent to the container's command reaches it.
 */
import pino from 'pino';
import { createHttpServer, gracefulShutdown, readinessRoute } from '../ops/http.ts';
import { createOperations } from '../ops/operations.ts';
import { installProcessHandlers } from '../ops/process.ts';
import { preloadTokenizer } from '../text/tokenizer.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

async function main(): Promise<void> {
  // the dictionary is read and decompressed off the main thread while the configuration and knowledge load
  preloadTokenizer();
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  // an unexpected rejection or exception is logged; the server keeps serving (src/ops/process.ts)
  installProcessHandlers(logger);
  const started = Date.now();
  // knowledge runtime (live reload), conversation store (Redis with REDIS_URL), guarded engine
  const ops = await createOperations(config, logger);
  const { kb, search } = ops.runtime.current().value;
  const { app, channels } = await createApp({
    engine: ops.engine,
    store: ops.store,
    config,
    logger,
    rateLimitedText: ops.rateLimitedText,
    rateStore: ops.addressRateStore,
    health: () => ({ knowledgeGeneration: ops.runtime.ready ? ops.runtime.current().generation : 0 }),
    extend: (a) => {
      a.use(readinessRoute(ops.readiness, ops.readinessDetails));
      a.use(ops.admin);
    },
  });
  logger.info({ on: ['web', ...channels.enabled], off: channels.disabled }, `channels on: ${['web', ...channels.enabled].join(', ')}; off: ${channels.disabled.map((d) => d.channel).join(', ') || 'none'}`);
  const server = createHttpServer(app, { requestTimeoutMs: config.REQUEST_TIMEOUT_MS, headersTimeoutMs: config.HEADERS_TIMEOUT_MS });
  server.listen(config.PORT, config.HOST, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
    logger.info({ port, records: kb.records.length, indexBuilt: search.indexBuilt, ms: Date.now() - started }, `やまぐち支援ナビ listening on http://localhost:${port}/ (web chat: on)`);
  });
  // SIGTERM/SIGINT: /readyz turns 503, in-flight requests finish (≤ SHUTDOWN_TIMEOUT_MS), then exit
  const shutdown = gracefulShutdown(server, { logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, drainMs: config.SHUTDOWN_DRAIN_MS, onDrain: ops.drain, cleanup: ops.close });
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // whatever happens, the process is gone within SHUTDOWN_TIMEOUT_MS (a container's grace period)
    setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    void shutdown().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => void ops.runtime.reload('SIGHUP', true));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
