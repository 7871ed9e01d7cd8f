/**
 * Values computed from a loaded catalogue and a string key, kept per catalogue (a loaded
 * KnowledgeBase never changes; a reload is a new object, so its values are computed afresh) and,
 * optionally, per wording object. Every question's buttons of the guided diagnosis classify the
 * business and count the programmes left for each choice, mostly for profiles seen before.
 */
import { LRUCache } from 'lru-cache';

/** A per-catalogue LRU memo: at most `max` keys per (catalogue, wording); a key longer than `keyMax` characters is computed each time. */
export class CatalogueMemo<T extends {}> {
  private readonly byScope = new WeakMap<object, WeakMap<object, LRUCache<string, T>>>();

  /**
   * @param max most keys kept per catalogue (and wording)
   * @param keyMax longest key kept (a long one-shot message in a profile is computed each time: bounded memory)
   */
  constructor(
    private readonly max: number,
    private readonly keyMax: number,
  ) {}

  /**
   * The value for `key` under catalogue `kb` (and `wording`, when the value depends on it): kept, else
   * `compute()` (then kept). Callers read the values, never change them.
   */
  get(kb: object, key: string, compute: () => T, wording: object = NO_WORDING): T {
    if (key.length > this.keyMax) return compute();
    let byWording = this.byScope.get(kb);
    if (!byWording) this.byScope.set(kb, (byWording = new WeakMap()));
    let cache = byWording.get(wording);
    if (!cache) byWording.set(wording, (cache = new LRUCache<string, T>({ max: this.max })));
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    cache.set(key, value);
    return value;
  }
}

/** The scope of values that depend on the catalogue alone. */
const NO_WORDING = {};
