import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as report } from '../src/cli/report.ts';
import { loadKnowledgeOrThrow } from '../src/knowledge/load.ts';
import { fiscalYearOf, freshnessReport } from '../src/ops/freshness.ts';
import { UnansweredLog, groupUnanswered, readUnanswered, redact } from '../src/ops/unanswered.ts';
import { getTokenizer, type Tokenizer } from '../src/text/tokenizer.ts';

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await getTokenizer();
});

/** Runs `report …` and returns its exit code and stdout. */
async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    return { code: await report(argv), out };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('unanswered-question log', () => {
  it('redacts phone numbers, e-mail addresses and personal names, and keeps the question', () => {
    const cases: [string, string[], string[]][] = [
      ['090-1234-5678に電話ください、補助金の件', ['＜電話番号＞', '補助金'], ['1234', '5678']],
      ['連絡先は083(933)3180です', ['＜電話番号＞'], ['3180']],
      ['taro.yamada@example.co.jp まで資料を送って', ['＜メール＞', '資料'], ['yamada', 'example']],
      ['山田太郎です。創業の融資について', ['＜氏名＞', '創業', '融資'], ['山田', '太郎']],
      ['担当の佐藤さんに設備投資の相談をしたい', ['＜氏名＞さん', '設備投資'], ['佐藤']],
      ['従業員は20人で資本金は300万円', ['20人', '300万円'], ['＜']],
    ];
    for (const [text, kept, gone] of cases) {
      const out = redact(text, tokenizer);
      for (const k of kept) expect(out, text).toContain(k);
      for (const g of gone) expect(out, text).not.toContain(g);
    }
  });

  it('appends redacted JSON lines with time, channel and reason, rotates by size, and reads back across files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unanswered-'));
    const path = join(dir, 'unanswered.jsonl');
    const log = new UnansweredLog(path, tokenizer, 2048);
    for (let i = 0; i < 60; i++) log.record(i % 2 ? 'line' : 'web', 'unanswered', `宇宙旅行の補助金はありますか 田中さん 090-0000-${String(1000 + i)}`);
    log.record('slack', 'rejected', 'ドローンの免許の補助');
    await log.close();
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(readFileSync(join(dir, f)).length).toBeLessThanOrEqual(2048 + 400);
    const entries = readUnanswered(path);
    expect(entries).toHaveLength(61);
    expect(entries.at(-1)).toMatchObject({ channel: 'slack', reason: 'rejected', text: 'ドローンの免許の補助' });
    expect(new Date(entries[0].time).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const raw = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(raw).not.toMatch(/090-0000|田中/);
  });
});

describe('report unanswered', () => {
  it('lists the most frequent questions first, grouped by normalised text, optionally since a date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const path = join(dir, 'u.jsonl');
    const lines = [
      { time: '2026-01-05T01:00:00Z', channel: 'web', reason: 'unanswered', text: 'ドローンの補助金' },
      { time: '2026-03-01T01:00:00Z', channel: 'line', reason: 'unanswered', text: '宇宙ビジネスの支援' },
      { time: '2026-03-02T01:00:00Z', channel: 'web', reason: 'rejected', text: '宇宙ビジネスの支援？' },
      { time: '2026-03-03T01:00:00Z', channel: 'slack', reason: 'unanswered', text: '宇宙ビジネスの支援' },
      { time: '2026-03-04T01:00:00Z', channel: 'web', reason: 'unanswered', text: 'ドローンの補助金' },
    ];
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"torn');
    const all = await cli('unanswered', '--log', path);
    expect(all.code).toBe(0);
    const rows = all.out.trim().split('\n');
    expect(rows[0]).toMatch(/^\s*3\s+宇宙ビジネスの支援\s+\[line,web,slack; unanswered,rejected; 最終 2026-03-03\]/);
    expect(rows[1]).toMatch(/^\s*2\s+ドローンの補助金/);
    const since = await cli('unanswered', '--log', path, '--since', '2026-02-01', '--json');
    expect(JSON.parse(since.out)).toEqual([
      expect.objectContaining({ text: '宇宙ビジネスの支援', count: 3 }),
      expect.objectContaining({ text: 'ドローンの補助金', count: 1 }),
    ]);
    expect((await cli('unanswered', '--log', path, '--since', 'yesterday-ish')).code).toBe(2);
    expect(groupUnanswered([], new Date())).toEqual([]);
  });
});

describe('report freshness', () => {
  it('lists past fiscal years, past programmes, desks without a phone and missing sources, with file and line', async () => {
    const kbDir = mkdtempSync(join(tmpdir(), 'fresh-kb-'));
    const seeds = mkdtempSync(join(tmpdir(), 'fresh-seeds-'));
    writeFileSync(join(seeds, 'a.txt'), 'x\n');
    mkdirSync(join(kbDir, 'programs'));
    writeFileSync(
      join(kbDir, 'sources.yaml'),
      ['001', '003'].map((f) => `- file: "${f}"\n  path: ${f === '001' ? 'a.txt' : 'gone.txt'}\n  title: t${f}\n  publisher: p\n  period: p\n  fiscalYear: 2024\n  status: current\n`).join(''),
    );
    const rec = (id: string, extra: string, fy = 2024, status = 'current', file = '001') =>
      `- id: ${id}\n  name: ${id}名\n  summary: s。\n  fiscalYear: ${fy}\n  status: ${status}\n  source: { file: "${file}", lines: [1, 1] }\n${extra}`;
    writeFileSync(
      join(kbDir, 'desks.yaml'),
      rec('desk-ok', '  kind: desk\n  deskType: 県\n  phone: "083-000-0000"\n') + rec('desk-nophone', '  kind: desk\n  deskType: 県\n'),
    );
    writeFileSync(
      join(kbDir, 'programs', 'p.yaml'),
      rec('prog-now', '  kind: program\n  category: 補助金\n', 2026) +
        rec('prog-old', '  kind: program\n  category: 補助金\n', 2023) +
        rec('prog-past', '  kind: program\n  category: 補助金\n', 2023, 'past') +
        rec('prog-gone', '  kind: program\n  category: 融資\n', 2026, 'current', '003'),
    );
    const kb = loadKnowledgeOrThrow(kbDir);
    const r = freshnessReport(kb, seeds, new Date('2026-11-21T00:00:00+09:00'));
    expect(r.currentFiscalYear).toBe(2026);
    expect(fiscalYearOf(new Date('2027-02-01T00:00:00+09:00'))).toBe(2026);
    expect(r.pastFiscalYear.map((i) => i.id)).toEqual(['prog-old', 'desk-nophone', 'desk-ok']);
    expect(r.pastPrograms.map((i) => i.id)).toEqual(['prog-past']);
    expect(r.desksWithoutPhone.map((i) => i.id)).toEqual(['desk-nophone']);
    expect(r.missingSources.map((i) => i.id)).toEqual(['prog-gone']);
    expect(r.missingSources[0].where).toMatch(/programs\/p\.yaml:\d+$/);

    const out = await cli('freshness', '--dir', kbDir, '--seeds', seeds);
    expect(out.code).toBe(0);
    expect(out.out).toMatch(/## 出典が見つからない記録: 1件\n- prog-gone名 \(prog-gone\) — 出典 003 が見つかりません — .*p\.yaml:\d+/);
    expect(out.out).toMatch(/## 電話番号のない窓口: 1件\n- desk-nophone名/);
  });
});
