/** The devices tab's filter and sort, applied with the server's own fleet rules. */
import type { DeviceDto, DeviceState } from '@/contract/devices';
import { compareDevices, deviceState, isLowBattery, type DeviceSort } from '@/contract/fleet-rules';
import type { FleetView } from './fleet-store';

export interface DeviceFilter {
  state: DeviceState | 'all';
  lowOnly: boolean;
  text: string;
  sort: DeviceSort;
}

export const DEFAULT_DEVICE_FILTER: DeviceFilter = {
  state: 'all',
  lowOnly: false,
  text: '',
  sort: 'battery',
};

/** Counts per state and low batteries, at serverNowMs. */
export function deviceCounts(view: FleetView, serverNowMs: number) {
  const counts = { online: 0, stale: 0, offline: 0, low: 0 };
  for (const device of view.devices.values()) {
    counts[deviceState(device, serverNowMs, view)] += 1;
    if (isLowBattery(device.battery, view.lowBatteryPercent)) counts.low += 1;
  }
  return counts;
}

/** The ids to list, in order. */
export function filterDevices(
  view: FleetView,
  filter: DeviceFilter,
  serverNowMs: number,
): string[] {
  const text = filter.text.trim().toLowerCase();
  const shown: DeviceDto[] = [];
  for (const device of view.devices.values()) {
    if (filter.lowOnly && !isLowBattery(device.battery, view.lowBatteryPercent)) continue;
    if (filter.state !== 'all' && deviceState(device, serverNowMs, view) !== filter.state) continue;
    if (
      text &&
      !device.id.toLowerCase().includes(text) &&
      !device.guard?.name.toLowerCase().includes(text)
    ) {
      continue;
    }
    shown.push(device);
  }
  return shown.sort(compareDevices(filter.sort)).map((device) => device.id);
}
