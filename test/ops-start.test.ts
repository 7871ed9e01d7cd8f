/**
 * `npm start` in a container: SIGTERM sent to the start command (npm) reaches the server, /readyz
 * turns 503 while requests are still served, and the process is gone within SHUTDOWN_TIMEOUT_MS —
 * nothing keeps serving orphaned (issue #9, finding 9).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from './helpers/services.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('npm start and SIGTERM', () => {
  it('SIGTERM to `npm start` drains (/readyz 503 first) and stops the server within SHUTDOWN_TIMEOUT_MS', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production', LOG_LEVEL: 'info',
        WATCH_KNOWLEDGE: '0', UNANSWERED_LOG: join(mkdtempSync(join(tmpdir(), 'start-')), 'u.jsonl'), SHUTDOWN_DRAIN_MS: '1500', SHUTDOWN_TIMEOUT_MS: '6000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a failed test can kill npm and the server together
    });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 100_000;
      while (!(await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) {
        if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`server did not start:\n${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const ready = await (await fetch(`${url}/readyz`)).json();
      expect(ready.details.eventLoopDelayMs).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) });

      const t0 = Date.now();
      proc.kill('SIGTERM'); // to npm, as a container runtime does to its command
      // while draining: /readyz is 503 and the listener still answers
      let sawDraining = false;
      while (Date.now() - t0 < 1200) {
        const r = await fetch(`${url}/readyz`).catch(() => null);
        if (r?.status === 503) {
          sawDraining = true;
          expect((await fetch(`${url}/healthz`)).status).toBe(200);
          break;
        }
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(sawDraining).toBe(true);
      await exited;
      // the server is gone with its command: nothing listens any more
      const stillThere = await fetch(`${url}/healthz`).then(() => true, () => false);
      expect(stillThere).toBe(false);
      expect(Date.now() - t0).toBeLessThan(6000 + 2000);
      expect(out).toContain('shutdown complete');
    } finally {
      if (proc.exitCode === null) {
        try {
          process.kill(-proc.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }, 150_000);
});
