/**
 * Process-level safety net: an unexpected promise rejection or exception anywhere (a platform SDK's
 * callback, a forgotten `void promise`) is logged and the server keeps serving. Request handlers
 * already answer their own errors; this only catches what escaped them.
 */
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';

/**
 * Installs (on `proc`, default the process) `unhandledRejection` and `uncaughtException` handlers that log at `error` (with the
 * error and its stack) instead of exiting. Returns a function that removes them (for tests).
 */
export function installProcessHandlers(logger: Logger, proc: Pick<EventEmitter, 'on' | 'off'> = process): () => void {
  const onRejection = (reason: unknown) => {
    logger.error({ err: reason }, 'unhandled promise rejection (the server keeps running)');
  };
  const onException = (err: Error, origin: string) => {
    logger.error({ err, origin }, 'uncaught exception (the server keeps running)');
  };
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return () => {
    proc.off('unhandledRejection', onRejection);
    proc.off('uncaughtException', onException);
  };
}
