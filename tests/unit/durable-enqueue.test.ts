/** The ingest's enqueue holds a message through a Redis outage, and says so once, not once per message. */
import { describe, expect, it } from 'vitest';
import { captureLogs } from '../helpers/log-capture';
import { durableEnqueue, ShuttingDownError } from '../../server/queues/durable-enqueue';
import type { Enqueue } from '../../server/mqtt/ingest';
import type { JobDataOf } from '../../server/queues/job-data';

const fix = { messageKey: 'k' } as unknown as JobDataOf<'process_guard_gps'>;

describe('durable enqueue', () => {
  it('retries until Redis is back, with one warning for all the messages waiting', async () => {
    const { lines, logger } = captureLogs();
    let redisUp = false;
    const added: string[] = [];
    const enqueue: Enqueue = async (_task, jobId) => {
      if (!redisUp) throw new Error('Connection is closed.');
      added.push(jobId);
    };
    const durable = durableEnqueue(enqueue, new AbortController().signal, logger);
    const waiting = Array.from({ length: 50 }, (_, i) =>
      durable('process_guard_gps', `job-${i}`, fix),
    );
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
    const durable = durableEnqueue(
      () => Promise.reject(new Error('Connection is closed.')),
      stopping.signal,
      logger,
    );
    const attempt = durable('process_guard_gps', 'job', fix);
    stopping.abort();
    await expect(attempt).rejects.toBeInstanceOf(ShuttingDownError);
  });
});
