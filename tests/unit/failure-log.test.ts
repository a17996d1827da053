/** Job failures are logged aggregated per task and error per interval, never one line per attempt. */
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../server/logger';
import { createFailureLog } from '../../server/queues/failure-log';

function capture() {
  const lines: { fields: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    warn: (fields: Record<string, unknown>, msg: string) => lines.push({ fields, msg }),
  } as unknown as Logger;
  return { lines, logger };
}

describe('failure log', () => {
  it('logs the first failure of a task and error at once, then one count per interval', () => {
    const { lines, logger } = capture();
    let t = 0;
    const log = createFailureLog({ logger, intervalMs: 10_000, now: () => t });
    const fail = (task: string, err: string, final = false) =>
      log.record({ queue: 'q', task, jobId: 'j', attempt: 1, err, final });
    for (let i = 0; i < 5_000; i++)
      fail('process_guard_gps', 'connect ECONNREFUSED 127.0.0.1:5432');
    for (let i = 0; i < 300; i++)
      fail('process_device_alert', 'connect ECONNREFUSED 127.0.0.1:5432', i % 3 === 1);
    fail('process_guard_gps', 'timeout');
    expect(lines.map((l) => [l.msg, l.fields.task, l.fields.err])).toEqual([
      ['job attempt failed', 'process_guard_gps', 'connect ECONNREFUSED 127.0.0.1:5432'],
      ['job attempt failed', 'process_device_alert', 'connect ECONNREFUSED 127.0.0.1:5432'],
      ['job attempt failed', 'process_guard_gps', 'timeout'],
    ]);
    t = 10_000;
    log.flush();
    const summaries = lines.slice(3);
    expect(summaries.map((l) => [l.fields.task, l.fields.count, l.fields.final])).toEqual([
      ['process_guard_gps', 5_000, 0],
      ['process_device_alert', 300, 100],
    ]);
    expect(summaries.every((l) => l.msg === 'job attempts failed (aggregated)')).toBe(true);
    // A new interval starts empty: the next failure is logged at once again.
    fail('process_guard_gps', 'timeout');
    expect(lines).toHaveLength(6);
    log.stop();
  });

  it('says a job failed for good when it did', () => {
    const { lines, logger } = capture();
    const log = createFailureLog({ logger, now: () => 0 });
    log.record({ queue: 'critical', task: 'process_device_alert', err: 'x', final: true });
    expect(lines[0]!.msg).toBe('job failed for good');
    log.stop();
  });

  it('bounds the distinct errors it keeps, counting the rest together', () => {
    const { lines, logger } = capture();
    const log = createFailureLog({ logger, maxKeys: 3, now: () => 0 });
    for (let i = 0; i < 100; i++)
      log.record({ queue: 'q', task: 't', err: `row ${i} broke`, final: false });
    log.stop();
    const other = lines.find((l) => l.fields.task === '*');
    expect(other?.fields.count).toBe(97);
    // 3 distinct + the first "other" at once, and one summary for "other".
    expect(lines).toHaveLength(5);
  });
});
