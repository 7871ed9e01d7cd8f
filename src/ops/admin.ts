/**
 * `/admin/*` — operator endpoints, behind `Authorization: Bearer <ADMIN_TOKEN>`. Without
 * ADMIN_TOKEN the endpoints are off (404, as if they did not exist).
 *
 * - `POST /admin/reload` — reload knowledge/ and intents/ now. 200 `{ok:true, generation, changed,
 *   durationMs}`; 422 `{ok:false, generation, problems:["file:line:column message", …]}` when the
 *   files fail the check (the last good generation keeps serving).
 * - `GET /admin/status` — `{generation, loadedAt, lastReload, store}`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { formatProblem } from '../knowledge/load.ts';
import type { Runtime } from './runtime.ts';

export interface AdminOptions {
  /** ADMIN_TOKEN; undefined turns the endpoints off */
  token?: string;
  runtime: Runtime<unknown>;
  /** extra status fields (e.g. whether the conversation store is reachable) */
  status?: () => Record<string, unknown>;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Whether an Authorization header carries the bearer `token` (constant-time comparison). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return Boolean(m) && timingSafeEqual(digest(m![1]), digest(token));
}

/** The /admin router (mount at the app root). */
export function adminRouter(opts: AdminOptions): express.Router {
  const router = express.Router();
  if (!opts.token) {
    router.all('/admin/{*rest}', (_req, res) => {
      res.status(404).json({ error: 'not found' });
    });
    return router;
  }
  const token = opts.token;
  router.use('/admin', (req, res, next) => {
    if (bearerMatches(req.get('authorization'), token)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="admin"').status(401).json({ error: 'unauthorized' });
  });
  router.post('/admin/reload', async (_req, res) => {
    const o = await opts.runtime.reload('admin', true);
    res.status(o.ok ? 200 : 422).json({
      ok: o.ok,
      changed: o.changed,
      generation: o.generation,
      durationMs: o.durationMs,
      ...(o.ok ? {} : { error: o.error?.split('\n')[0], problems: o.problems.map(formatProblem) }),
    });
  });
  router.get('/admin/status', (_req, res) => {
    const snap = opts.runtime.ready ? opts.runtime.current() : null;
    const last = opts.runtime.last;
    res.json({
      generation: snap?.generation ?? 0,
      loadedAt: snap?.loadedAt.toISOString() ?? null,
      lastReload: last && { ok: last.ok, reason: last.reason, changed: last.changed, durationMs: last.durationMs, problems: last.problems.map(formatProblem) },
      ...opts.status?.(),
    });
  });
  router.all('/admin/{*rest}', (_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return router;
}
