/** Starts the HTTP app (web chat, /api/chat) over the fixture knowledge on a free port. */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import type { MemoryConversationStore } from '../../src/dialogue/memory-store.ts';
import { engineFor, fixtureKb } from './engine-fixture.ts';

export async function startWebApp(env: NodeJS.ProcessEnv = {}): Promise<{ url: string; store: MemoryConversationStore; close: () => Promise<void> }> {
  const { engine, store } = await engineFor(fixtureKb());
  const config = loadConfig({ BODY_LIMIT: '64kb', NODE_ENV: 'production', ...env });
  const { app } = await createApp({ engine, store, config, logger: pino({ level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, store, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
