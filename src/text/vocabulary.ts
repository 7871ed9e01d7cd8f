/**
 * `knowledge check` warnings about the search vocabulary of records (issue #11): a programme without
 * keywords, a keyword that is a sentence rather than a word or short phrase, a keyword shared by too many records (it tells them
 * apart no better than a common word), and an alias that is a generic word or folds into a common
 * phrase (it would make every question using it "name" the record). Warnings, not errors: the
 * catalogue still loads; the search already ignores such aliases and keywords as names and phrases.
 */
import type { KnowledgeBase } from '../knowledge/load.ts';
import { commonWordLimit, genericAliases, placeKeys } from './gazetteer.ts';
import { isDatasetRef } from '../knowledge/schema.ts';
import { fold, matchKey, normalize } from './normalize.ts';

/** Longest keyword (characters after normalising) that still counts as a short phrase. */
export const KEYWORD_MAX_CHARS = 15;
const SENTENCE = /[。．！？!?]|(?:ください|ほしい|ですか|ますか|でしょうか)$/;

/** Whether a keyword reads as a sentence (punctuation, a request ending, or longer than {@link KEYWORD_MAX_CHARS}). */
export function isSentence(keyword: string): boolean {
  const n = normalize(keyword);
  return SENTENCE.test(n) || [...n].length > KEYWORD_MAX_CHARS;
}

/** One warning: the record, the path of the field in it, and the message. */
export interface VocabularyWarning {
  id: string;
  path: (string | number)[];
  message: string;
}

/** Every vocabulary warning of the catalogue (see the module comment), in record order. */
export function vocabularyWarnings(kb: Pick<KnowledgeBase, 'records' | 'areas'>): VocabularyWarning[] {
  const out: VocabularyWarning[] = [];
  const limit = commonWordLimit(kb.records.length);
  const carriers = new Map<string, number>();
  for (const r of kb.records) for (const k of new Set((r.keywords ?? []).map((x) => fold(normalize(x))))) carriers.set(k, (carriers.get(k) ?? 0) + 1);
  const reported = new Set<string>();
  for (const r of kb.records) {
    (r.keywords ?? []).forEach((k, i) => {
      if (isSentence(k)) out.push({ id: r.id, path: ['keywords', i], message: `${r.id}: keyword "${k}" is a sentence; write the word or short phrase an owner types (at most ${KEYWORD_MAX_CHARS} characters)` });
      const n = carriers.get(fold(normalize(k))) ?? 0;
      const key = fold(normalize(k));
      if (n > limit && !reported.has(key)) {
        reported.add(key);
        out.push({ id: r.id, path: ['keywords', i], message: `${r.id}: keyword "${k}" is shared by ${n} records (more than ${limit}): it tells them apart no better than a common word` });
      }
    });
  }
  // a programme without keywords is found only by the words of its name and text, which owners
  // seldom type (「ハンコをやめたい」 for a digital-tool subsidy): every programme gets the everyday words
  for (const r of kb.records) {
    if (r.kind !== 'program' || (r.keywords ?? []).length) continue;
    // (an imported national programme gets them in knowledge/national-overrides.yaml, then the import is run again)
    const where = isDatasetRef(r.source) ? ' in knowledge/national-overrides.yaml (records → keywords) and run the import again' : ' (keywords: [電気代, 省エネ])';
    out.push({ id: r.id, path: ['name'], message: `${r.id}: programme "${r.name}" has no keywords; add the everyday words an owner types for what the source says it does${where}` });
  }
  // a name that is only a place's (a dataset desk called 「山口県」) names nothing in search: a question
  // mentioning the place means the place (src/text/gazetteer.ts placeKeys)
  const places = placeKeys(kb.areas ?? []);
  for (const r of kb.records) {
    if (r.kind === 'area') continue;
    if (places.has(matchKey(r.name))) out.push({ id: r.id, path: ['name'], message: `${r.id}: name "${r.name}" is only a place; no question names the record by it (the place is read as a place) — use the office's or service's name as the source prints it` });
    r.aliases.forEach((a, i) => {
      if (places.has(matchKey(a))) out.push({ id: r.id, path: ['aliases', i], message: `${r.id}: alias "${a}" is only a place; it does not name the record in search` });
    });
  }
  for (const g of genericAliases(kb)) {
    const why = g.folds
      ? `folds into a common phrase (「${g.key}」 once kana are folded)`
      : `is a generic word (it occurs in the text of ${g.records}+ other records, at most ${g.limit - 1} may)`;
    out.push({ id: g.id, path: ['aliases', g.index], message: `${g.id}: alias "${g.alias}" ${why}; it does not name the record in search — move it to keywords or make it specific` });
  }
  return out;
}
