/**
 * Live knowledge reload: a {@link Runtime} holds the current generation of everything built from
 * `knowledge/` and `intents/` (knowledge base, search index, engine) and replaces it atomically.
 *
 * - `reload()` validates and builds a new generation while the current one keeps serving; on
 *   success the reference is swapped in one assignment, on failure the last good generation stays
 *   and every problem is logged as `file:line:column message`.
 * - A request takes `runtime.current()` once and uses that generation to the end, so a swap never
 *   changes what an in-flight request sees.
 * - Reloads are serialised: a reload asked for while one runs is coalesced into one follow-up run.
 * - `watch()` reloads after files under the watched folders change (debounced); a change that
 *   leaves the files' fingerprint unchanged (touch, editor temp files) does nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { relative } from 'node:path';
import type { Logger } from 'pino';
import { checkIntegrity, readSources } from '../knowledge/check.ts';
import { formatProblem, listYamlFiles, loadKnowledge, type KnowledgeBase, type KnowledgeProblem } from '../knowledge/load.ts';

/** A failed build, with the located problems (from the knowledge check) when there are any. */
export class ReloadError extends Error {
  constructor(
    message: string,
    readonly problems: KnowledgeProblem[] = [],
  ) {
    super(message);
    this.name = 'ReloadError';
  }
}

/** One built generation. `generation` counts from 1 (the first successful load). */
export interface Snapshot<T> {
  readonly generation: number;
  readonly loadedAt: Date;
  /** fingerprint of the files it was built from */
  readonly fingerprint: string;
  readonly value: T;
}

/** What a reload did. `changed` false: the files were unchanged (nothing built) or the build failed. */
export interface ReloadOutcome {
  ok: boolean;
  changed: boolean;
  /** the generation serving after this reload (0 = none loaded yet) */
  generation: number;
  reason: string;
  durationMs: number;
  problems: KnowledgeProblem[];
  error?: string;
}

export interface RuntimeOptions<T> {
  /** Builds a generation from the files. Throws {@link ReloadError} (or any Error) when they are not usable. */
  build: () => Promise<T>;
  /** A cheap fingerprint of the files `build` reads (see {@link fingerprintDirs}). */
  fingerprint: () => string;
  logger: Logger;
  /** Called with the old generation after a swap (e.g. to release its resources); errors are logged. */
  retire?: (old: Snapshot<T>) => void;
}

/** Thrown by {@link Runtime.current} before the first successful load. */
export class NotReadyError extends Error {
  constructor() {
    super('knowledge not loaded yet');
    this.name = 'NotReadyError';
  }
}

/** Holder of the current generation; see the module comment. */
export class Runtime<T> {
  private snap: Snapshot<T> | null = null;
  private running: Promise<ReloadOutcome> | null = null;
  private next: { promise: Promise<ReloadOutcome>; reasons: string[]; force: boolean } | null = null;
  private failedFingerprint: string | null = null;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** the outcome of the last reload that ran (for /admin/status) */
  last: ReloadOutcome | null = null;

  constructor(private readonly opts: RuntimeOptions<T>) {}

  /** true once a generation is loaded. */
  get ready(): boolean {
    return this.snap !== null;
  }

  /**
   * The generation serving now. Take it once per request and keep it.
   * @throws NotReadyError before the first successful load.
   */
  current(): Snapshot<T> {
    if (!this.snap) throw new NotReadyError();
    return this.snap;
  }

  /**
   * Validates and builds a new generation and swaps it in. Never throws: a failure is returned
   * (and logged) and the last good generation keeps serving.
   * @param reason why (startup, watch, admin, SIGHUP) — logged
   * @param force build even when the files' fingerprint is unchanged
   */
  reload(reason: string, force = false): Promise<ReloadOutcome> {
    if (this.next) {
      this.next.reasons.push(reason);
      this.next.force ||= force;
      return this.next.promise;
    }
    if (!this.running) return this.start([reason], force);
    const entry = { reasons: [reason], force, promise: Promise.resolve(null as unknown as ReloadOutcome) };
    entry.promise = this.running.then(() => {
      this.next = null;
      return this.start(entry.reasons, entry.force);
    });
    this.next = entry;
    return entry.promise;
  }

  private start(reasons: string[], force: boolean): Promise<ReloadOutcome> {
    const p: Promise<ReloadOutcome> = this.run(reasons, force).finally(() => {
      if (this.running === p) this.running = null;
    });
    this.running = p;
    return p;
  }

