import { describe, expect, it } from 'vitest';
import { foldLowBattery } from '../../server/devices/low-battery';
import { foldSensorAlarm } from '../../server/sensors/thresholds';

describe('foldLowBattery', () => {
  const readings = (levels: number[]) => levels.map((battery, i) => ({ battery, i }));

  it('raises once as the battery drains past the threshold', () => {
    const result = foldLowBattery(false, readings([30, 16, 15, 14, 10, 3]), 15);
    expect(result).toEqual({ low: true, raisedBy: [{ battery: 15, i: 2 }] });
  });

  it('does not raise again while hovering around the threshold', () => {
    expect(foldLowBattery(true, readings([16, 14, 17, 13]), 15).raisedBy).toEqual([]);
  });

  it('re-arms after a recharge above threshold + 5, then raises again', () => {
    const result = foldLowBattery(true, readings([19, 20, 60, 12]), 15);
    expect(result.raisedBy).toEqual([{ battery: 12, i: 3 }]);
  });
});

describe('foldSensorAlarm', () => {
  const temps = (values: number[]) => values.map((value) => ({ kind: 'temperature', value }));

  it('raises on the way into alarm, once per excursion', () => {
    const result = foldSensorAlarm(false, temps([20, 61, 70, 58, 56, 62]));
    expect(result.raisedBy.map((r) => r.value)).toEqual([61]);
    expect(result.inAlarm).toBe(true);
  });

  it('clears below the lower bound and can raise again', () => {
    const result = foldSensorAlarm(false, temps([61, 50, 65]));
    expect(result.raisedBy.map((r) => r.value)).toEqual([61, 65]);
  });

  it('never raises for kinds without thresholds', () => {
    expect(foldSensorAlarm(false, [{ kind: 'door', value: 1 }]).raisedBy).toEqual([]);
  });
});
