/**
 * Starts the server's app (createApp: request logging, channels, web chat, /healthz, 404 and error
 * handlers) listening on port 0, for the channel integration tests. The engine is the real dialogue
 * engine over knowledge/ and intents/ (search service built once per test worker), with its own
 * in-memory conversation store.
 */
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { ConversationStore, Engine } from '../../src/core/types.ts';
import { loadConfig } from '../../src/server/config.ts';
import type { MountResult } from '../../src/channels/mount.ts';
import { createApp } from '../../src/server/app.ts';
import { loadKnowledgeOrThrow } from '../../src/knowledge/load.ts';
import { createSearchService, type SearchService } from '../../src/search/service.ts';
import { createEngine } from '../../src/dialogue/engine.ts';
import { MemoryConversationStore } from '../../src/dialogue/memory-store.ts';

export interface ChannelServer {
  url: string;
  engine: Engine;
  store: ConversationStore;
  mounted: MountResult;
  close(): Promise<void>;
}

let search: Promise<SearchService> | null = null;

/** The real engine with a fresh store; `wrap` may decorate it (e.g. hold turns to test acks). */
export async function realEngine(store: ConversationStore): Promise<Engine> {
  search ??= createSearchService(loadKnowledgeOrThrow());
  return createEngine({ search: await search, store });
}

export async function startChannelServer(env: Record<string, string>, opts: { wrap?: (e: Engine) => Engine } = {}): Promise<ChannelServer> {
  const config = loadConfig({ LOG_LEVEL: 'silent', BODY_LIMIT: '512kb', ...env });
  const logger = pino({ level: config.LOG_LEVEL });
  const store = new MemoryConversationStore({ sweepMs: 0 });
  const base = await realEngine(store);
  const engine = opts.wrap ? opts.wrap(base) : base;
  const { app, channels: mounted } = await createApp({ engine, store, config, logger });
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    engine,
    store,
    mounted,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