  private async run(reasons: string[], force: boolean): Promise<ReloadOutcome> {
    const log = this.opts.logger;
    const reason = [...new Set(reasons)].join(',');
    const t0 = performance.now();
    const done = (o: Omit<ReloadOutcome, 'durationMs' | 'reason' | 'generation'>): ReloadOutcome => {
      const outcome = { ...o, reason, generation: this.snap?.generation ?? 0, durationMs: Math.round(performance.now() - t0) };
      this.last = outcome;
      return outcome;
    };
    let fingerprint: string;
    try {
      fingerprint = this.opts.fingerprint();
    } catch (err) {
      fingerprint = `error:${Date.now()}`;
      log.warn({ err }, 'knowledge fingerprint failed');
    }
    if (!force && (fingerprint === this.snap?.fingerprint || fingerprint === this.failedFingerprint)) {
      return done({ ok: fingerprint !== this.failedFingerprint, changed: false, problems: [] });
    }
    try {
      const value = await this.opts.build();
      const old = this.snap;
      this.snap = { generation: (old?.generation ?? 0) + 1, loadedAt: new Date(), fingerprint, value };
      this.failedFingerprint = null;
      const outcome = done({ ok: true, changed: true, problems: [] });
      log.info({ generation: outcome.generation, reason, durationMs: outcome.durationMs }, 'knowledge loaded');
      if (old && this.opts.retire) {
        try {
          this.opts.retire(old);
        } catch (err) {
          log.warn({ err }, 'retiring the previous knowledge generation failed');
        }
      }
      return outcome;
    } catch (err) {
      this.failedFingerprint = fingerprint;
      const problems = err instanceof ReloadError ? err.problems : [];
      const message = err instanceof Error ? err.message : String(err);
      for (const p of problems) log.error({ file: p.file, line: p.line, column: p.column, reason }, formatProblem(p));
      log.error(
        { reason, problems: problems.length, generation: this.snap?.generation ?? 0, err: problems.length ? undefined : err },
        this.snap ? `knowledge reload failed; still serving generation ${this.snap.generation}: ${firstLine(message)}` : `knowledge load failed: ${firstLine(message)}`,
      );
      return done({ ok: false, changed: false, problems, error: message });
    }
  }

  /**
   * Reloads (reason `watch`) `debounceMs` after the last change under any of `dirs`.
   * Folders that do not exist are skipped. Call {@link close} to stop.
   */
  watch(dirs: string[], debounceMs = 500): void {
    const onChange = () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.reload('watch');
      }, debounceMs);
      this.timer.unref();
    };
    for (const dir of dirs) {
      if (!existsSync(dir)) continue;
      try {
        const w = watch(dir, { recursive: true, persistent: false }, onChange);
        w.on('error', (err) => this.opts.logger.warn({ err, dir }, 'watching knowledge stopped'));
        this.watchers.push(w);
      } catch (err) {
        this.opts.logger.warn({ err, dir }, 'cannot watch folder; reload with POST /admin/reload or SIGHUP');
      }
    }
  }

  /** Stops watching (a reload already running completes). */
  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves when no reload is running or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/**
 * Fingerprint of the YAML files under `dirs`: sha256 over each file's relative path and bytes
 * (the catalogue is < 1 MB, so this takes a few milliseconds). Missing folders count as empty.
 */
export function fingerprintDirs(dirs: string[]): string {
  const h = createHash('sha256');
  for (const dir of dirs) {
    h.update(`dir\0${dir}\0`);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    for (const f of listYamlFiles(dir)) {
      h.update(relative(dir, f));
      h.update('\0');
      try {
        h.update(readFileSync(f));
      } catch {
        h.update('unreadable');
      }
      h.update('\0');
    }
  }
  return h.digest('hex');
}

/**
 * Loads and checks the knowledge base as `knowledge check` does: syntax and schema, then
 * references and (when the source documents are present in `seedsDir`) the figures against
 * the cited lines.
 * @returns the knowledge base, and whether the source documents were available for the check
 * @throws ReloadError carrying every problem (file, line, column) when the files are not valid.
 */
export function validateKnowledge(dir: string, seedsDir: string): { kb: KnowledgeBase; sourcesChecked: boolean } {
  const { kb, problems } = loadKnowledge(dir);
  if (!kb) throw new ReloadError(`knowledge in ${dir} has ${problems.length} problem(s)`, problems);
  const sourcesChecked = existsSync(seedsDir);
  // without the documents (a deployment that ships only knowledge/) the references are still checked
  const texts = sourcesChecked ? readSources(kb, seedsDir) : new Map<string, string[]>();
  const integrity = checkIntegrity(kb, texts).filter((p) => sourcesChecked || !/cannot be read$/.test(p.message));
  if (integrity.length) throw new ReloadError(`knowledge in ${dir} has ${integrity.length} problem(s)`, integrity);
  return { kb, sourcesChecked };
}
