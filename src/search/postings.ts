/**
 * Per-term posting lists with lunr's own BM25 weights, read from a lunr index's inverted index and
 * field vectors. lunr stores, for every (record, field), a vector of (term index, weight) where the
 * weight is BM25 × field boost; `Index.query` scores a field as Σ clause boost × weight / |query
 * vector of the field|. src/search/fuse.ts adds the contribution of frequent terms from these lists
 * instead of making lunr build match data for hundreds of records per frequent term.
 */
import type lunr from 'lunr';

/** Records having a term in one field, in lunr's posting order, with the term's weight in each. */
export interface PostingList {
  /** record numbers ({@link PostingWeights.refs} indexes) */
  docs: Int32Array;
  /** lunr's weight of the term in that record's field vector (BM25 × field boost) */
  weights: Float64Array;
}

type Posting = Record<string, Record<string, unknown>> & { _index: number };

const EMPTY: PostingList = { docs: new Int32Array(0), weights: new Float64Array(0) };

/** Posting lists of a lunr index, built per (term, field) on first use and kept (at most the size of the index's postings). */
export class PostingWeights {
  /** record refs, numbered in the order of the index's field vectors */
  readonly refs: string[] = [];
  private readonly numbers = new Map<string, number>();
  private readonly inverted: Record<string, Posting>;
  private readonly vectors: Record<string, { elements: number[] }>;
  /** field → term → list */
  private readonly lists = new Map<string, Map<string, PostingList>>();
  /** a list's record numbers in ascending order, for {@link contains} (made on first use) */
  private readonly sorted = new WeakMap<PostingList, Int32Array>();

  constructor(idx: lunr.Index) {
    // lunr keeps these public at runtime; the type definitions mark them internal
    const raw = idx as unknown as { invertedIndex: Record<string, Posting>; fieldVectors: Record<string, { elements: number[] }> };
    this.inverted = raw.invertedIndex;
    this.vectors = raw.fieldVectors;
    for (const fieldRef of Object.keys(raw.fieldVectors)) {
      const ref = fieldRef.slice(fieldRef.indexOf('/') + 1);
      if (!this.numbers.has(ref)) (this.numbers.set(ref, this.refs.length), this.refs.push(ref));
    }
  }

  /** Number of records. */
  get size(): number {
    return this.refs.length;
  }

  /** The number of record `ref` (−1 when unknown). */
  numberOf(ref: string): number {
    return this.numbers.get(ref) ?? -1;
  }

  /** lunr's term index of `term` (its position in query and field vectors), or −1 when not indexed. */
  termIndex(term: string): number {
    return Object.prototype.hasOwnProperty.call(this.inverted, term) ? this.inverted[term]._index : -1;
  }

  /** Whether record `ref` has `term` in `field`. */
  has(term: string, field: string, ref: string): boolean {
    const posting = Object.prototype.hasOwnProperty.call(this.inverted, term) ? this.inverted[term][field] : undefined;
    return posting !== undefined && Object.prototype.hasOwnProperty.call(posting, ref);
  }

  /**
   * Whether record number `doc` has `term` in `field` ({@link has} by number: a binary search of
   * the posting list instead of a property look-up by ref).
   */
  contains(term: string, field: string, doc: number): boolean {
    const list = this.list(term, field);
    if (!list.docs.length) return false;
    let docs = this.sorted.get(list);
    if (!docs) this.sorted.set(list, (docs = list.docs.slice().sort()));
    let lo = 0;
    let hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (docs[mid] === doc) return true;
      if (docs[mid] < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** field → each record's field vector elements, by record number (made on first use of the field) */
  private readonly fieldVectors = new Map<string, (number[] | undefined)[]>();

  /** The field vectors of `field` by record number: one look-up per record and field, not per posting. */
  private vectorsOf(field: string): (number[] | undefined)[] {
    let v = this.fieldVectors.get(field);
    if (!v) this.fieldVectors.set(field, (v = this.refs.map((ref) => this.vectors[`${field}/${ref}`]?.elements)));
    return v;
  }

  /** How many posting lists are kept (terms of the index only: never more than its postings). */
  remembered(): number {
    let n = 0;
    for (const m of this.lists.values()) n += m.size;
    return n;
  }

  /** The records having `term` in `field` with its weights (empty when none). */
  list(term: string, field: string): PostingList {
    let byTerm = this.lists.get(field);
    if (!byTerm) this.lists.set(field, (byTerm = new Map()));
    let list = byTerm.get(term);
    if (list) return list;
    const posting = Object.prototype.hasOwnProperty.call(this.inverted, term) ? this.inverted[term] : undefined;
    const refs = posting?.[field] ? Object.keys(posting[field]) : [];
    // a term not in the index is not remembered: user text would grow the memo without bound
    if (!posting || !refs.length) return EMPTY;
    list = { docs: new Int32Array(refs.length), weights: new Float64Array(refs.length) };
    const vectors = this.vectorsOf(field);
    for (let i = 0; i < refs.length; i++) {
      const d = this.numberOf(refs[i]);
      list.docs[i] = d;
      list.weights[i] = weightIn(d >= 0 ? vectors[d] : undefined, posting._index);
    }
    byTerm.set(term, list);
    return list;
  }
}

/** The value at term index `index` of a lunr vector's [index, value, …] elements (sorted by index); 0 when absent. */
function weightIn(elements: number[] | undefined, index: number): number {
  if (!elements) return 0;
  let lo = 0;
  let hi = elements.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = elements[mid * 2];
    if (at === index) return elements[mid * 2 + 1];
    if (at < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}
