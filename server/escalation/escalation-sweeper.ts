/**
 * The escalation sweeper each worker runs: re-adds the job of every running
 * escalation (a job lost between commit and enqueue, or in Redis, or one that
 * failed for good), then settles notifications whose delivery job ended
 * without ending them.
 */
import type pg from 'pg';
import type { Logger } from '../logger';
import { settleDeliveries } from './delivery-sweep';
import { scheduleRunning, type EscalationProducer } from './escalation-scheduler';

/**
 * Every `intervalMs` until stopped: scheduleRunning (reviving firings whose
 * job gave up), then settleDeliveries (notifications whose delivery job ended
 * without ending them). Errors are logged; the next round retries.
 */
export function startSweeper(
  pool: pg.Pool,
  producer: EscalationProducer,
  intervalMs: number,
  logger: Logger,
) {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = scheduleRunning(pool, producer, undefined, intervalMs)
      .catch((error: Error) => logger.warn({ err: error.message }, 'escalation sweep failed'))
      // One sweep's worth of age: a notification just claimed may not have its job yet.
      .then(() => settleDeliveries(pool, producer, intervalMs))
      .then(
        (settled) => {
          if (settled.ended || settled.requeued)
            logger.warn(settled, 'escalation notifications settled by the sweeper');
        },
        (error: Error) => logger.warn({ err: error.message }, 'delivery sweep failed'),
      );
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
