/**
 * Micro-batches of the bulk lane: the route table says which tasks batch, the
 * ingest gathers their messages into one job (each message acknowledged only
 * once that job is in Redis), and workers check every message of a batch.
 */
import { describe, expect, it } from 'vitest';
import { createBatchingEnqueue } from '../../server/mqtt/batch-enqueue';
import type { Enqueue, EnqueueBatch } from '../../server/mqtt/ingest';
import { checkBatchJobData } from '../../server/queues/job-check';
import { MAX_BATCH_MESSAGES, type JobDataOf, type TaskName } from '../../contract/job-data';
import { TASK_NAMES, URGENT_QUEUES, routeFor } from '../../server/queues/routes';

const fix = (n: number) => ({
  messageKey: `fix-${n}`,
  guardId: 'guard-7',
  lat: 51.2,
  lon: 4.4,
  fixAt: 1_780_000_000_000 + n,
  accuracyM: 5,
  speedMps: null,
  headingDeg: null,
  receivedAt: 1_780_000_000_020 + n,
});

describe('the route table on batches', () => {
  it('batches only bulk tasks: alerts, escalation, notifications and commands stay one job each', () => {
    const urgent: readonly string[] = URGENT_QUEUES;
    const batching = TASK_NAMES.filter((t) => routeFor(t).batch);
    expect(batching.sort()).toEqual([
      'process_device_telemetry',
      'process_guard_gps',
      'process_guard_status',
      'process_sensor_data',
    ]);
    for (const task of batching) {
      expect(urgent).not.toContain(routeFor(task).queue);
      expect(routeFor(task).batch!.maxMessages).toBeLessThanOrEqual(MAX_BATCH_MESSAGES);
    }
  });
});

describe('batch job data', () => {
  it('accepts messages each valid for the task', () => {
    const data = { messages: [fix(1), fix(2)] };
    expect(checkBatchJobData('process_guard_gps', data)).toEqual({ ok: true, data: data.messages });
  });

  it.each([
    [
      'one bad message, named by its place',
      { messages: [fix(1), { ...fix(2), lat: 91 }] },
      /^messages\.1: lat/,
    ],
    ['an empty batch', { messages: [] }, /messages: 1 to/],
    [
      'more than the cap',
      { messages: Array.from({ length: MAX_BATCH_MESSAGES + 1 }, (_, i) => fix(i)) },
      /messages: 1 to/,
    ],
    ['anything beside the messages', { messages: [fix(1)], extra: 1 }, /alone/],
    ['a single message', fix(1), /alone/],
  ])('refuses %s', (_case, data, reason) => {
    const checked = checkBatchJobData('process_guard_gps', data);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toMatch(reason);
  });
});

type Added = { task: TaskName; keys: string[] };

/** A batching enqueue over recording producers; `fail` makes the next batch add reject. */
function harness(limits = { maxMessages: 3, maxWaitMs: 5 }) {
  const singles: string[] = [];
  const batches: Added[] = [];
  let failNext = false;
  let release: (() => void) | null = null;
  let holdNext = false;
  const enqueue: Enqueue = async (_task, jobId) => {
    singles.push(jobId);
  };
  const enqueueBatch: EnqueueBatch = async (task, messages) => {
    if (holdNext) {
      holdNext = false;
      await new Promise<void>((resolve) => (release = resolve));
    }
    if (failNext) {
      failNext = false;
      throw new Error('Connection is closed.');
    }
    batches.push({
      task,
      keys: messages.map((m) => (m as unknown as { messageKey: string }).messageKey),
    });
  };
  const batching = createBatchingEnqueue({
    enqueue,
    enqueueBatch,
    batchOf: (task) => (task === 'process_guard_gps' ? limits : undefined),
  });
  const add = (n: number) =>
    batching('process_guard_gps', `fix-${n}`, fix(n) as JobDataOf<'process_guard_gps'>);
  return {
    batching,
    add,
    singles,
    batches,
    fail: () => (failNext = true),
    hold: () => (holdNext = true),
    release: () => release?.(),
  };
}

describe('batching enqueue', () => {
  it('closes a batch at its size and sends the rest once it is in, each message resolving with its batch', async () => {
    const h = harness();
    const settled: number[] = [];
    const adds = [1, 2, 3, 4].map((n) => h.add(n).then(() => settled.push(n)));
    await Promise.all(adds.slice(0, 3));
    expect(h.batches[0]).toEqual({ task: 'process_guard_gps', keys: ['fix-1', 'fix-2', 'fix-3'] });
    expect(settled).toEqual([1, 2, 3]);
    await adds[3];
    expect(h.batches[1]).toEqual({ task: 'process_guard_gps', keys: ['fix-4'] });
  });

  it('resolves no message before its batch job is in Redis', async () => {
    const h = harness();
    h.hold();
    let resolved = 0;
    const adds = [1, 2, 3].map((n) => h.add(n).then(() => (resolved += 1)));
    for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(0);
    h.release();
    await Promise.all(adds);
    expect(resolved).toBe(3);
  });

  it('rejects every message of a batch whose add failed, so none is acknowledged', async () => {
    const h = harness();
    h.fail();
    const results = await Promise.allSettled([1, 2, 3].map((n) => h.add(n)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(h.batches).toEqual([]);
  });

  it('enqueues a task without a batch route as one job, at once', async () => {
    const h = harness();
    const alert = { messageKey: 'sos-1' } as unknown as JobDataOf<'process_device_alert'>;
    await h.batching('process_device_alert', 'sos-1', alert);
    expect(h.singles).toEqual(['sos-1']);
    expect(h.batches).toEqual([]);
  });

  it('sends a batch on the next turn when no add of its task is in flight, without waiting out maxWaitMs', async () => {
    const h = harness({ maxMessages: 100, maxWaitMs: 60_000 });
    await Promise.all([h.add(1), h.add(2)]);
    expect(h.batches).toEqual([{ task: 'process_guard_gps', keys: ['fix-1', 'fix-2'] }]);
  });

  it('gathers what arrives while an add is in flight into one batch, sent when it returns', async () => {
    const h = harness({ maxMessages: 100, maxWaitMs: 60_000 });
    h.hold();
    const first = h.add(1);
    await new Promise((resolve) => setImmediate(resolve)); // batch 1 is now in flight, held
    const rest = [2, 3, 4].map((n) => h.add(n));
    for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(h.batches).toEqual([]);
    h.release();
    await Promise.all([first, ...rest]);
    expect(h.batches.map((b) => b.keys)).toEqual([['fix-1'], ['fix-2', 'fix-3', 'fix-4']]);
  });

  it('still closes a batch after maxWaitMs while an earlier add is slow', async () => {
    const h = harness({ maxMessages: 100, maxWaitMs: 20 });
    h.hold();
    const first = h.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    await h.add(2); // resolves although batch 1 is still held
    expect(h.batches.map((b) => b.keys)).toEqual([['fix-2']]);
    h.release();
    await first;
    expect(h.batches.map((b) => b.keys)).toEqual([['fix-2'], ['fix-1']]);
  });

  it('flush() sends an open batch without waiting', async () => {
    const h = harness({ maxMessages: 100, maxWaitMs: 60_000 });
    const added = h.add(1);
    h.batching.flush();
    await added;
    expect(h.batches).toEqual([{ task: 'process_guard_gps', keys: ['fix-1'] }]);
  });
});
