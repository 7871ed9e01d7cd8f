/**
 * The lunr index over every record: building it, saving it to `.cache/index-<key>.json` and loading
 * it back. `<key>` hashes the knowledge files (kb.hash) with {@link INDEX_VERSION}, so an edited
 * knowledge file or a changed analyser (any edit of src/text/ or src/search/) gives a new key and the index is rebuilt.
 *
 * Fields (boost): names `name`(10) / `nameBi`(8); keywords `kw`(4) / `kwBi`(2); `summary`(3) /
 * `summaryBi`(1.5); `body`(1) / `bodyBi`(0.5); `key`(2): the folded names and aliases whole, matched
 * by the gazetteer. Every field value is analysed on its own (no token across the join of two values).
 *
 * Beside the lunr index the file keeps what the analyser derives from the catalogue once
 * ({@link IndexExtras}): each record's synonym groups and the reading of every indexed term.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lunr from 'lunr';
import type { KnowledgeBase } from '../knowledge/load.ts';
import { cacheDir, writeCacheFile } from '../knowledge/snapshot.ts';
import type { Analyzer, SavedSegmentation } from '../text/analyzer.ts';
import { Gazetteer, genericAliases } from '../text/gazetteer.ts';
import { SynonymExpander, type Segment } from '../text/synonyms.ts';
import { recordConcepts, type RecordConcepts } from './concepts.ts';
import { KeywordMatcher } from './keywords.ts';
import { recordText } from './documents.ts';
import { registerPipeline, usePipeline } from './pipeline.ts';
import { loadIndex, withExactTerms } from './term-set.ts';

/** Bumped whenever analysis or fields change, so saved indexes from older code are not reused. */
export const INDEX_VERSION = 'ja-13';

let codeHash: string | undefined;
/**
 * sha256 of the code that builds an index (src/text/ and src/search/, which this module lives in):
 * an edit there gives a new cache key even when {@link INDEX_VERSION} was not bumped. Read once (≈1 ms).
 * An unreadable directory (a bundled build) hashes as empty: INDEX_VERSION alone then decides.
 */
function indexCodeHash(): string {
  if (codeHash !== undefined) return codeHash;
  const h = createHash('sha256');
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, '..', 'text'), here]) {
    try {
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts')).sort()) h.update(f).update('\0').update(readFileSync(join(dir, f)));
    } catch {
      // not a source checkout
    }
  }
  return (codeHash = h.digest('hex'));
}

/** Morphological fields, their bigram twins, and the whole-name key field. */
export const MORPH_FIELDS = ['name', 'kw', 'summary', 'body'] as const;
export const BIGRAM_FIELDS = ['nameBi', 'kwBi', 'summaryBi', 'bodyBi'] as const;
export const KEY_FIELD = 'key';

export const FIELD_BOOST: Record<string, number> = { name: 10, nameBi: 8, kw: 4, kwBi: 2, summary: 3, summaryBi: 1.5, body: 1, bodyBi: 0.5, key: 2 };

/**
 * Fields scored without BM25's length normalisation: `kw` holds a record's keywords, independent
 * phrases an operator lists; a record with ten of them is not a longer text in which each counts
 * less (with lunr's b = 0.75, three more keywords on 活性化協議会 dropped it to third for its own
 * 「返済条件の見直し」). The sharing of a keyword is still weighed by its idf.
 */
export const UNNORMALISED_FIELDS: ReadonlySet<string> = new Set(['kw']);

/**
 * Makes a lunr builder score `fields` as if every record's value had the field's average length
 * (BM25 with b = 0 for them; lunr's b applies to all fields at once). Relies on lunr 2.3's builder
 * internals `fieldLengths` ("field/ref" → terms) and `averageFieldLength`, set by
 * `calculateAverageFieldLengths` before `createFieldVectors` reads them in `build()`.
 */
function withoutLengthNorm(builder: lunr.Builder, fields: ReadonlySet<string>): void {
  const b = builder as unknown as { calculateAverageFieldLengths(): void; fieldLengths: Record<string, number>; averageFieldLength: Record<string, number> };
  const average = b.calculateAverageFieldLengths.bind(b);
  b.calculateAverageFieldLengths = () => {
    average();
    for (const ref of Object.keys(b.fieldLengths)) {
      const field = ref.slice(0, ref.indexOf('/'));
      if (fields.has(field)) b.fieldLengths[ref] = b.averageFieldLength[field];
    }
  };
}

/** What the analyser derives from the catalogue when the index is built, saved with it. */
export interface IndexExtras {
  /** each record's synonym groups with their field weight (src/search/concepts.ts) */
  concepts: RecordConcepts;
  /** [indexed term, its reading in hiragana] (the reading index, src/text/analyzer.ts) */
  readings: [string, string][];
  /** aliases that are generic words and do not name their record (src/text/gazetteer.ts genericAliases) */
  generic: { id: string; key: string }[];
  /** adjacent noun pairs ending in a two-kanji noun (「事業\0承継」) with the number of records writing them, for the swapped-compound rule */
  compounds: [string, number][];
  /** [reading, name key, record id] of the names recognised by their reading (src/text/analyzer.ts nameReadings) */
  nameReadings: [string, string, string][];
  /**
   * segmentations of the synonym members and record keywords the analyser made while the phrase
   * matchers are built ({@link setupSegmentations}): start-up reads them instead of tokenising again
   */
  segments?: SavedSegmentation[];
}

