/**
 * Test helpers for external services. A test that needs a service calls `requireService`: when the
 * service is missing it is skipped with a message, unless CI_REQUIRE_SERVICES=1, where it fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** true when CI demands every service (tests fail instead of skipping). */
export const REQUIRE_SERVICES = process.env.CI_REQUIRE_SERVICES === '1';

/** Whether an executable is on PATH. */
export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Decides whether tests needing `cmd` run. Returns true to run; false to skip (with a console
 * message). Throws when the service is missing and CI_REQUIRE_SERVICES=1.
 */
export function requireService(cmd: string, install: string): boolean {
  if (hasCommand(cmd)) return true;
  const msg = `${cmd} not found — install it (${install}) to run these tests`;
  if (REQUIRE_SERVICES) throw new Error(`${msg}; CI_REQUIRE_SERVICES=1 makes this a failure`);
  console.warn(`skipping: ${msg}`);
  return false;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A redis-server process on a loopback port, with no persistence. */
export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
  /** stops and starts the server again on the same port (data lost) */
  restart(): Promise<void>;
}

async function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts redis-server on a free port (call only when requireService('redis-server') is true). */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-'));
  let proc: ChildProcess;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    await waitForPort(port);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
