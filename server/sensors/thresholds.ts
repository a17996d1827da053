/**
 * Per-kind alarm thresholds of facility sensors. Crossing into alarm raises
 * one critical alert; the sensor must come back to normal before it can
 * raise another, so a smoke detector in alarm does not alert every second.
 */

export interface Threshold {
  /** Alarm when the value is at or above this. */
  atOrAbove: number;
  /** Back to normal when the value is below this (hysteresis; <= atOrAbove). */
  clearBelow: number;
  describe(value: number, unit: string | null): string;
}

const withUnit = (value: number, unit: string | null) => `${value}${unit ? ` ${unit}` : ''}`;

/** Kinds without an entry (humidity, door, motion) never raise alerts. */
export const SENSOR_THRESHOLDS: Partial<Record<string, Threshold>> = {
  temperature: {
    atOrAbove: 60,
    clearBelow: 55,
    describe: (v, u) => `Temperature ${withUnit(v, u ?? '°C')}: fire risk`,
  },
  smoke: { atOrAbove: 1, clearBelow: 1, describe: () => 'Smoke detected' },
  co2: {
    atOrAbove: 5000,
    clearBelow: 4000,
    describe: (v, u) => `CO2 at ${withUnit(v, u ?? 'ppm')}`,
  },
  water_leak: { atOrAbove: 1, clearBelow: 1, describe: () => 'Water leak detected' },
  glass_break: { atOrAbove: 1, clearBelow: 1, describe: () => 'Glass break detected' },
};

/** Folds readings (oldest first) into the alarm flag; returns the readings that raise an alert. */
export function foldSensorAlarm<T extends { kind: string; value: number }>(
  inAlarm: boolean,
  readings: T[],
): { inAlarm: boolean; raisedBy: T[] } {
  const raisedBy: T[] = [];
  for (const reading of readings) {
    const threshold = SENSOR_THRESHOLDS[reading.kind];
    if (!threshold) continue;
    if (!inAlarm && reading.value >= threshold.atOrAbove) {
      inAlarm = true;
      raisedBy.push(reading);
    } else if (inAlarm && reading.value < threshold.clearBelow) {
      inAlarm = false;
    }
  }
  return { inAlarm, raisedBy };
}