const EXTRAS = new WeakMap<lunr.Index, IndexExtras>();

/** The extras of an index built or loaded here (undefined for an index from elsewhere). */
export function indexExtras(idx: lunr.Index): IndexExtras | undefined {
  return EXTRAS.get(idx);
}

/** Computes the extras of `kb` with `analyzer` (≈ the time to tokenise the catalogue once). */
export function buildExtras(kb: KnowledgeBase, analyzer: Analyzer): IndexExtras {
  const readings = new Map<string, string>();
  const compounds = new Map<string, number>();
  for (const rec of kb.records) {
    const t = recordText(rec, kb);
    for (const v of [...t.names, ...t.keywords, t.summary]) for (const [term, r] of analyzer.readings(v)) if (!readings.has(term)) readings.set(term, r);
    const own = new Set<string>();
    for (const v of [...t.names, ...t.keywords, t.summary, ...t.body]) for (const c of analyzer.compounds(v)) own.add(c);
    for (const c of own) compounds.set(c, (compounds.get(c) ?? 0) + 1);
  }
  return {
    concepts: recordConcepts(kb, (text) => analyzer.groupsIn(text)),
    readings: [...readings],
    generic: genericAliases(kb).map((g) => ({ id: g.id, key: g.key })),
    compounds: [...compounds],
    nameReadings: analyzer.nameReadings(kb),
    segments: setupSegmentations(kb, analyzer),
  };
}

/**
 * The segmentations the phrase matchers need at start-up — every synonym member and record keyword
 * as the analyser segments it — in the saved compact form: made by building both matchers once with
 * a recording segmenter (≈0.4 s, at index build time only).
 */
export function setupSegmentations(kb: Pick<KnowledgeBase, 'records' | 'synonyms' | 'byId'>, analyzer: Analyzer): SavedSegmentation[] {
  const seen = new Map<string, Segment[]>();
  const segment = analyzer.segmenter();
  const recording = (n: string): Segment[] => {
    let segs = seen.get(n);
    if (!segs) seen.set(n, (segs = segment(n)));
    return segs;
  };
  new SynonymExpander(kb.synonyms, recording);
  new KeywordMatcher(kb, recording);
  return [...seen].map(([text, segs]) => [text, segs.map((x) => [x.surface, x.base === x.surface ? '' : (x.base ?? ''), x.start])]);
}

/** Folder of saved indexes: $SEARCH_CACHE_DIR or `<project>/.cache` (shared with the knowledge snapshot). */
export { cacheDir };

/** The cache key of an index over `kb`: sha256(kb.hash, INDEX_VERSION, field boosts, the index code's hash), 16 hex digits. */
export function indexKey(kb: Pick<KnowledgeBase, 'hash'>): string {
  return createHash('sha256').update(kb.hash).update('\0').update(INDEX_VERSION).update(JSON.stringify(FIELD_BOOST)).update(indexCodeHash()).digest('hex').slice(0, 16);
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
    const names = analyzer.termsOfValues(t.names);
    const kw = analyzer.termsOfValues(t.keywords);
    const summary = analyzer.terms(t.summary);
    const body = analyzer.termsOfValues(t.body);
    return {
      id: rec.id,
      name: names.tokens,
      nameBi: names.bigrams,
      kw: kw.tokens,
      kwBi: kw.bigrams,
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
    withoutLengthNorm(this, UNNORMALISED_FIELDS);
  });
  const out = withExactTerms(idx);
  EXTRAS.set(out, buildExtras(kb, analyzer));
  return out;
}

/** A saved index file's content. */
interface SavedIndex {
  key: string;
  version: string;
  kbHash: string;
  builtAt: string;
  index: object;
  extras?: IndexExtras;
}

/**
 * The saved index for `kb`, or null when there is none (or it is unreadable / from other code).
 * Registers the pipeline first so the saved pipeline resolves. Its term lookup is src/search/term-set.ts.
 */
export function loadSavedIndex(kb: Pick<KnowledgeBase, 'hash'>): lunr.Index | null {
  registerPipeline();
  try {
    const saved = JSON.parse(readFileSync(indexPath(kb), 'utf8')) as SavedIndex;
    if (saved.key !== indexKey(kb) || saved.version !== INDEX_VERSION || !saved.extras) return null;
    const idx = loadIndex(saved.index);
    EXTRAS.set(idx, saved.extras);
    return idx;
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
  const body: SavedIndex = { key: indexKey(kb), version: INDEX_VERSION, kbHash: kb.hash, builtAt: new Date().toISOString(), index: idx.toJSON(), extras: EXTRAS.get(idx) };
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
