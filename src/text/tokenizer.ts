/**
 * The kuromoji tokenizer (IPADIC), loaded once per process and shared: every caller awaits the same
 * promise. Call {@link preloadTokenizer} as early as possible on a start path: the dictionary files
 * are read and decompressed on libuv's thread pool while the main thread loads the knowledge and
 * the index.
 *
 * The dictionary is loaded by kuromoji's own DictionaryLoader with a leaner file reader than its
 * NodeDictionaryLoader (same bytes, same tokens; ≈120 MB less memory, ≈0.2 s less CPU):
 *  - each file is decompressed into one buffer of its final size (no chunk concatenation, no copy);
 *  - the zero padding kuromoji's builder leaves at the end of the byte-buffer files (unk.dat is
 *    10 MB for 400 bytes) is cut off — kuromoji's ByteBuffer reads a missing byte as a zero;
 *  - the two `target_map`s (trie id → token info ids, 326 k keys) are kept as two Int32Arrays
 *    behind a read-only map instead of 326 k JS arrays (≈60 MB of heap).
 */
import { readFile } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { gunzip } from 'node:zlib';
import type kuromoji from 'kuromoji';

export type Tokenizer = kuromoji.Tokenizer<kuromoji.IpadicFeatures>;
export type Token = kuromoji.IpadicFeatures;

const require = createRequire(import.meta.url);

/** Folder of kuromoji's bundled IPADIC dictionary. */
export function dictionaryPath(): string {
  return join(dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/** Files read through kuromoji's ByteBuffer, whose trailing zero padding can be dropped. */
const BYTE_BUFFER_FILES = new Set(['tid.dat.gz', 'tid_pos.dat.gz', 'tid_map.dat.gz', 'unk.dat.gz', 'unk_pos.dat.gz', 'unk_map.dat.gz']);

type Loaded = (err: Error | null, buffer?: ArrayBuffer) => void;

const ZEROS = Buffer.alloc(1 << 16);

/** Length of `buf` without its trailing zero bytes (compared a block at a time, natively). */
function contentEnd(buf: Buffer): number {
  let end = buf.length;
  while (end > 0) {
    const start = Math.max(0, end - ZEROS.length);
    if (buf.compare(ZEROS, 0, end - start, start, end) !== 0) break;
    end = start;
  }
  while (end > 0 && buf[end - 1] === 0) end--;
  return end;
}

/** Reads and decompresses one dictionary file into an ArrayBuffer of exactly its content. */
function loadArrayBuffer(file: string, callback: Loaded): void {
  readFile(file, (err, gz) => {
    if (err) return callback(err);
    // gzip's trailer holds the decompressed size (mod 2^32; the dictionary files are < 64 MB)
    const size = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
    gunzip(gz, { chunkSize: Math.max(64, size) }, (err2, out) => {
      if (err2) return callback(err2);
      let end = out.length;
      if (BYTE_BUFFER_FILES.has(basename(file))) end = Math.min(out.length, (contentEnd(out) + 7) & ~3); // keep a few zero bytes
      const whole = out.byteOffset === 0 && end === out.buffer.byteLength;
      callback(null, whole ? (out.buffer as ArrayBuffer) : (out.buffer.slice(out.byteOffset, out.byteOffset + end) as ArrayBuffer));
    });
  });
}

/**
 * kuromoji's `target_map` (an object from trie id to an array of token info ids) over the
 * serialised form (int32 little-endian: count, then per key: key, n, n ids): keys index an offset
 * table, lookups return a view of the ids. Read-only, as kuromoji only reads it.
 */
function compactTargetMap(bytes: Uint8Array): Record<number, Int32Array | undefined> {
  const ints = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.length & ~3)));
  let maxKey = -1;
  let total = 0;
  for (let p = 1; p + 1 < ints.length; ) {
    const n = ints[p + 1];
    if (n > 0) {
      maxKey = Math.max(maxKey, ints[p]);
      total += n;
    }
    p += 2 + Math.max(0, n);
  }
  const start = new Int32Array(maxKey + 2);
  const count = new Int32Array(maxKey + 1);
  for (let p = 1; p + 1 < ints.length; p += 2 + Math.max(0, ints[p + 1])) if (ints[p + 1] > 0) count[ints[p]] += ints[p + 1];
  for (let k = 0; k <= maxKey; k++) start[k + 1] = start[k] + count[k];
  const ids = new Int32Array(total);
  const fill = count; // reused as the write cursor per key
  fill.fill(0);
  for (let p = 1; p + 1 < ints.length; ) {
    const key = ints[p];
    const n = ints[p + 1];
    for (let i = 0; i < n; i++) ids[start[key] + fill[key]++] = ints[p + 2 + i];
    p += 2 + Math.max(0, n);
  }
  return new Proxy({} as Record<number, Int32Array | undefined>, {
    get(_target, prop) {
      if (typeof prop !== 'string') return undefined;
      const k = Number(prop);
      if (!(k >= 0 && k <= maxKey) || start[k] === start[k + 1]) return undefined;
      return ids.subarray(start[k], start[k + 1]);
    },
    has(_target, prop) {
      const k = Number(prop);
      return typeof prop === 'string' && k >= 0 && k <= maxKey && start[k] !== start[k + 1];
    },
  });
}

