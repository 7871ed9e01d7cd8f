/** Default file locations of the operations features (overridable by configuration). */
import { join } from 'node:path';
import { PROJECT_ROOT } from '../knowledge/load.ts';

/** var/unanswered.jsonl under the project root (UNANSWERED_LOG overrides). */
export function defaultUnansweredLogPath(): string {
  return join(PROJECT_ROOT, 'var', 'unanswered.jsonl');
}
