import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkKnowledge } from '../src/knowledge/check.ts';
import { formatProblem } from '../src/knowledge/load.ts';
import { DESK, PROGRAM, ROOT, SEEDS, knowledgeDir } from './helpers/kb-files.ts';

function problems(files: Record<string, string>): string[] {
  const dir = knowledgeDir(files);
  return checkKnowledge(dir, SEEDS).problems.map((p) => formatProblem({ ...p, file: p.file.slice(p.file.indexOf(dir) + dir.length + 1) }));
}

describe('knowledge check', () => {
  it('accepts a valid catalogue', () => {
    expect(problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': PROGRAM })).toEqual([]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const broken = PROGRAM.replace('desk: [pref-keiei-kinyu]', 'desk: [pref-keiei-kinyu');
    const out = problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': broken });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^programs\/a\.yaml:\d+:\d+ YAML syntax error: /);
  });

  it('names a missing required field at the record', () => {
    const missing = PROGRAM.replace('  summary: 創業する人の経費を補助します。\n', '');
    expect(problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': missing })).toEqual([
      'programs/a.yaml:1:3 sogyo-hojokin: missing required field "summary"',
    ]);
  });

  it('reports an unknown field and a wrong kind', () => {
    const extra = PROGRAM.replace('  category: 補助金\n', '  category: 補助金\n  budjet: 1\n');
    expect(problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': extra })).toEqual([
      'programs/a.yaml:1:3 sogyo-hojokin: unknown field(s) "budjet"',
    ]);
    const kind = PROGRAM.replace('kind: program', 'kind: programme');
    expect(problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': kind })).toEqual([
      'programs/a.yaml:2:9 sogyo-hojokin kind: unknown or missing "kind" (expected program, desk, area, definition or measure)',
    ]);
  });

  it('reports an unknown desk at the reference', () => {
    const out = problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': PROGRAM.replace('[pref-keiei-kinyu]', '[pref-keiei-kinyuu]') });
    expect(out).toEqual(['programs/a.yaml:6:10 sogyo-hojokin: unknown desk "pref-keiei-kinyuu"']);
  });

  it('reports a phone number that is not in the cited source', () => {
    const out = problems({ 'desks/a.yaml': DESK.replace('083-933-3185', '083-933-3186'), 'programs/a.yaml': PROGRAM });
    expect(out).toEqual(['desks/a.yaml:6:10 pref-keiei-kinyu: phone "083-933-3186" does not occur in the cited source (001 L5-6)']);
  });

  it('matches figures after normalising width and spacing, and checks yen against the text', () => {
    const wide = PROGRAM.replace('"2,000千円"', '"２，０００ 千円"');
    expect(problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': wide })).toEqual([]);
    const wrongYen = PROGRAM.replace('yen: 2000000', 'yen: 20000000');
    expect(problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': wrongYen })).toEqual([
      'programs/a.yaml:9:41 sogyo-hojokin: subsidyCap yen 20000000 does not match its text "2,000千円" (= 2000000 円)',
    ]);
    const invented = PROGRAM.replace('"2,000千円"', '"3,000千円"').replace('yen: 2000000', 'yen: 3000000');
    expect(problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': invented })).toEqual([
      'programs/a.yaml:9:25 sogyo-hojokin: subsidyCap "3,000千円" does not occur in the cited source (001 L2-4)',
    ]);
  });

  it('reads a bare table cell with its header unit: the first number times the unit must equal yen', () => {
    const cell = PROGRAM.replace('subsidyCap: { text: "2,000千円", yen: 2000000 }', 'subsidyCap: { text: "2,000", unit: 千円, yen: 2000000 }');
    expect(problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': cell })).toEqual([]);
    const wrong = cell.replace('unit: 千円', 'unit: 百万円');
    expect(problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': wrong })[0]).toMatch(/subsidyCap yen 2000000 does not match its text "2,000" \(= 2000000000 円\)$/);
  });

  it('reports duplicate ids and line ranges outside the document', () => {
    const dup = problems({ 'desks/a.yaml': DESK, 'desks/b.yaml': DESK, 'programs/a.yaml': PROGRAM });
    expect(dup).toEqual(['desks/b.yaml:1:7 duplicate id "pref-keiei-kinyu" (first defined at ' + dup[0].split('at ')[1]]);
    expect(dup[0]).toMatch(/first defined at .*desks\/a\.yaml:1\)$/);
    const out = problems({ 'desks/a.yaml': DESK, 'programs/a.yaml': PROGRAM.replace('lines: [2, 4]', 'lines: [2, 400]') });
    expect(out).toEqual(['programs/a.yaml:13:33 sogyo-hojokin: source lines 2-400 lie outside 001 (7 lines)']);
  });

  it('the bundled catalogue passes, through the CLI with exit code 0; a broken one exits 1', () => {
    const ok = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'knowledge', 'check'], { cwd: ROOT, encoding: 'utf8' });
    // only warnings (vocabulary, sentence-like names), which do not fail the check, may be printed
    expect(ok.stdout.split('\n').filter((l) => l && !/^\S+:\d+:\d+ warning: /.test(l))).toEqual([]);
    expect(ok.status).toBe(0);
    const dir = knowledgeDir({ 'programs/a.yaml': PROGRAM });
    const bad = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'knowledge', 'check', '--dir', dir, '--seeds', SEEDS], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/programs\/a\.yaml:6:10 sogyo-hojokin: unknown desk "pref-keiei-kinyu"\n/);
  });

  it('lists every record as JSON with id, kind, name, aliases, fiscalYear, status and source', () => {
    const dir = knowledgeDir({ 'desks/a.yaml': DESK, 'programs/a.yaml': PROGRAM });
    const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'knowledge', 'list', '--json', '--dir', dir], { cwd: ROOT, encoding: 'utf8' });
    const rows = JSON.parse(out);
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual(['pref-keiei-kinyu', 'sogyo-hojokin']);
    expect(rows.find((r: { id: string }) => r.id === 'sogyo-hojokin')).toEqual({
      id: 'sogyo-hojokin', kind: 'program', name: '創業補助金', aliases: [], fiscalYear: 2024, status: 'current', source: { file: '001', lines: [2, 4] },
    });
  });
});