interface TokenInfoDictionaryLike {
  dictionary: unknown;
  pos_buffer: unknown;
  target_map: unknown;
  loadTargetMap(buffer: Uint8Array): unknown;
}

/**
 * An empty kuromoji dictionary object of `proto`'s class, without the 2 × 10 MB of buffers its
 * constructor allocates (the loader replaces them at once), and with the compact target map.
 */
function emptyDictionary(proto: object, extra: Record<string, unknown> = {}): TokenInfoDictionaryLike {
  const d = Object.create(proto) as TokenInfoDictionaryLike;
  Object.assign(d, { dictionary: null, pos_buffer: null, target_map: {}, ...extra });
  d.loadTargetMap = function (buffer: Uint8Array) {
    this.target_map = compactTargetMap(buffer);
    return this;
  };
  return d;
}

/** The part of doublearray's trie (kuromoji's dictionary index) that a prefix search reads. */
export interface DoubleArrayTrie {
  bc: { getBase(index: number): number; getCheck(index: number): number };
  commonPrefixSearch(key: string): { k: string; v?: number }[];
}

/**
 * doublearray's `commonPrefixSearch(key)` without its copies: the original encodes the whole key —
 * the rest of the sentence, at every position of kuromoji's lattice builder — into a fresh
 * ArrayBuffer and copies the bytes again for every match (≈10 % of a short question's CPU, and
 * garbage). This walks the same double array one character at a time, encoding each to UTF-8 as it
 * goes, and stops at the first byte the trie does not have. Results are the same — [{k: the matched
 * prefix, v: its id}], shortest first (pinned by test/text-tokenizer-trie.test.ts) — except that a
 * lone surrogate ends the search instead of throwing.
 */
