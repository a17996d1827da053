/**
 * Moving a device's last seen forward in the browser from the events a screen
 * receives anyway (its telemetry, its guard's GPS fixes, its own health
 * reports). Pure functions over DeviceDto; the fleet store decides when.
 */
import type { DeviceDto, DeviceSeenDto } from '@/contract/devices';
import { deviceLastSeen, deviceState, type StateThresholds } from '@/contract/fleet-rules';
import type { EpochMs } from '@/contract/time';

export const NEVER_SEEN: DeviceSeenDto = { telemetryAt: null, fixAt: null, healthAt: null };

/** The device with one source moved forward; the same object when that is not newer. */
export function seenFrom(device: DeviceDto, source: keyof DeviceSeenDto, at: EpochMs): DeviceDto {
  const known = device.seen[source];
  if (known !== null && known >= at) return device;
  const seen = { ...device.seen, [source]: at };
  return { ...device, seen, lastSeenAt: deviceLastSeen(seen) };
}

/** The loaded device, keeping any source the screen heard of live after the server read it. */
export function withLiveSeen(loaded: DeviceDto, known: DeviceDto | undefined): DeviceDto {
  if (!known) return loaded;
  let device = loaded;
  for (const source of Object.keys(NEVER_SEEN) as (keyof DeviceSeenDto)[]) {
    const at = known.seen[source];
    // A fix of the guard that carried it before is no sign of this device.
    if (source === 'fixAt' && known.guard?.id !== loaded.guard?.id) continue;
    if (at !== null) device = seenFrom(device, source, at);
  }
  return device;
}

/**
 * The devices with their guards' newest fixes (guard id -> fix time) applied; null when no
 * device moves. One pass over the devices, not a lookup per fix: a guard may carry several.
 */
export function devicesWithFixes(
  devices: ReadonlyMap<string, DeviceDto>,
  fixAt: ReadonlyMap<string, EpochMs>,
): Map<string, DeviceDto> | null {
  if (fixAt.size === 0) return null;
  let next: Map<string, DeviceDto> | null = null;
  for (const device of devices.values()) {
    const at = device.guard ? fixAt.get(device.guard.id) : undefined;
    if (at === undefined) continue;
    const moved = seenFrom(device, 'fixAt', at);
    if (moved === device) continue;
    next ??= new Map(devices);
    next.set(device.id, moved);
  }
  return next;
}

/**
 * Whether holding these fixes back for `holdMs` would show a device wrongly: one they make
 * online that, without them, is stale or offline now or would turn so before they are applied.
 * Then the screen must have them at once; otherwise they may wait.
 */
export function fixesTurnLive(
  devices: ReadonlyMap<string, DeviceDto>,
  fixAt: ReadonlyMap<string, EpochMs>,
  serverNowMs: number,
  holdMs: number,
  thresholds: StateThresholds,
): boolean {
  for (const device of devices.values()) {
    const at = device.guard ? fixAt.get(device.guard.id) : undefined;
    if (at === undefined || (device.lastSeenAt !== null && device.lastSeenAt >= at)) continue;
    if (deviceState({ lastSeenAt: at }, serverNowMs, thresholds) !== 'online') continue;
    if (deviceState(device, serverNowMs + holdMs, thresholds) !== 'online') return true;
  }
  return false;
}
