/**
 * One generation of what the server builds from `knowledge/` and `intents/`: the checked knowledge
 * base, its search service, the dialogue engine and the operations wording. The {@link Runtime}
 * swaps whole generations, so a request never mixes the knowledge of one with the index of another.
 */
import type { Logger } from 'pino';
import type { ConversationStore, Engine } from '../core/types.ts';
import { createEngine } from '../dialogue/engine.ts';
import { loadDialogueData, type DialogueData } from '../dialogue/data.ts';
import { loadKnowledge, YamlFileError, type KnowledgeBase, type KnowledgeProblem } from '../knowledge/load.ts';
import { createSearchService, type SearchService } from '../search/service.ts';
import { loadAnswersWording, type AnswersWording } from '../search/wording.ts';
import { prepareKnowledge } from './prepare.ts';
import { ReloadError, validateKnowledge } from './runtime.ts';
import { loadOpsWording, type OpsWording } from './wording.ts';

/** Everything one request needs from the files. */
export interface Generation {
  kb: KnowledgeBase;
  search: SearchService;
  engine: Engine;
  ops: OpsWording;
}

export interface GenerationOptions {
  knowledgeDir: string;
  intentsDir: string;
  /** source documents for the figure checks (skipped when the folder is absent) */
  seedsDir: string;
  /** the store every generation's engine uses (conversations outlive generations) */
  store: ConversationStore;
  logger: Logger;
  /**
   * check and build the index in a worker thread (default true); a function is asked at each build
   * (the server uses the worker only once it is serving — at startup the thread is free anyway)
   */
  worker?: boolean | (() => boolean);
}

/** Problems of an intents file error, located (file:line:column) by the YAML reader. */
export function intentsProblems(err: unknown): KnowledgeProblem[] {
  return err instanceof YamlFileError ? err.problems : [];
}

function fromIntents<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    throw new ReloadError(err instanceof Error ? err.message : String(err), intentsProblems(err));
  }
}

/**
 * The build function of the server's {@link Runtime}: intents files first (cheap), then the
 * knowledge check and index build (in a worker unless `worker: false`), then the services.
 * @throws ReloadError with located problems when any file is invalid.
 */
export function generationBuilder(opts: GenerationOptions): () => Promise<Generation> {
  return async () => {
    const answers: AnswersWording = fromIntents(() => loadAnswersWording(opts.intentsDir));
    const data: DialogueData = fromIntents(() => loadDialogueData(opts.intentsDir));
    const ops = fromIntents(() => loadOpsWording(opts.intentsDir));
    let kb: KnowledgeBase | null = null;
    if (typeof opts.worker === 'function' ? opts.worker() : opts.worker !== false) {
      try {
        const prepared = await prepareKnowledge(opts.knowledgeDir, opts.seedsDir, answers.homeRegion);
        const loaded = loadKnowledge(opts.knowledgeDir).kb;
        // files edited between the worker's check and this load: check again here
        if (loaded && loaded.hash === prepared.hash) kb = loaded;
      } catch (err) {
        if (err instanceof ReloadError) throw err;
        opts.logger.warn({ err }, 'knowledge worker failed; checking in the server thread');
      }
    }
    kb ??= validateKnowledge(opts.knowledgeDir, opts.seedsDir).kb;
    const search = await createSearchService(kb, { wording: answers });
    const engine = await createEngine({ search, store: opts.store, data, logger: opts.logger });
    // the first long paste would pay for the search's lists and memos: paid here, before serving
    const warmMs = await engine.warmUp();
    opts.logger.debug({ warmMs: Math.round(warmMs) }, 'engine warmed up');
    return { kb, search, engine, ops };
  };
}
