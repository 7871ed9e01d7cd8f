import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createHttpServer, pathOnly, requestLogging } from '../src/ops/http.ts';

describe('HTTP plumbing (issue #9, finding 10)', () => {
  it('logs request paths without their query strings', async () => {
    const lines: Record<string, any>[] = [];
    const logger = pino({}, new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) }));
    const app = express();
    app.use(requestLogging(logger));
    app.get('/x', (_req, res) => void res.json({}));
    const server = createHttpServer(app, { requestTimeoutMs: 5000, headersTimeoutMs: 5000 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/x?token=secret&name=山田`);
    await new Promise((r) => setTimeout(r, 50));
    server.close();
    const entry = lines.find((l) => l.req?.url);
    expect(entry!.req.url).toBe('/x');
    expect(JSON.stringify(lines)).not.toContain('secret');
    expect(pathOnly('/a/b?c#d')).toBe('/a/b');
    expect(pathOnly('/a#d')).toBe('/a');
  });

  it('closes a connection whose body arrives too slowly, within the request timeout', async () => {
    const app = express();
    app.post('/slow', express.json(), (_req, res) => void res.json({ ok: true }));
    const server = createHttpServer(app, { requestTimeoutMs: 1000, headersTimeoutMs: 1000 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    const t0 = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write('POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
        const drip = setInterval(() => sock.writable && sock.write(' '), 200);
        let got = '';
        sock.on('data', (d) => (got += d.toString()));
        sock.on('close', () => (clearInterval(drip), resolve(got)));
        sock.on('error', () => undefined);
      });
    });
    server.close();
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
