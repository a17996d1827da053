/**
 * Low battery, raised once: the alert fires when the battery first drops to
 * the threshold, and re-arms only after it recovers a few points above it
 * (charging), so a battery hovering at the threshold does not alert per message.
 */

export const LOW_BATTERY_REARM_MARGIN = 5;

/** Folds readings (oldest first) into the low flag; returns the readings that raise an alert. */
export function foldLowBattery<T extends { battery: number }>(
  low: boolean,
  readings: T[],
  thresholdPercent: number,
): { low: boolean; raisedBy: T[] } {
  const raisedBy: T[] = [];
  for (const reading of readings) {
    if (!low && reading.battery <= thresholdPercent) {
      low = true;
      raisedBy.push(reading);
    } else if (low && reading.battery >= thresholdPercent + LOW_BATTERY_REARM_MARGIN) {
      low = false;
    }
  }
  return { low, raisedBy };
}
