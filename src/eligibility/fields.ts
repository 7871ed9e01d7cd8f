/**
 * 技術・産業分野 (knowledge/fields.yaml): which fields a text names, which fields a business belongs
 * to, and whether a field-limited programme (`eligibility.fields`) is open to it.
 * The vocabulary, the wider fields (`broader`) and the purposes that imply a field are data.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { FieldsFile } from '../knowledge/schema.ts';
import { matchKey } from '../text/normalize.ts';
import type { Profile } from './profile.ts';

type Vocabulary = FieldsFile['fields'];

/** Folded keyword → labels of the fields it names, longest keyword first (per vocabulary). */
const prepared = new WeakMap<Vocabulary, { key: string; ascii: boolean; labels: string[] }[]>();

function keywordsOf(vocab: Vocabulary): { key: string; ascii: boolean; labels: string[] }[] {
  let list = prepared.get(vocab);
  if (list) return list;
  const byKey = new Map<string, string[]>();
  for (const f of vocab) {
    for (const w of [f.label, ...f.keywords]) {
      const key = matchKey(w);
      if (!key) continue;
      const labels = byKey.get(key) ?? [];
      if (!labels.includes(f.label)) labels.push(f.label);
      byKey.set(key, labels);
    }
  }
  list = [...byKey].map(([key, labels]) => ({ key, ascii: /^[a-z0-9]+$/.test(key), labels })).sort((a, b) => b.key.length - a.key.length);
  prepared.set(vocab, list);
  return list;
}

/**
 * The fields a text names (labels of knowledge/fields.yaml, in vocabulary order).
 * Keywords match on {@link matchKey} forms, longest first: a span claimed by a longer keyword
 * (「宇宙データ」) is not matched again by a shorter one (「宇宙」). An ASCII keyword (「AI」「EV」)
 * must stand alone, not inside a longer ASCII word. `[]` when none; never throws.
 */
export function findFields(kb: Pick<KnowledgeBase, 'fields'>, text: string): string[] {
  const vocab = kb.fields?.fields ?? [];
  const folded = matchKey(typeof text === 'string' ? text : '');
  if (!folded || !vocab.length) return [];
  const claimed = new Uint8Array(folded.length);
  const found = new Set<string>();
  for (const { key, ascii, labels } of keywordsOf(vocab)) {
    const spans: number[] = [];
    for (let at = folded.indexOf(key); at >= 0; at = folded.indexOf(key, at + 1)) {
      if (claimed.subarray(at, at + key.length).some((c) => c === 1)) continue;
      if (ascii && (/[a-z0-9]/.test(folded[at - 1] ?? '') || /[a-z0-9]/.test(folded[at + key.length] ?? ''))) continue;
      spans.push(at);
    }
    if (!spans.length) continue;
    labels.forEach((l) => found.add(l));
    for (const at of spans) claimed.fill(1, at, at + key.length);
  }
  return vocab.map((f) => f.label).filter((l) => found.has(l));
}

/**
 * The fields a business belongs to: those it named (`profile.fields`), those its purpose implies
 * (fields.yaml `purposes`), and the wider field of each (`broader`, transitively).
 * @returns null when nothing is known (the field was not given and no purpose implies one).
 */
export function businessFields(kb: Pick<KnowledgeBase, 'fields'>, p: Profile): Set<string> | null {
  const vocab = kb.fields?.fields ?? [];
  const out = new Set<string>(p.fields ?? []);
  if (p.purpose) for (const f of vocab) if (f.purposes?.includes(p.purpose)) out.add(f.label);
  for (const label of [...out]) {
    for (let b = vocab.find((f) => f.label === label)?.broader; b && !out.has(b); b = vocab.find((f) => f.label === b)?.broader) out.add(b);
  }
  return out.size || p.fields ? out : null;
}

/**
 * Whether a business may use a programme limited to `programFields`: true when one of its fields
 * (with their wider fields) is among them; false when they differ and also while the business's
 * field is unknown (such a programme is shown only as a close miss until the field is known).
 */
export function fieldFits(kb: Pick<KnowledgeBase, 'fields'>, p: Profile, programFields: string[]): boolean {
  const mine = businessFields(kb, p);
  return !!mine && programFields.some((f) => mine.has(f));
}
