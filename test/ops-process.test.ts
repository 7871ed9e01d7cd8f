import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { installProcessHandlers } from '../src/ops/process.ts';

describe('process-level handlers (issue #9, finding 4)', () => {
  it('log an unhandled rejection and an uncaught exception instead of exiting, and can be removed', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(JSON.parse(String(chunk))), cb()) });
    const proc = new EventEmitter();
    const remove = installProcessHandlers(pino({}, sink), proc);
    proc.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'webhookEventId')"), Promise.resolve());
    proc.emit('uncaughtException', new Error('boom'), 'uncaughtException');
    expect(lines.map((l) => l.msg)).toEqual(['unhandled promise rejection (the server keeps running)', 'uncaught exception (the server keeps running)']);
    expect(JSON.stringify(lines[0].err)).toContain('webhookEventId');
    expect(lines.every((l) => l.level === 50)).toBe(true);
    remove();
    expect(proc.listenerCount('unhandledRejection') + proc.listenerCount('uncaughtException')).toBe(0);
  });
});
