/**
 * A faster stand-in for a lunr index's `tokenSet` (the automaton of every indexed term that
 * `Index.query` intersects each query term with). Our queries never use wildcards or edit distance
 * (src/search/query.ts; the pipeline strips `*`), so each intersection is an exact lookup — but
 * lunr's `TokenSet.intersect` lists every edge of every node it visits, and the root of a Japanese
 * index has thousands of edges (one per first character): that was most of a query's time.
 *
 * {@link ExactTermSet.intersect} answers a plain term (a single chain of characters, as
 * `TokenSet.fromString` builds it) with a dictionary lookup in the inverted index and hands any
 * other token set (wildcard, fuzzy) to lunr's real automaton, built on first need. Results are the
 * same as lunr's in every case.
 */
import lunr from 'lunr';

type InvertedIndex = Record<string, unknown>;

/** The subset of lunr.TokenSet that `lunr.Index.query` uses on the index's token set. */
export class ExactTermSet {
  private full: lunr.TokenSet | null = null;

  constructor(private readonly invertedIndex: InvertedIndex) {}

  /** The terms of the index matched by `b` (a token set built from a query clause). */
  intersect(b: lunr.TokenSet): { toArray(): string[] } {
    const term = plainTerm(b);
    if (term === null) return this.automaton().intersect(b);
    const found = Object.prototype.hasOwnProperty.call(this.invertedIndex, term);
    return { toArray: () => (found ? [term] : []) };
  }

  /** lunr's own automaton over every indexed term (built lazily, for wildcard or fuzzy clauses). */
  private automaton(): lunr.TokenSet {
    // lunr.TokenSet.fromArray exists at runtime; @types/lunr omits it
    const fromArray = (lunr.TokenSet as unknown as { fromArray(terms: string[]): lunr.TokenSet }).fromArray;
    return (this.full ??= fromArray(Object.keys(this.invertedIndex).sort()));
  }
}

/** The string `b` accepts when it is a plain chain (no wildcard, no branching), else null. */
function plainTerm(b: lunr.TokenSet): string | null {
  let node = b as unknown as { final: boolean; edges: Record<string, unknown> };
  let term = '';
  for (;;) {
    let next: string | null = null;
    for (const ch in node.edges) {
      if (next !== null || ch === '*') return null;
      next = ch;
    }
    if (next === null) return node.final ? term : null;
    if (node.final) return null;
    term += next;
    node = node.edges[next] as typeof node;
  }
}

interface SerializedIndex {
  version: string;
  fields: string[];
  fieldVectors: [string, number[]][];
  invertedIndex: [string, object][];
  pipeline: string[];
}

/**
 * `lunr.Index.load` without building the term automaton (the saved index loads faster and smaller):
 * the index's token set is an {@link ExactTermSet}. The pipeline functions must be registered.
 */
export function loadIndex(serialized: object): lunr.Index {
  const s = serialized as SerializedIndex;
  if (s.version !== lunr.version) return withExactTerms(lunr.Index.load(serialized));
  const fieldVectors: Record<string, lunr.Vector> = {};
  for (const [ref, elements] of s.fieldVectors) fieldVectors[ref] = new lunr.Vector(elements);
  const invertedIndex: InvertedIndex = Object.create(null) as InvertedIndex;
  for (const [term, posting] of s.invertedIndex) invertedIndex[term] = posting;
  const attrs = { fields: s.fields, fieldVectors, invertedIndex, tokenSet: new ExactTermSet(invertedIndex), pipeline: lunr.Pipeline.load(s.pipeline) };
  return new lunr.Index(attrs as unknown as lunr.Index.Attributes);
}

/** Replaces a built index's token set by an {@link ExactTermSet} (frees lunr's automaton). */
export function withExactTerms(idx: lunr.Index): lunr.Index {
  const raw = idx as unknown as { invertedIndex: InvertedIndex; tokenSet: unknown };
  raw.tokenSet = new ExactTermSet(raw.invertedIndex);
  return idx;
}