describe('knowledge check: names and situations', () => {
  const warnings = (files: Record<string, string>) => {
    const dir = knowledgeDir(files);
    const r = checkKnowledge(dir, SEEDS);
    return { problems: r.problems, warnings: r.warnings.map((p) => formatProblem({ ...p, file: p.file.slice(p.file.indexOf(dir) + dir.length + 1) })) };
  };
  it('warns (file:line, the catalogue still loads) about a sentence-like or bare sub-heading name', () => {
    const sentence = PROGRAM.replace('name: 創業補助金', 'name: 脱炭素化に先進的に取り組むモデル企業を創出するため、設備の導入を支援');
    const r = warnings({ 'desks/a.yaml': DESK, 'programs/a.yaml': sentence });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([expect.stringMatching(/^programs\/a\.yaml:4:9 warning: sogyo-hojokin: name ".*" reads as a sentence/)]);
    const bare = warnings({ 'desks/a.yaml': DESK, 'programs/a.yaml': PROGRAM.replace('name: 創業補助金', 'name: 先駆型') });
    expect(bare.warnings[0]).toMatch(/is a bare sub-heading/);
    expect(warnings({ 'desks/a.yaml': DESK, 'programs/a.yaml': PROGRAM }).warnings).toEqual([]);
  });
  it('warns (file:line) about a programme without keywords, naming where to add them', () => {
    const bare = warnings({ 'desks/a.yaml': DESK, 'programs/a.yaml': PROGRAM.replace('  keywords: [開業資金]\n', '') });
    expect(bare.problems).toEqual([]);
    expect(bare.warnings).toEqual([expect.stringMatching(/^programs\/a\.yaml:4:9 warning: sogyo-hojokin: programme "創業補助金" has no keywords; add the everyday words an owner types .*\(keywords: \[/)]);
  });
  it('reports a situation label missing from situations.yaml at the record', () => {
    const tagged = PROGRAM.replace('  desk: [pref-keiei-kinyu]\n', '  desk: [pref-keiei-kinyu]\n  eligibility:\n    situations:\n      - {label: 企業立地, text: "補助"}\n');
    const r = warnings({ 'desks/a.yaml': DESK, 'programs/a.yaml': tagged });
    expect(r.problems.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringMatching(/unknown situation "企業立地"/)]));
  });
});