export function fastPrefixSearch(trie: DoubleArrayTrie): (key: string) => { k: string; v?: number }[] {
  const bc = trie.bc;
  const bytes = new Uint8Array(4);
  return (key: string) => {
    const out: { k: string; v?: number }[] = [];
    let parent = 0; // the root
    for (let i = 0; i < key.length; ) {
      let code = key.charCodeAt(i);
      let width = 1;
      if (code >= 0xd800 && code <= 0xdbff) {
        const low = key.charCodeAt(i + 1);
        if (!(low >= 0xdc00 && low <= 0xdfff)) return out;
        code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
      let n: number;
      if (code < 0x80) (bytes[0] = code), (n = 1);
      else if (code < 0x800) (bytes[0] = (code >>> 6) | 0xc0), (bytes[1] = (code & 0x3f) | 0x80), (n = 2);
      else if (code < 0x10000) (bytes[0] = (code >>> 12) | 0xe0), (bytes[1] = ((code >> 6) & 0x3f) | 0x80), (bytes[2] = (code & 0x3f) | 0x80), (n = 3);
      else (bytes[0] = (code >>> 18) | 0xf0), (bytes[1] = ((code >> 12) & 0x3f) | 0x80), (bytes[2] = ((code >> 6) & 0x3f) | 0x80), (bytes[3] = (code & 0x3f) | 0x80), (n = 4);
      for (let b = 0; b < n; b++) {
        const child = bc.getBase(parent) + bytes[b];
        if (bc.getCheck(child) !== parent) return out;
        parent = child;
      }
      i += width;
      // a word ends here when the node has a child by the terminal code 0
      const leaf = bc.getBase(parent);
      if (bc.getCheck(leaf) === parent) {
        const base = bc.getBase(leaf);
        out.push(base <= 0 ? { v: -base - 1, k: key.slice(0, i) } : { k: key.slice(0, i) });
      }
    }
    return out;
  };
}

/** What kuromoji's ViterbiBuilder holds: the dictionary trie and the two dictionaries a lattice is built from. */
export interface LatticeBuilder {
  trie: DoubleArrayTrie;
  token_info_dictionary: { target_map: Record<number, ArrayLike<number> | undefined>; dictionary: { getShort(offset: number): number } };
  unknown_dictionary: {
    target_map: Record<number, ArrayLike<number> | undefined>;
    dictionary: { getShort(offset: number): number };
    lookup(ch: string): { class_id: number; class_name: string; is_always_invoke: number; is_grouping: number };
  };
  build(sentence: string): unknown;
}

/** kuromoji's lattice classes (loaded on the first build). */
interface ViterbiClasses {
  ViterbiLattice: new () => { append(node: unknown): void; appendEos(): void };
  ViterbiNode: new (name: number, cost: number, start: number, length: number, type: string, left: number, right: number, surface: string) => unknown;
}
let viterbi: ViterbiClasses | undefined;

/**
 * kuromoji's `ViterbiBuilder.build` without its copies: the original wraps the rest of the sentence
 * in a new SurrogateAwareString (a scan of it) at every position — quadratic in the piece, and most
 * of a long paste's garbage. This reads the sentence's characters once and builds the same lattice:
 * the same nodes in the same order with the same fields, including the original's lengths (an
 * unknown word of one character has length 1 even when it is a surrogate pair; a grouped one its
 * UTF-16 length). Pinned against the original by test/text-tokenizer-trie.test.ts.
 */
export function fastLatticeBuild(this: LatticeBuilder, sentence: string): unknown {
  const { ViterbiLattice, ViterbiNode } = (viterbi ??= {
    /* eslint-disable @typescript-eslint/no-require-imports */
    ViterbiLattice: require('kuromoji/src/viterbi/ViterbiLattice.js') as ViterbiClasses['ViterbiLattice'],
    ViterbiNode: require('kuromoji/src/viterbi/ViterbiNode.js') as ViterbiClasses['ViterbiNode'],
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  const lattice = new ViterbiLattice();
  // the characters as SurrogateAwareString reads them: a high surrogate takes the next code unit with it
  const starts: number[] = [];
  for (let i = 0; i < sentence.length; i++) {
    starts.push(i);
    const c = sentence.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
  }
  const n = starts.length;
  const charAt = (k: number) => sentence.slice(starts[k], k + 1 < n ? starts[k + 1] : sentence.length);
  const known = this.token_info_dictionary;
  const unknown = this.unknown_dictionary;
  for (let pos = 0; pos < n; pos++) {
    const vocabulary = this.trie.commonPrefixSearch(sentence.slice(starts[pos]));
    for (const { k: key, v } of vocabulary) {
      const ids = known.target_map[v as number] ?? [];
      for (let i = 0; i < ids.length; i++) {
        const id = Number(ids[i]);
        lattice.append(new ViterbiNode(id, known.dictionary.getShort(id + 4), pos + 1, key.length, 'KNOWN', known.dictionary.getShort(id), known.dictionary.getShort(id + 2), key));
      }
    }
    const head = charAt(pos);
    const headClass = unknown.lookup(head);
    if (vocabulary.length === 0 || headClass.is_always_invoke === 1) {
      let key = head;
      let grouped = false;
      if (headClass.is_grouping === 1) {
        for (let k = pos + 1; k < n; k++) {
          const next = charAt(k);
          if (unknown.lookup(next).class_name !== headClass.class_name) break;
          key += next;
          grouped = true;
        }
      }
      const ids = unknown.target_map[headClass.class_id] ?? [];
      for (let j = 0; j < ids.length; j++) {
        const id = Number(ids[j]);
        lattice.append(new ViterbiNode(id, unknown.dictionary.getShort(id + 4), pos + 1, grouped ? key.length : 1, 'UNKNOWN', unknown.dictionary.getShort(id), unknown.dictionary.getShort(id + 2), key));
      }
    }
  }
  lattice.appendEos();
  return lattice;
}

/**
 * Gives the tokenizer's lattice builder {@link fastLatticeBuild} and its dictionary trie
 * {@link fastPrefixSearch} (the builder calls it at every position).
 */
function withFastTrie(tok: Tokenizer): Tokenizer {
  const builder = (tok as unknown as { viterbi_builder?: LatticeBuilder }).viterbi_builder;
  const trie = builder?.trie;
  if (!builder || !trie || typeof trie.commonPrefixSearch !== 'function' || !trie.bc) return tok;
  trie.commonPrefixSearch = fastPrefixSearch(trie);
  builder.build = fastLatticeBuild;
  return tok;
}

/** Loads the IPADIC dictionary with kuromoji's DictionaryLoader and the reader above. */
function buildTokenizer(dicPath: string): Promise<Tokenizer> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const DictionaryLoader = require('kuromoji/src/loader/DictionaryLoader.js') as { prototype: object };
  const DynamicDictionaries = require('kuromoji/src/dict/DynamicDictionaries.js') as new (...args: unknown[]) => unknown;
  const TokenInfoDictionary = require('kuromoji/src/dict/TokenInfoDictionary.js') as { prototype: object };
  const UnknownDictionary = require('kuromoji/src/dict/UnknownDictionary.js') as { prototype: object };
  const KuromojiTokenizer = require('kuromoji/src/Tokenizer.js') as new (dic: unknown) => Tokenizer;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dic = new DynamicDictionaries(null, emptyDictionary(TokenInfoDictionary.prototype), null, emptyDictionary(UnknownDictionary.prototype, { character_definition: null }));
  const loader = Object.assign(Object.create(DictionaryLoader.prototype) as { load(cb: (err: unknown, dic: unknown) => void): void }, {
    dic,
    dic_path: dicPath,
    loadArrayBuffer,
  });
  return new Promise((resolve, reject) => {
    loader.load((err, loaded) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(boundTokenizer(withFastTrie(new KuromojiTokenizer(loaded))));
    });
  });
}

/**
 * Longest piece of text (UTF-16 code units) handed to kuromoji at once. kuromoji splits only at
 * 「、」「。」 and its lattice builder copies the rest of the sentence at every position (and groups a
 * run of katakana, digits or symbols from every position), so one unbroken 2,000-character paste
 * cost ≈1 s. Cut into pieces of at most this length the cost is linear in the text. Ordinary
 * sentences are shorter than this, so their tokens do not change.
 */
export const MAX_SEGMENT = 128;

const HIRAGANA = /[\u3041-\u309f]/;
const BREAK = /[\s、。，．,.!?！？「」『』（）()・]/;

/**
 * Where to cut `text` between `from` and `from + MAX_SEGMENT`: after the last space or punctuation
 * in the second half of the window, else at the last hiragana → other character change (a particle
 * ending a word), else at the window's end — never inside a surrogate pair.
 */
function cutPoint(text: string, from: number): number {
  const end = from + MAX_SEGMENT;
  const low = from + MAX_SEGMENT / 2;
  for (let i = end; i > low; i--) if (BREAK.test(text[i - 1])) return i;
  for (let i = end; i > low; i--) if (HIRAGANA.test(text[i - 1]) && !HIRAGANA.test(text[i])) return i;
  const c = text.charCodeAt(end - 1);
  return c >= 0xd800 && c <= 0xdbff ? end - 1 : end;
}

/** Tokens of the texts tokenized during the current {@link withTokenMemo} call (null outside one). */
let turnMemo: Map<string, Token[]> | null = null;
/** Texts remembered per {@link withTokenMemo} call at most (a turn tokenizes a handful). */
const TURN_MEMO_SIZE = 64;

/**
 * Runs `fn` (synchronous) with tokenize results remembered by text: the components of one turn
 * (intent, search, slot reading) tokenize the same message several times, and a 500-character
 * paste costs ≈7 ms each time. The memo lives only for the call — nothing is kept across turns or
 * users. Callers treat tokens as read-only (they already share kuromoji's token objects).
 */
export function withTokenMemo<T>(fn: () => T): T {
  if (turnMemo) return fn();
  turnMemo = new Map();
  try {
    return fn();
  } finally {
    turnMemo = null;
  }
}

/** Makes `tok.tokenize` work on pieces of at most {@link MAX_SEGMENT} characters (see there); positions stay those of the whole text. */
export function boundTokenizer(tok: Tokenizer): Tokenizer {
  const segmented = boundTokenize(tok.tokenize.bind(tok));
  tok.tokenize = (text: string) => {
    if (!turnMemo || typeof text !== 'string') return segmented(text);
    let tokens = turnMemo.get(text);
    if (!tokens) {
      tokens = segmented(text);
      if (turnMemo.size < TURN_MEMO_SIZE) turnMemo.set(text, tokens);
    }
    // a copy of the list: a caller may reorder its own list; the token objects are shared as before
    return tokens.slice();
  };
  return tok;
}

/** `inner` over pieces of at most {@link MAX_SEGMENT} characters, positions those of the whole text. */
function boundTokenize(inner: (text: string) => Token[]): (text: string) => Token[] {
  return (text: string) => {
    if (typeof text !== 'string' || text.length <= MAX_SEGMENT) return inner(text);
    const out: Token[] = [];
    for (let from = 0; from < text.length; ) {
      const to = text.length - from <= MAX_SEGMENT ? text.length : cutPoint(text, from);
      for (const t of inner(text.slice(from, to))) out.push(from ? { ...t, word_position: t.word_position + from } : t);
      from = to;
    }
    return out;
  };
}

let pending: Promise<Tokenizer> | null = null;

/**
 * The shared tokenizer. The first call starts loading the dictionary (≈0.5 s, ≈180 MB); later calls
 * get the same promise.
 * @throws Error when the dictionary files cannot be read (rejects the promise; a later call retries).
 */
export function getTokenizer(): Promise<Tokenizer> {
  if (!pending) {
    pending = buildTokenizer(dictionaryPath());
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}

/** Starts loading the dictionary now (see {@link getTokenizer}); a failure is reported to the later getTokenizer() caller. */
export function preloadTokenizer(): void {
  getTokenizer().catch(() => undefined);
}
