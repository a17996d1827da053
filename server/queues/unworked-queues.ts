/**
 * Queues where jobs wait and no worker anywhere takes them. A deployment whose
 * WORKER_QUEUES lists its queues by hand and leaves one out (`notifications`,
 * added after many wrote theirs) would hold escalation e-mails and webhooks
 * forever without a sign. Each worker process looks at every queue (BullMQ
 * lists the workers connected to it, in whatever process) and reports the
 * unworked ones as a health advisory: degraded, not down, since this node is
 * fine and every node would say the same.
 */
import type { Queue } from 'bullmq';
import type { Advisory } from '../roles/role';
import type { Logger } from '../logger';
import { QUEUE_NAMES, type QueueName } from './routes';

export interface UnworkedQueuesWatch {
  /** `unworkedQueues`: "none", or e.g. "notifications (3 waiting)". */
  advisories(): Record<string, Advisory>;
  stop(): void;
}

/** Checks every `intervalMs`; errors are logged and the last answer kept. */
export function watchUnworkedQueues(
  queue: (name: QueueName) => Pick<Queue, 'getJobCounts' | 'getWorkers'>,
  intervalMs: number,
  logger: Logger,
): UnworkedQueuesWatch {
  let unworked: { name: QueueName; waiting: number }[] = [];
  const check = async () => {
    const found: typeof unworked = [];
    for (const name of QUEUE_NAMES) {
      const counts = await queue(name).getJobCounts('waiting', 'prioritized');
      const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
      if (waiting > 0 && (await queue(name).getWorkers()).length === 0)
        found.push({ name, waiting });
    }
    for (const q of found.filter((f) => !unworked.some((u) => u.name === f.name)))
      logger.error(
        { queue: q.name, waiting: q.waiting },
        'jobs wait in a queue no worker takes: add it to some process WORKER_QUEUES',
      );
    unworked = found;
  };
  const run = () =>
    void check().catch((error: Error) =>
      logger.warn({ err: error.message }, 'unworked queue check failed'),
    );
  // The first look after one interval: this process's own workers are connected by then.
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    advisories: () => ({
      unworkedQueues: {
        state:
          unworked.length === 0
            ? 'none'
            : unworked.map((q) => `${q.name} (${q.waiting} waiting)`).join(', '),
        degraded: unworked.length > 0,
      },
    }),
    stop: () => clearInterval(timer),
  };
}
