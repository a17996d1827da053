/** Workers check each job against its task's schema: Redis is not trusted. */
import { describe, expect, it } from 'vitest';
import { JOB_DATA_SCHEMAS } from '../../contract/job-data';
import { checkJobData } from '../../server/queues/job-check';
import { TASK_NAMES } from '../../server/queues/routes';

const at = '2026-12-05T07:00:00.000Z';
const alert = {
  messageKey: 'a'.repeat(64),
  deviceId: 'guard-7',
  type: 'sos',
  guardId: null,
  location: { lat: 51.2, lon: 4.4 },
  message: 'help',
  raisedAt: Date.parse(at),
  receivedAt: Date.parse(at),
};

describe('job data schemas', () => {
  it('exist for every routed task', () => {
    expect(Object.keys(JOB_DATA_SCHEMAS).sort()).toEqual([...TASK_NAMES].sort());
  });

  it('accept what the ingest builds', () => {
    expect(checkJobData('process_device_alert', alert)).toEqual({ ok: true, data: alert });
  });

  it.each([
    ['an extra field', { ...alert, siteId: 'site-a' }, /Unrecognized key/],
    ['a missing field', { ...alert, messageKey: undefined }, /messageKey/],
    ['a wrong type', { ...alert, location: 'here' }, /location/],
    ['an unknown alert type', { ...alert, type: 'geofence_exit' }, /type/],
    ['an id outside the grammar', { ...alert, deviceId: 'a/b' }, /deviceId/],
    ['text no ingest lets through', { ...alert, message: 'x\u0000' }, /cannot store/],
    ['an over-long text', { ...alert, message: 'x'.repeat(2001) }, /message/],
    ['not an object', 'not a job', /data/],
  ])('refuse %s', (_case, data, reason) => {
    const checked = checkJobData('process_device_alert', data);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toMatch(reason);
  });

  it('carry a fix time as epoch ms, and read a job queued with ISO 8601 as the same instant', () => {
    const fix = {
      messageKey: 'b'.repeat(64),
      guardId: 'guard-7',
      lat: 51.2,
      lon: 4.4,
      fixAt: Date.parse(at),
      accuracyM: 5,
      speedMps: null,
      headingDeg: null,
      receivedAt: Date.parse(at) + 20,
    };
    expect(checkJobData('process_guard_gps', fix)).toEqual({ ok: true, data: fix });
    const queuedBefore = { ...fix, fixAt: at, receivedAt: new Date(fix.receivedAt).toISOString() };
    expect(checkJobData('process_guard_gps', queuedBefore)).toEqual({ ok: true, data: fix });
    expect(checkJobData('process_guard_gps', { ...fix, fixAt: 1.5 }).ok).toBe(false);
  });

  it('refuse a task that has no route', () => {
    expect(checkJobData('drop_tables', {})).toEqual({
      ok: false,
      reason: 'unknown task "drop_tables"',
    });
  });
});
