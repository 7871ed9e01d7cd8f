/**
 * Runs the real server (`src/server/main.ts`) as a child process on a free loopback port,
 * for the HTTP bench and the tests that need separate instances, signals and restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/helpers/services.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The API_TOKEN the server is started with (unless `env` sets another): lets tests and the bench name users. */
export const TEST_API_TOKEN = 'local-test-api-token';

/** A running server. `logs` collects its JSON log lines (parsed) as they arrive. */
export interface ServerProcess {
  port: number;
  url: string;
  proc: ChildProcess;
  logs: Record<string, unknown>[];
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** SIGTERM (graceful); SIGKILL after `ms` */
  stop(ms?: number): Promise<number | null>;
}

/**
 * Starts the server with `env` (over a quiet default environment) and waits until /readyz answers 200.
 * @throws Error with the server's output when it exits or is not ready within `timeoutMs`.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', NODE_ENV: 'production', API_TOKEN: TEST_API_TOKEN, RATE_LIMIT_IP_PER_MINUTE: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let output = '';
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      output += l + '\n';
      try {
        logs.push(JSON.parse(l));
      } catch {
        // not a log line
      }
    }
  });
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    if (done) throw new Error(`server exited before it was ready:\n${output.slice(-3000)}`);
    const ok = (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false));
    if (ok) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server not ready after ${timeoutMs} ms:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    proc,
    logs,
    exited,
    stop: async (ms = 15_000) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

