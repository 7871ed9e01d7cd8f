/**
 * Builds the Teams app package (manifest.json + color.png + outline.png, zipped flat) to upload in
 * Teams (Apps → Manage your apps → Upload an app) or the Teams Developer Portal.
 *
 *   MICROSOFT_APP_ID=<bot's app id> PUBLIC_URL=https://shien.example.jp npx tsx deploy/teams/package.ts [--out FILE]
 *
 * Fills the manifest's ${{…}} placeholders: MICROSOFT_APP_ID (a GUID), PUBLIC_URL (https origin),
 * PUBLIC_HOST (from PUBLIC_URL), DEVELOPER_NAME (default やまぐち支援ナビ運営), VERSION (package.json).
 * Needs the `zip` command (Debian: apt-get install zip). Exit 1 with a message naming a missing variable.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string', default: resolve(here, '../../dist/shien-navi-teams.zip') } } });

function fail(msg: string): never {
  console.error(`teams package: ${msg}`);
  process.exit(1);
}

const appId = process.env.MICROSOFT_APP_ID ?? '';
if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) fail('MICROSOFT_APP_ID: missing or not a GUID (the Azure Bot\'s Microsoft App ID)');
let publicUrl: URL;
try {
  publicUrl = new URL(process.env.PUBLIC_URL ?? '');
} catch {
  fail('PUBLIC_URL: missing or not a URL (the server\'s https origin, e.g. https://shien.example.jp)');
}
if (publicUrl.protocol !== 'https:') fail('PUBLIC_URL: must be https');
const version = (JSON.parse(readFileSync(resolve(here, '../../package.json'), 'utf8')) as { version: string }).version;
const vars: Record<string, string> = {
  MICROSOFT_APP_ID: appId,
  PUBLIC_URL: publicUrl.origin,
  PUBLIC_HOST: publicUrl.host,
  DEVELOPER_NAME: process.env.DEVELOPER_NAME ?? 'やまぐち支援ナビ運営',
  VERSION: version,
};
const manifest = readFileSync(join(here, 'manifest.json'), 'utf8').replace(/\$\{\{(\w+)\}\}/g, (_m, k: string) => vars[k] ?? fail(`unknown placeholder ${k}`));
JSON.parse(manifest); // still valid JSON

const work = mkdtempSync(join(tmpdir(), 'teams-pkg-'));
try {
  writeFileSync(join(work, 'manifest.json'), manifest);
  copyFileSync(join(here, 'color.png'), join(work, 'color.png'));
  copyFileSync(join(here, 'outline.png'), join(work, 'outline.png'));
  const out = resolve(values.out!);
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  try {
    const files = ['manifest.json', 'color.png', 'outline.png'].map((f) => join(work, f));
    execFileSync('zip', ['-j', '-X', '-q', out, ...files], { stdio: 'inherit' });
  } catch (err) {
    fail(`zip failed (${(err as Error).message}); install it with apt-get install zip`);
  }
  console.log(`wrote ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
