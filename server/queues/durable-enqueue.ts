/**
 * Wraps enqueue so a Redis outage holds the message (unacknowledged) and
 * retries with backoff, instead of failing it. Gives up only when the process
 * shuts down; the broker then redelivers the unacknowledged message.
 */
import { setMaxListeners } from 'node:events';
import { backoffDelay, sleep } from '../backoff';
import type { Logger } from '../logger';
import type { Enqueue, EnqueueBatch } from '../mqtt/ingest';

export class ShuttingDownError extends Error {
  readonly code = 'SHUTTING_DOWN';
  constructor() {
    super('shutting down: message left unacknowledged for redelivery');
    this.name = 'ShuttingDownError';
  }
}

/** Runs an add until it succeeds or `signal` aborts; one of those waiting reports. */
function createRetrier(signal: AbortSignal, logger: Logger) {
  // Hundreds of messages wait at once during an outage (every connection's
  // in-flight window): one of them reports, with how many wait, not each.
  let waiting = 0;
  let reporter: object | null = null;
  return async (task: string, add: () => Promise<void>): Promise<void> => {
    const self = {};
    let counted = false;
    try {
      for (let attempt = 1; ; attempt++) {
        if (signal.aborted) throw new ShuttingDownError();
        try {
          await add();
          return;
        } catch (error) {
          if (!counted) waiting += 1;
          counted = true;
          reporter ??= self;
          if (reporter === self && (attempt === 1 || attempt % 20 === 0)) {
            logger.warn(
              { task, attempt, waiting, err: (error as Error).message },
              'enqueue failed, retrying',
            );
          }
          await sleep(backoffDelay(attempt, { baseMs: 50, maxMs: 2000 }), signal);
        }
      }
    } finally {
      if (counted) waiting -= 1;
      if (reporter === self) reporter = null;
    }
  };
}

/** Both ways of adding jobs, each retried until it succeeds or `signal` aborts, with one report between them. */
export function durableProducer(
  producer: { enqueue: Enqueue; enqueueBatch: EnqueueBatch },
  signal: AbortSignal,
  logger: Logger,
): { enqueue: Enqueue; enqueueBatch: EnqueueBatch } {
  // Each waiting message sleeps on the signal: hundreds at once by design, not a leak.
  setMaxListeners(0, signal);
  const retry = createRetrier(signal, logger);
  return {
    enqueue: (task, jobId, data) => retry(task, () => producer.enqueue(task, jobId, data)),
    enqueueBatch: (task, messages) => retry(task, () => producer.enqueueBatch(task, messages)),
  };
}
