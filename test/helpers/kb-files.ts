/**
 * A minimal knowledge catalogue as YAML text (one source, one desk, one programme citing
 * test/fixtures/seeds/001_fixture.txt), for tests that write knowledge folders: the check's
 * messages and the live reload.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** The seed fixture the records cite. */
export const SEEDS = join(ROOT, 'test/fixtures/seeds');

export const SOURCES = `- file: "001"
  path: 001_fixture.txt
  title: 令和6年度 産業労働部事業概要
  publisher: 山口県産業労働部
  period: 令和6年度
  fiscalYear: 2024
  status: current
`;

export const DESK = `- id: pref-keiei-kinyu
  kind: desk
  deskType: 県
  name: 経営金融課
  summary: 中小企業の創業や金融を担当する県の課。
  phone: "083-933-3185"
  fax: "083-933-3209"
  fiscalYear: 2024
  status: current
  source: { file: "001", lines: [5, 6] }
`;

export const PROGRAM = `- id: sogyo-hojokin
  kind: program
  category: 補助金
  name: 創業補助金
  summary: 創業する人の経費を補助します。
  desk: [pref-keiei-kinyu]
  terms:
    subsidyRate: { text: "1/2", percent: 50 }
    subsidyCap: { text: "2,000千円", yen: 2000000 }
  fiscalYear: 2024
  status: current
  keywords: [開業資金]
  source: { file: "001", lines: [2, 4] }
`;

/** Writes a knowledge folder with sources.yaml and the given files (relative path → text). */
export function knowledgeDir(files: Record<string, string>, prefix = 'kb-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, text] of Object.entries({ 'sources.yaml': SOURCES, ...files })) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
