/**
 * Everything the server needs to run for real, assembled from the configuration in one call:
 * the conversation store (Redis with REDIS_URL, else in memory — both behind {@link ResilientStore}),
 * the reloadable knowledge {@link Runtime} (watching knowledge/ and intents/), the guarded engine
 * (rate limit, degraded-store notice, unanswered log), the readiness checks and the admin router.
 *
 * Usage (src/server/main.ts):
 * ```ts
 * const ops = await createOperations(config, logger);        // throws when the first load fails
 * app.use(requestLogging(logger));                          // first middleware
 * app.use(readinessRoute(ops.readiness)); app.use(ops.admin);
 * … mount channels / web chat with ops.engine and ops.store …
 * process.on('SIGHUP', () => void ops.runtime.reload('SIGHUP', true));
 * ```
 */
import type express from 'express';
import { MemoryStore } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { ConversationStore, Engine } from '../core/types.ts';
import { MemoryConversationStore } from '../dialogue/memory-store.ts';
import { DEFAULT_KNOWLEDGE_DIR, DEFAULT_SEEDS_DIR, formatProblem } from '../knowledge/load.ts';
import { intentsDir as defaultIntentsDir } from '../search/wording.ts';
import type { Config } from '../server/config.ts';
import { getTokenizer } from '../text/tokenizer.ts';
import { adminRouter } from './admin.ts';
import { generationBuilder, type Generation } from './generation.ts';
import { guardEngine } from './guard.ts';
import { eventLoopMonitor, type ReadinessCheck } from './http.ts';
import { defaultUnansweredLogPath } from './paths.ts';
import { RedisRateStore, UserRateLimiter } from './rate-limit.ts';
import { RedisConversationStore } from './redis-store.ts';
import { ResilientStore } from './resilient-store.ts';
import { Runtime, fingerprintDirs } from './runtime.ts';
import { UnansweredLog } from './unanswered.ts';

export interface Operations {
  runtime: Runtime<Generation>;
  /** the store for the engine and the channels' redelivery de-duplication */
  store: ResilientStore;
  /** the engine every channel calls: current generation, rate-limited, logged */
  engine: Engine;
  /** readiness checks for readinessRoute: knowledge loaded, Redis reachable (when configured), not draining */
  readiness: Record<string, ReadinessCheck>;
  /** counter store of the /api/chat per-address limit: Redis when configured (shared by instances), else undefined (memory) */
  addressRateStore?: RedisRateStore;
  /** intents/ops.yaml `rateLimited` of the current generation */
  rateLimitedText: () => string;
  /** details shown by /readyz: event-loop delay (ms) */
  readinessDetails: () => Record<string, unknown>;
  /** /admin/* (off without ADMIN_TOKEN) */
  admin: express.Router;
  /** marks the instance as draining (/readyz → 503) */
  drain(): void;
  /** stops watching, closes the store, the rate limiter and the unanswered log */
  close(): Promise<void>;
}

/** Folders and switches; defaults come from the configuration and the project layout. */
export interface OperationsOptions {
  knowledgeDir?: string;
  intentsDir?: string;
  seedsDir?: string;
  /** build indexes in a worker thread (default true) */
  worker?: boolean;
}

function throttled(logger: Logger, everyMs: number): (err: Error) => void {
  let last = 0;
  return (err) => {
    if (Date.now() - last < everyMs) return;
    last = Date.now();
    logger.warn({ err: { message: err.message } }, 'redis connection error (retrying in the background)');
  };
}

/**
 * Assembles the operations layer and loads the first generation.
 * @throws Error listing every problem (`file:line:column message`) when the files fail the first load.
 */
export async function createOperations(config: Config, logger: Logger, options: OperationsOptions = {}): Promise<Operations> {
  const knowledgeDir = options.knowledgeDir ?? config.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR;
  const intentsDir = options.intentsDir ?? config.INTENTS_DIR ?? defaultIntentsDir();
  const seedsDir = options.seedsDir ?? DEFAULT_SEEDS_DIR;

  const redis = config.REDIS_URL ? new RedisConversationStore(config.REDIS_URL, { ttlSeconds: config.CONVERSATION_TTL_SECONDS }, throttled(logger, 30_000)) : null;
  const inner: ConversationStore = redis ?? new MemoryConversationStore({ ttlSeconds: config.CONVERSATION_TTL_SECONDS, maxConversations: config.MAX_CONVERSATIONS });
  const store = new ResilientStore(inner, logger);
  if (redis) {
    await redis.ready(3000).catch(() => logger.warn({ url: redactUrl(config.REDIS_URL!) }, 'redis not reachable at startup; answering without conversation state until it is'));
  }

  const runtime: Runtime<Generation> = new Runtime<Generation>({
    logger,
    fingerprint: () => fingerprintDirs([knowledgeDir, intentsDir]),
    build: generationBuilder({ knowledgeDir, intentsDir, seedsDir, store, logger, worker: (): boolean => options.worker !== false && runtime.ready }),
  });
  const first = await runtime.reload('startup');
  if (!first.ok) {
    await store.close();
    throw new Error(`knowledge could not be loaded:\n${first.problems.length ? first.problems.map(formatProblem).join('\n') : first.error}`);
  }
  if (config.WATCH_KNOWLEDGE === '1') runtime.watch([knowledgeDir, intentsDir]);

  const limiter = new UserRateLimiter(config.RATE_LIMIT_PER_MINUTE, 60_000, redis ? new RedisRateStore(redis.redis) : new MemoryStore());
  const unanswered = new UnansweredLog(config.UNANSWERED_LOG ?? defaultUnansweredLogPath(), await getTokenizer(), config.UNANSWERED_LOG_MAX_BYTES);
  const engine = guardEngine({
    engine: () => runtime.current().value.engine,
    wording: () => runtime.current().value.ops,
    store,
    limiter,
    unanswered,
    logger,
  });

  let draining = false;
  const readiness: Record<string, ReadinessCheck> = {
    knowledge: () => runtime.ready,
    accepting: () => !draining,
  };
  if (redis) readiness.redis = () => redis.ping();

  const eventLoop = eventLoopMonitor();
  return {
    runtime,
    store,
    engine,
    readiness,
    readinessDetails: () => ({ eventLoopDelayMs: eventLoop.snapshot() }),
    addressRateStore: redis ? new RedisRateStore(redis.redis, 'shien:iprate:') : undefined,
    rateLimitedText: () => runtime.current().value.ops.rateLimited,
    admin: adminRouter({
      token: config.ADMIN_TOKEN,
      runtime: runtime as Runtime<unknown>,
      status: () => ({ store: redis ? 'redis' : 'memory', storeAvailable: store.available }),
    }),
    drain: () => {
      draining = true;
    },
    close: async () => {
      runtime.close();
      eventLoop.stop();
      await runtime.idle();
      await Promise.allSettled([store.close(), limiter.close(), unanswered.close()]);
    },
  };
}

/** redis://user:secret@host → redis://user:***@host (for logs). */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
