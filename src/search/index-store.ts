/**
 * The lunr index over every record: building it, saving it to `.cache/index-<key>.json` and loading
 * it back. `<key>` hashes the knowledge files (kb.hash) with {@link INDEX_VERSION}, so an edited
 * knowledge file or a changed analyser gives a new key and the index is rebuilt.
 *
 * Fields (boost): names `name`(10) / `nameBi`(8); `summary`(3) / `summaryBi`(1.5);
 * `body`(1) / `bodyBi`(0.5); `key`(2): the folded names and aliases whole, matched by the gazetteer.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import lunr from 'lunr';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { cacheDir, writeCacheFile } from '../knowledge/snapshot.ts';
import type { Analyzer } from '../text/analyzer.ts';
import { Gazetteer } from '../text/gazetteer.ts';
import { recordText } from './documents.ts';
import { registerPipeline, usePipeline } from './pipeline.ts';
import { loadIndex, withExactTerms } from './term-set.ts';

/** Bumped whenever analysis or fields change, so saved indexes from older code are not reused. */
export const INDEX_VERSION = 'ja-10';

/** Morphological fields, their bigram twins, and the whole-name key field. */
export const MORPH_FIELDS = ['name', 'summary', 'body'] as const;
export const BIGRAM_FIELDS = ['nameBi', 'summaryBi', 'bodyBi'] as const;
export const KEY_FIELD = 'key';

export const FIELD_BOOST: Record<string, number> = { name: 10, nameBi: 8, summary: 3, summaryBi: 1.5, body: 1, bodyBi: 0.5, key: 2 };

/** Folder of saved indexes: $SEARCH_CACHE_DIR or `<project>/.cache` (shared with the knowledge snapshot). */
export { cacheDir };

/** The cache key of an index over `kb`: sha256(kb.hash, INDEX_VERSION, field boosts), 16 hex digits. */
export function indexKey(kb: Pick<KnowledgeBase, 'hash'>): string {
  return createHash('sha256').update(kb.hash).update('\0').update(INDEX_VERSION).update(JSON.stringify(FIELD_BOOST)).digest('hex').slice(0, 16);
}

/** Path of the saved index for `kb`. */
export function indexPath(kb: Pick<KnowledgeBase, 'hash'>): string {
  return join(cacheDir(), `index-${indexKey(kb)}.json`);
}

/**
 * Builds the lunr index over every record of `kb` (ref = record id). Takes ≈ the time to tokenise the
 * whole catalogue once.
 */
export function buildIndex(kb: KnowledgeBase, analyzer: Analyzer): lunr.Index {
  const docs = kb.records.map((rec) => {
    const t = recordText(rec, kb);
    const names = analyzer.terms(t.names.join('\n'));
    const summary = analyzer.terms(t.summary);
    const body = analyzer.terms(t.body.join('\n'));
    return {
      id: rec.id,
      name: names.tokens,
      nameBi: names.bigrams,
      summary: summary.tokens,
      summaryBi: summary.bigrams,
      body: body.tokens,
      bodyBi: body.bigrams,
      key: Gazetteer.keysOf(rec),
    };
  });
  const idx = lunr(function () {
    usePipeline(this);
    this.ref('id');
    for (const [field, boost] of Object.entries(FIELD_BOOST)) this.field(field, { boost });
    this.metadataWhitelist = [];
    for (const d of docs) this.add(d);
  });
  return withExactTerms(idx);
}

/** A saved index file's content. */
interface SavedIndex {
  key: string;
  version: string;
  kbHash: string;
  builtAt: string;
  index: object;
}

/**
 * The saved index for `kb`, or null when there is none (or it is unreadable / from other code).
 * Registers the pipeline first so the saved pipeline resolves. Its term lookup is src/search/term-set.ts.
 */
export function loadSavedIndex(kb: Pick<KnowledgeBase, 'hash'>): lunr.Index | null {
  registerPipeline();
  try {
    const saved = JSON.parse(readFileSync(indexPath(kb), 'utf8')) as SavedIndex;
    if (saved.key !== indexKey(kb) || saved.version !== INDEX_VERSION) return null;
    return loadIndex(saved.index);
  } catch {
    return null;
  }
}

/** How many saved indexes to keep in the cache folder (most recent first). */
/**
 * Writes the index for `kb` atomically and prunes old index files (see writeCacheFile).
 * Returns the path written.
 * @throws Error when the cache folder cannot be written.
 */
export function saveIndex(kb: Pick<KnowledgeBase, 'hash'>, idx: lunr.Index): string {
  const path = indexPath(kb);
  const body: SavedIndex = { key: indexKey(kb), version: INDEX_VERSION, kbHash: kb.hash, builtAt: new Date().toISOString(), index: idx.toJSON() };
  writeCacheFile(path, body, 'index');
  return path;
}

/**
 * Builds the index for `kb` and saves it (a failed save is not an error: a read-only checkout serves
 * the built index from memory).
 */
export function buildAndSaveIndex(kb: KnowledgeBase, analyzer: Analyzer): lunr.Index {
  const index = buildIndex(kb, analyzer);
  try {
    saveIndex(kb, index);
  } catch {
    // read-only checkout: serve from memory
  }
  return index;
}

/**
 * The index for `kb`: the saved one when its key matches, else built now and saved (see
 * {@link buildAndSaveIndex}). `built` tells which happened.
 */
export function loadOrBuildIndex(kb: KnowledgeBase, analyzer: Analyzer): { index: lunr.Index; built: boolean; path: string } {
  const path = indexPath(kb);
  const saved = loadSavedIndex(kb);
  if (saved) return { index: saved, built: false, path };
  return { index: buildAndSaveIndex(kb, analyzer), built: true, path };
}
