/**
 * Startup snapshot of the validated knowledge: `.cache/knowledge-<key>.json` holds the records,
 * synonyms, industries and sources exactly as the loader produced them after YAML parsing and zod
 * validation, so a start with unchanged files skips both. `<key>` hashes the knowledge files' hash
 * with {@link SNAPSHOT_VERSION} and the loader's and schema's source, so an edited knowledge file or
 * changed loader code gives a new key (the files are then parsed and validated again). Only a
 * catalogue without schema problems is saved.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bumped whenever the snapshot's shape changes. */
export const SNAPSHOT_VERSION = 'kb-1';

/** Folder of the derived caches (saved indexes, knowledge snapshots): $SEARCH_CACHE_DIR or `<project>/.cache`. */
export function cacheDir(): string {
  return process.env.SEARCH_CACHE_DIR ?? join(resolve(fileURLToPath(new URL('../..', import.meta.url))), '.cache');
}

let codeHash: string | undefined;

/** sha256 of the loader's and the schema's source: a snapshot made by other code is not reused. */
function loaderCodeHash(): string {
  if (codeHash === undefined) {
    const h = createHash('sha256');
    for (const f of ['./schema.ts', './load.ts', './snapshot.ts']) {
      try {
        h.update(readFileSync(new URL(f, import.meta.url)));
      } catch {
        h.update(`missing ${f}`);
      }
      h.update('\0');
    }
    codeHash = h.digest('hex');
  }
  return codeHash;
}

/** The snapshot key for knowledge files hashing to `kbHash` (16 hex digits). */
export function snapshotKey(kbHash: string): string {
  return createHash('sha256').update(kbHash).update('\0').update(SNAPSHOT_VERSION).update('\0').update(loaderCodeHash()).digest('hex').slice(0, 16);
}

/** Path of the snapshot for knowledge files hashing to `kbHash`. */
export function snapshotPath(kbHash: string): string {
  return join(cacheDir(), `knowledge-${snapshotKey(kbHash)}.json`);
}

interface SavedSnapshot<T> {
  key: string;
  version: string;
  kbHash: string;
  data: T;
}

/** The saved snapshot for `kbHash`, or null when there is none or it is unreadable / from other code. */
export function readSnapshot<T>(kbHash: string): T | null {
  try {
    const saved = JSON.parse(readFileSync(snapshotPath(kbHash), 'utf8')) as SavedSnapshot<T>;
    if (saved.key !== snapshotKey(kbHash) || saved.version !== SNAPSHOT_VERSION || saved.kbHash !== kbHash) return null;
    return saved.data;
  } catch {
    return null;
  }
}

/** How many snapshots to keep in the cache folder (most recent first). */
const KEEP = 6;

/**
 * Writes `body` as JSON to `path` in the cache folder atomically (temp file + rename), then deletes
 * the older `<prefix>-<hex>.json` files beyond the {@link KEEP} most recent (best effort).
 * @throws Error when the cache folder cannot be written.
 */
export function writeCacheFile(path: string, body: unknown, prefix: string): void {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(body));
  renameSync(tmp, path);
  try {
    const pattern = new RegExp(`^${prefix}-[0-9a-f]+\\.json$`);
    const files = readdirSync(dir)
      .filter((f) => pattern.test(f))
      .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const f of files.slice(KEEP)) if (f.path !== path) unlinkSync(f.path);
  } catch {
    // pruning is best effort (another process may prune at the same time)
  }
}

/**
 * Saves `data` as the snapshot for `kbHash` (temp file + rename) and prunes older snapshots beyond
 * the most recent {@link KEEP}. Best effort: a read-only checkout just loads from YAML every time.
 */
export function writeSnapshot<T>(kbHash: string, data: T): void {
  try {
    const body: SavedSnapshot<T> = { key: snapshotKey(kbHash), version: SNAPSHOT_VERSION, kbHash, data };
    writeCacheFile(snapshotPath(kbHash), body, 'knowledge');
  } catch {
    // best effort (read-only folder, or another process pruning at the same time)
  }
}
