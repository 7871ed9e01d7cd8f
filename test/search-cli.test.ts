import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'search-kb');
let tmp: string;

/** Runs `npm run --silent cli -- <args>` as a separate process (node + tsx), on the fixture knowledge. */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, KNOWLEDGE_DIR: FIXTURE, SEARCH_CACHE_DIR: tmp },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'shien-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cli index build / ask', () => {
  it('builds the index into the cache folder', async () => {
    const r = await cli('index', 'build');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/index: 8 records .*index-[0-9a-f]+\.json/);
  });

  it('ask --json prints the contract, best first, at most --top results', async () => {
    const r = await cli('ask', '--json', '--top', '2', '製造業の設備資金の利率は？');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['query', 'answered', 'results', 'reply']);
    expect(out.query).toBe('製造業の設備資金の利率は？');
    expect(out.answered).toBe(true);
    expect(out.results.length).toBeLessThanOrEqual(2);
    expect(out.results[0]).toMatchObject({ id: 'seizo-shikin', kind: 'program', name: '製造業設備資金' });
    expect(out.results[0].source).toMatch(/^\d{3} L\d+(-\d+)?$/); // the line range, for staff
    expect(out.reply).toMatch(/出典: .*（\d{3} L\d+(-\d+)?）/);
    expect(typeof out.results[0].score).toBe('number');
    for (let i = 1; i < out.results.length; i++) expect(out.results[i - 1].score).toBeGreaterThanOrEqual(out.results[i].score);
    expect(out.reply).toContain('年1.5%');
  });

  it('ask without --json prints the reply text; out of scope routes to the general desk', async () => {
    const r = await cli('ask', '明日の天気は？');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('山口県よろず支援拠点');
  });

  it('ask --batch --json prints one line per input line, in order', async () => {
    const file = join(tmp, 'q.jsonl');
    writeFileSync(file, ['{"id":"a","q":"DX補助金の補助率"}', '{"id":"b","q":"年金はいつから？"}', 'not json', '{"id":"c"}', ''].join('\n'));
    const r = await cli('ask', '--batch', file, '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', null, 'c']);
    expect(lines[0]).toMatchObject({ answered: true });
    expect(lines[0].results[0].id).toBe('dx-hojokin');
    expect(lines[1]).toEqual({ id: 'b', answered: false, results: [] });
    expect(lines[2].error).toBeTruthy();
  });

  it('rejects a bad --top with exit 2', async () => {
    const r = await cli('ask', '--top', 'x', '補助金');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--top');
  });
});
