/** The ingest's enqueue holds a message through a Redis outage, and says so once, not once per message. */
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../server/logger';
import { captureLogs } from '../helpers/log-capture';
import { durableProducer, ShuttingDownError } from '../../server/queues/durable-enqueue';
import type { Enqueue, EnqueueBatch } from '../../server/mqtt/ingest';
import type { JobDataOf } from '../../contract/job-data';

const fix = { messageKey: 'k' } as unknown as JobDataOf<'process_guard_gps'>;
const noBatches: EnqueueBatch = () => Promise.reject(new Error('not in this test'));

/** The producer's single-job enqueue over `enqueue`. */
function durable(enqueue: Enqueue, signal: AbortSignal, logger: Logger) {
  return durableProducer({ enqueue, enqueueBatch: noBatches }, signal, logger).enqueue;
}

describe('durable enqueue', () => {
  it('retries until Redis is back, with one warning for all the messages waiting', async () => {
    const { lines, logger } = captureLogs();
    let redisUp = false;
    const added: string[] = [];
    const enqueue: Enqueue = async (_task, jobId) => {
      if (!redisUp) throw new Error('Connection is closed.');
      added.push(jobId);
    };
    const add = durable(enqueue, new AbortController().signal, logger);
    const waiting = Array.from({ length: 50 }, (_, i) => add('process_guard_gps', `job-${i}`, fix));
    await new Promise((resolve) => setTimeout(resolve, 20));
    redisUp = true;
    await Promise.all(waiting);

    expect(added).toHaveLength(50);
    const warnings = lines.filter((l) => l.msg === 'enqueue failed, retrying');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ attempt: 1, task: 'process_guard_gps' });
  });

  it('gives up when the process shuts down, leaving the message unacknowledged', async () => {
    const { logger } = captureLogs();
    const stopping = new AbortController();
    const add = durable(
      () => Promise.reject(new Error('Connection is closed.')),
      stopping.signal,
      logger,
    );
    const attempt = add('process_guard_gps', 'job', fix);
    stopping.abort();
    await expect(attempt).rejects.toBeInstanceOf(ShuttingDownError);
  });
});
