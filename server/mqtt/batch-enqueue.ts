/**
 * The ingest's micro-batches: messages of a batching task (routes.ts `batch`)
 * are gathered into one job, closed when it holds `maxMessages` or
 * `maxWaitMs` after its first message. Each message's enqueue resolves only
 * once its batch job is in Redis (so it is acknowledged only then), and
 * rejects with the batch, leaving every message of it unacknowledged. Tasks
 * without a batch route (alerts, commands, health) still get a job each.
 */
import type { JobDataOf, TaskName } from '../../contract/job-data';
import { routeFor, type BatchRoute } from '../queues/routes';
import type { Enqueue, EnqueueBatch } from './ingest';

interface OpenBatch {
  messages: JobDataOf<TaskName>[];
  waiters: { resolve(): void; reject(error: unknown): void }[];
  timer: NodeJS.Timeout | null;
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

  function close(task: TaskName): void {
    const batch = open.get(task);
    if (!batch) return;
    open.delete(task);
    if (batch.timer) clearTimeout(batch.timer);
    enqueueBatch(task, batch.messages).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (error: unknown) => batch.waiters.forEach((w) => w.reject(error)),
    );
  }

  function openBatch(task: TaskName): OpenBatch {
    const batch: OpenBatch = { messages: [], waiters: [], timer: null };
    open.set(task, batch);
    return batch;
  }

  const batching: Enqueue = (task, jobId, data) => {
    const limits = batchOf(task);
    if (!limits) return enqueue(task, jobId, data);
    const batch = open.get(task) ?? openBatch(task);
    const added = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    batch.messages.push(data);
    if (batch.messages.length >= limits.maxMessages) close(task);
    else batch.timer ??= setTimeout(() => close(task), limits.maxWaitMs);
    return added;
  };
  return Object.assign(batching, { flush: () => [...open.keys()].forEach(close) });
}
