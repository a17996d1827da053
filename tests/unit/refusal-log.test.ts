/** Refused MQTT messages in the log: once per device and reason, then one summary line. */
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../helpers/log-capture';
import { createRefusalLog, type RefusalLog } from '../../server/mqtt/refusal-log';

const refusal = (topic: string, reason: string) => ({ topic, reason, detail: 'bad', bytes: 3 });

describe('refusal log', () => {
  let log: RefusalLog | undefined;
  afterEach(() => log?.stop());

  it('logs the first refusal of each device and reason, then counts the rest in one summary', () => {
    const { lines, logger } = captureLogs();
    log = createRefusalLog(logger, { summaryEveryMs: 3_600_000 });
    for (let i = 0; i < 50; i += 1) {
      log.record(refusal('device/sim-faulty-1/telemetry', 'schema'));
      log.record(refusal('device/sim-faulty-1/telemetry', 'invalid_json'));
    }
    log.record(refusal('guard/g-2/gps', 'schema'));
    expect(lines.map((l) => [l.msg, l.device, l.reason])).toEqual([
      ['mqtt message refused', 'sim-faulty-1', 'schema'],
      ['mqtt message refused', 'sim-faulty-1', 'invalid_json'],
      ['mqtt message refused', 'g-2', 'schema'],
    ]);

    log.summarise();
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatchObject({
      level: 40,
      total: 98,
      devices: 1,
      refused: { 'sim-faulty-1': { schema: 49, invalid_json: 49 } },
    });
    // Nothing new since: no empty summary line.
    log.summarise();
    expect(lines).toHaveLength(4);
  });

  it('stays bounded when every message claims a new device', () => {
    const { lines, logger } = captureLogs();
    log = createRefusalLog(logger, { summaryEveryMs: 3_600_000, maxKnown: 5 });
    for (let i = 0; i < 1000; i += 1) log.record(refusal(`device/spray-${i}/telemetry`, 'schema'));
    expect(lines).toHaveLength(5);
    log.summarise();
    const summary = lines[5]!;
    expect(summary.total).toBe(995);
    expect(Object.keys(summary.refused as object).length).toBeLessThanOrEqual(6);
  });
});
