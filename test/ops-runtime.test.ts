import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { formatProblem, type KnowledgeBase } from '../src/knowledge/load.ts';
import { prepareKnowledge } from '../src/ops/prepare.ts';
import { ReloadError, Runtime, fingerprintDirs, validateKnowledge } from '../src/ops/runtime.ts';
import { DESK, PROGRAM, ROOT, SEEDS, knowledgeDir } from './helpers/kb-files.ts';

function catalogue(): string {
  const industries = readFileSync(join(ROOT, 'test/fixtures/knowledge/industries.yaml'), 'utf8');
  return knowledgeDir({ 'industries.yaml': industries, 'desks.yaml': DESK, 'programs.yaml': PROGRAM }, 'kb-reload-');
}

/** A logger whose lines are kept (JSON objects) for assertions. */
function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { logger, lines };
}

/** A runtime whose generations are validated knowledge bases; `delayMs` makes builds slow. */
function kbRuntime(dir: string, delayMs = 0) {
  const { logger, lines } = memoryLogger();
  const runtime = new Runtime<KnowledgeBase>({
    logger,
    fingerprint: () => fingerprintDirs([dir]),
    build: async () => {
      const { kb } = validateKnowledge(dir, SEEDS);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return kb;
    },
  });
  return { runtime, lines };
}

const names = (kb: KnowledgeBase) => kb.programs.map((p) => p.name);

describe('knowledge runtime (live reload)', () => {
  it('swaps in good files, keeps the last good version on broken ones, and logs each problem with file and line', async () => {
    const dir = catalogue();
    const { runtime, lines } = kbRuntime(dir);
    expect(runtime.ready).toBe(false);
    expect((await runtime.reload('startup')).ok).toBe(true);
    expect(names(runtime.current().value)).toEqual(['創業補助金']);

    writeFileSync(join(dir, 'programs.yaml'), PROGRAM.replace('name: 創業補助金', 'name: 創業支援補助金'));
    const good = await runtime.reload('test');
    expect(good).toMatchObject({ ok: true, changed: true, generation: 2 });
    expect(names(runtime.current().value)).toEqual(['創業支援補助金']);

    // a wrong desk reference and a YAML syntax error in another file
    writeFileSync(join(dir, 'programs.yaml'), PROGRAM.replace('[pref-keiei-kinyu]', '[no-such-desk]'));
    const bad = await runtime.reload('test');
    expect(bad.ok).toBe(false);
    expect(bad.generation).toBe(2);
    expect(bad.problems.map(formatProblem)).toEqual([expect.stringMatching(/programs\.yaml:6:10 sogyo-hojokin: unknown desk "no-such-desk"$/)]);
    expect(names(runtime.current().value)).toEqual(['創業支援補助金']);
    const logged = lines.filter((l) => l.level === 50).map((l) => String(l.msg));
    expect(logged.some((m) => /programs\.yaml:6:10 .*unknown desk/.test(m))).toBe(true);
    expect(logged.some((m) => /still serving generation 2/.test(m))).toBe(true);

    writeFileSync(join(dir, 'desks.yaml'), DESK.replace('deskType: 県', 'deskType: [県'));
    const syntax = await runtime.reload('test');
    expect(syntax.problems.map(formatProblem).some((p) => /desks\.yaml:\d+:\d+ YAML syntax error/.test(p))).toBe(true);
    expect(runtime.current().generation).toBe(2);

    writeFileSync(join(dir, 'desks.yaml'), DESK);
    writeFileSync(join(dir, 'programs.yaml'), PROGRAM);
    expect(await runtime.reload('test')).toMatchObject({ ok: true, generation: 3 });
  });

  it('gives requests that started before a swap the version they started with, and never a half-built one', async () => {
    const dir = catalogue();
    const { runtime } = kbRuntime(dir, 30);
    await runtime.reload('startup');
    const seen: string[][] = [];
    let stop = false;
    // 50 concurrent "requests", each taking one snapshot and reading it twice across an await
    const requests = Array.from({ length: 50 }, async (_, i) => {
      while (!stop) {
        const snap = runtime.current();
        const first = names(snap.value);
        await new Promise((r) => setTimeout(r, (i % 7) + 1));
        expect(names(snap.value)).toEqual(first);
        seen.push(first);
      }
    });
    for (const name of ['補助金A', '補助金B', '補助金C']) {
      writeFileSync(join(dir, 'programs.yaml'), PROGRAM.replace('name: 創業補助金', `name: ${name}`));
      // several reloads asked at once are coalesced: the files are built at most twice
      const outcomes = await Promise.all([runtime.reload('a'), runtime.reload('b'), runtime.reload('c')]);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(names(runtime.current().value)).toEqual([name]);
    }
    stop = true;
    await Promise.all(requests);
    const versions = new Set(seen.map((s) => s.join()));
    expect([...versions].every((v) => ['創業補助金', '補助金A', '補助金B', '補助金C'].includes(v))).toBe(true);
    expect(runtime.current().generation).toBeLessThanOrEqual(1 + 3 * 2);
  });

  it('does not rebuild when the files did not change, unless forced', async () => {
    const dir = catalogue();
    const { runtime } = kbRuntime(dir);
    await runtime.reload('startup');
    expect(await runtime.reload('watch')).toMatchObject({ ok: true, changed: false, generation: 1 });
    expect(await runtime.reload('admin', true)).toMatchObject({ ok: true, changed: true, generation: 2 });
  });

  it('reloads by itself after a file under a watched folder changes', async () => {
    const dir = catalogue();
    const { runtime } = kbRuntime(dir);
    await runtime.reload('startup');
    runtime.watch([dir], 100);
    try {
      writeFileSync(join(dir, 'programs.yaml'), PROGRAM.replace('name: 創業補助金', 'name: 監視で更新'));
      const deadline = Date.now() + 10_000;
      while (names(runtime.current().value)[0] !== '監視で更新' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(names(runtime.current().value)).toEqual(['監視で更新']);
    } finally {
      runtime.close();
    }
  });

  it('checks the files and builds the index in a worker thread', async () => {
    const dir = catalogue();
    const cache = mkdtempSync(join(tmpdir(), 'idx-'));
    const prev = process.env.SEARCH_CACHE_DIR;
    process.env.SEARCH_CACHE_DIR = cache;
    try {
      const ok = await prepareKnowledge(dir, SEEDS);
      expect(ok.hash).toBe(validateKnowledge(dir, SEEDS).kb.hash);
      const { readdirSync } = await import('node:fs');
      expect(readdirSync(cache).some((f) => /^index-[0-9a-f]+\.json$/.test(f))).toBe(true);
      writeFileSync(join(dir, 'programs.yaml'), PROGRAM.replace('"1/2"', '"3/4"'));
      const err = await prepareKnowledge(dir, SEEDS).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReloadError);
      expect((err as ReloadError).problems.map(formatProblem)).toEqual([expect.stringMatching(/programs\.yaml:8:\d+ sogyo-hojokin: subsidyRate "3\/4" does not occur/)]);
    } finally {
      if (prev === undefined) delete process.env.SEARCH_CACHE_DIR;
      else process.env.SEARCH_CACHE_DIR = prev;
    }
    expect(readFileSync(join(dir, 'programs.yaml'), 'utf8')).toContain('3/4');
  });
});
