/**
 * Wording of the operations features, from intents/ops.yaml (validated with zod): the rate-limit
 * reply, the notice when the conversation's place could not be kept, the freshness report's
 * sentences, and the replies that reject an answer (for the unanswered log).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readYamlOrThrow } from '../knowledge/load.ts';
import { normalize } from '../text/normalize.ts';

export const OpsWording = z.strictObject({
  rateLimited: z.string().min(1),
  storeUnavailable: z.string().min(1),
  freshness: z.strictObject({
    pastFiscalYear: z.string().min(1),
    pastProgram: z.string().min(1),
    noPhone: z.string().min(1),
    missingSource: z.string().min(1),
    receptionEnded: z.string().min(1),
    snapshot: z.string().min(1),
    sections: z.strictObject({
      receptionEnded: z.string().min(1),
      missingSources: z.string().min(1),
      pastPrograms: z.string().min(1),
      desksWithoutPhone: z.string().min(1),
      pastFiscalYear: z.string().min(1),
    }),
  }),
  rejections: z.array(z.string().min(1)).min(1),
});
export type OpsWording = z.infer<typeof OpsWording>;

/**
 * Loads and validates `<dir>/ops.yaml`.
 * @throws Error naming the file and each invalid field when it is missing or invalid.
 */
export function loadOpsWording(dir: string): OpsWording {
  return readYamlOrThrow(join(dir, 'ops.yaml'), OpsWording);
}

function rejectionKey(text: string): string {
  return normalize(text).replace(/[\s。、！？!?.,…]+/gu, '');
}

/**
 * A matcher for messages that reject the previous answer (「違う」「わからない」…): the whole message,
 * after normalising and removing spaces and punctuation, equals one of `words`.
 */
export function rejectionMatcher(words: string[]): (text: string) => boolean {
  const set = new Set(words.map(rejectionKey));
  return (text) => typeof text === 'string' && text.length < 40 && set.has(rejectionKey(text));
}
