/**
 * The ingest's micro-batches: messages of a batching task (routes.ts `batch`)
 * are gathered into one job. A batch closes as soon as no earlier batch of its
 * task is still being added (on the next turn of the event loop, so what one
 * read of the sockets brought stays together): when the link is quiet a
 * message waits for nothing. While an add is in flight, messages gather and
 * go as one job when it returns, so batches grow exactly when Redis is the
 * bottleneck (group commit). `maxMessages` and `maxWaitMs` bound a batch
 * either way. Each message's enqueue resolves only once its batch job is in
 * Redis (so it is acknowledged only then), and rejects with the batch,
 * leaving every message of it unacknowledged. Tasks without a batch route
 * (alerts, commands, health) still get a job each.
 */
import type { JobDataOf, TaskName } from '../../contract/job-data';
import { routeFor, type BatchRoute } from '../queues/routes';
import type { Enqueue, EnqueueBatch } from './ingest';

interface OpenBatch {
  messages: JobDataOf<TaskName>[];
  waiters: { resolve(): void; reject(error: unknown): void }[];
  /** Cancels the scheduled close, if one is scheduled. */
  cancel: (() => void) | null;
}

export interface BatchingOptions {
  enqueue: Enqueue;
  enqueueBatch: EnqueueBatch;
  /** How a task batches; default the route table. */
  batchOf?(task: TaskName): BatchRoute | undefined;
}

/** An Enqueue that batches what the route table says; flush() closes every open batch now. */
export function createBatchingEnqueue({
  enqueue,
  enqueueBatch,
  batchOf = (task) => routeFor(task).batch,
}: BatchingOptions): Enqueue & { flush(): void } {
  const open = new Map<TaskName, OpenBatch>();
  /** Batch adds of each task still waiting for Redis. */
  const inFlight = new Map<TaskName, number>();

  function close(task: TaskName): void {
    const batch = open.get(task);
    if (!batch) return;
    open.delete(task);
    batch.cancel?.();
    inFlight.set(task, (inFlight.get(task) ?? 0) + 1);
    enqueueBatch(task, batch.messages)
      .then(
        () => batch.waiters.forEach((w) => w.resolve()),
        (error: unknown) => batch.waiters.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        const left = inFlight.get(task)! - 1;
        inFlight.set(task, left);
        // What gathered while this add was in flight goes now.
        if (left === 0) close(task);
      });
  }

  function scheduleClose(task: TaskName, batch: OpenBatch, limits: BatchRoute): void {
    if (batch.cancel) return;
    if ((inFlight.get(task) ?? 0) === 0) {
      const immediate = setImmediate(close, task);
      batch.cancel = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(close, limits.maxWaitMs, task);
      batch.cancel = () => clearTimeout(timer);
    }
  }

  const batching: Enqueue = (task, jobId, data) => {
    const limits = batchOf(task);
    if (!limits) return enqueue(task, jobId, data);
    let batch = open.get(task);
    if (!batch) open.set(task, (batch = { messages: [], waiters: [], cancel: null }));
    const added = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    batch.messages.push(data);
    if (batch.messages.length >= limits.maxMessages) close(task);
    else scheduleClose(task, batch, limits);
    return added;
  };
  return Object.assign(batching, { flush: () => [...open.keys()].forEach(close) });
}
