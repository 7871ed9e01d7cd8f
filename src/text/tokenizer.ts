/**
 * The kuromoji tokenizer (IPADIC), loaded once per process and shared: the dictionary load takes
 * ≈0.6 s and ≈300 MB, so every caller awaits the same promise.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import kuromoji from 'kuromoji';

export type Tokenizer = kuromoji.Tokenizer<kuromoji.IpadicFeatures>;
export type Token = kuromoji.IpadicFeatures;

let pending: Promise<Tokenizer> | null = null;

/** Folder of kuromoji's bundled IPADIC dictionary. */
export function dictionaryPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/**
 * The shared tokenizer. The first call starts loading the dictionary; later calls get the same promise.
 * @throws Error when the dictionary files cannot be read (rejects the promise; a later call retries).
 */
export function getTokenizer(): Promise<Tokenizer> {
  if (!pending) {
    pending = new Promise<Tokenizer>((resolve, reject) => {
      kuromoji.builder({ dicPath: dictionaryPath() }).build((err, tokenizer) => {
        if (err) {
          pending = null;
          reject(err instanceof Error ? err : new Error(String(err)));
        } else resolve(tokenizer);
      });
    });
  }
  return pending;
}
