/**
 * The lunr pipeline for Japanese terms. lunr's default trimmer, stop-word filter and stemmer are
 * English and destroy Japanese; terms reach lunr already analysed (src/text/analyzer.ts), so the
 * pipeline only makes them safe: it strips lunr's wildcard `*` (lunr.TokenSet would read it as a
 * wildcard) and drops empty terms. The function is registered under a fixed label so that
 * `lunr.Index.load` can rebuild the search pipeline of a saved index.
 */
import lunr from 'lunr';

/** Label of the registered pipeline function (saved inside index JSON). */
export const TERM_FUNCTION_LABEL = 'shienNaviTerm';

/** lunr pipeline function: removes `*` and white space; drops a term that becomes empty. */
export const termFunction: lunr.PipelineFunction = (token) => {
  const s = token.toString();
  if (!/[*\s]/.test(s)) return s.length ? token : null;
  const clean = s.replace(/[*\s]+/g, '');
  return clean.length ? token.update(() => clean) : null;
};

let registered = false;

/** Registers {@link termFunction} with lunr (idempotent). Must run before `lunr.Index.load`. */
export function registerPipeline(): void {
  if (registered) return;
  lunr.Pipeline.registerFunction(termFunction, TERM_FUNCTION_LABEL);
  registered = true;
}

/** Sets a builder's index and search pipelines to the Japanese pipeline. */
export function usePipeline(builder: lunr.Builder): void {
  registerPipeline();
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  builder.pipeline.add(termFunction);
  builder.searchPipeline.add(termFunction);
}
