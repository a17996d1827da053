/**
 * Every device and sensor a screen may see, keyed by id: loaded over REST
 * (GET /api/devices, /api/sensors) on each snapshot, then moved forward by the
 * coalesced socket batches. Listeners hear once per batch, not per id, so
 * 2,000 devices reporting cost a screen a couple of renders a second.
 *
 * A device's last seen follows all its sources live, from events the screen
 * receives anyway: its telemetry (devices:status), its guard's GPS fixes
 * (guard:positions) and its own health reports (component:health). Nothing
 * extra is written on the server's GPS path for it. Guard positions come in
 * many small batches a second (POSITION_FLUSH_MS), so what they say of devices
 * is applied at most once every FIX_SEEN_EVERY_MS, or at once when holding it
 * would show a device stale or offline that its guard's fix makes online
 * (./live-seen.ts fixesTurnLive). When every position batch republished the
 * store (and so re-sorted the devices tab), the fleet browser bench fell from
 * 58 to 40.6 fps.
 */
import {
  DEFAULT_LOW_BATTERY_PERCENT,
  DEFAULT_OFFLINE_AFTER_MS,
  DEFAULT_STALE_AFTER_MS,
} from '@/contract/thresholds';
import type { AlertDto } from '@/contract/alerts';
import type { ComponentHealthDto } from '@/contract/health';
import type { DeviceDto, DeviceListDto, DeviceStatusDto } from '@/contract/devices';
import type { GuardPositionDto } from '@/contract/guards';
import type { SensorDto, SensorListDto, SensorReadingDto } from '@/contract/sensors';
import { addSparkPoint, deviceLastSeen } from '@/contract/fleet-rules';
import type { EpochMs } from '@/contract/time';
import { devicesWithFixes, fixesTurnLive, NEVER_SEEN, seenFrom, withLiveSeen } from './live-seen';

/** Guard fixes move devices' last seen on screen at most this often (unless one turns live). */
export const FIX_SEEN_EVERY_MS = 1000;

/** The store's time: injectable so tests step it. */
export interface FleetClock {
  /** Browser time, epoch ms. */
  now(): number;
  /** Runs `run` once after `ms`; returns what cancels it. */
  after(ms: number, run: () => void): () => void;
}

const browserClock: FleetClock = {
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

export interface FleetView {
  /** Bumped on every change: a cheap key for memoized derivations. */
  version: number;
  ready: boolean;
  error: string | null;
  devices: ReadonlyMap<string, DeviceDto>;
  sensors: ReadonlyMap<string, SensorDto>;
  lowBatteryPercent: number;
  staleAfterMs: number;
  offlineAfterMs: number;
  /** Server clock minus browser clock at the last load. */
  clockOffsetMs: number;
}

export interface FleetStore {
  getView(): FleetView;
  subscribe(listener: () => void): () => void;
  /** Re-reads both lists; a failure keeps what is shown and says so. */
  load(signal?: AbortSignal): Promise<void>;
  applyDeviceStatuses(batch: readonly DeviceStatusDto[]): void;
  /** Guards' fixes: their devices were heard from. */
  applyGuardPositions(batch: readonly GuardPositionDto[]): void;
  /** A field component's report: the device with its id was heard from. */
  applyComponentHealth(health: ComponentHealthDto): void;
  applySensorReadings(batch: readonly SensorReadingDto[]): void;
  /** A threshold alert raised or changed: the sensor links to it. */
  applyAlert(alert: AlertDto): void;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** An empty store (not ready until the first load). */
export function createFleetStore(clock: FleetClock = browserClock): FleetStore {
  let view: FleetView = {
    version: 0,
    ready: false,
    error: null,
    devices: new Map(),
    sensors: new Map(),
    lowBatteryPercent: DEFAULT_LOW_BATTERY_PERCENT,
    staleAfterMs: DEFAULT_STALE_AFTER_MS,
    offlineAfterMs: DEFAULT_OFFLINE_AFTER_MS,
    clockOffsetMs: 0,
  };
  const listeners = new Set<() => void>();
  const publish = (next: Omit<FleetView, 'version'>) => {
    view = { ...next, version: view.version + 1 };
    listeners.forEach((listener) => listener());
  };

  /** Guards' newest fixes not yet applied to their devices: guard id -> fix time. */
  const heldFixes = new Map<string, EpochMs>();
  let fixesAppliedAt = -Infinity;
  let cancelHeld: (() => void) | null = null;
  const applyHeldFixes = () => {
    cancelHeld?.();
    cancelHeld = null;
    fixesAppliedAt = clock.now();
    // Applied to the devices as they are now: a reload in between keeps them.
    const devices = devicesWithFixes(view.devices, heldFixes);
    heldFixes.clear();
    if (devices) publish({ ...view, devices });
  };

  return {
    getView: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load(signal) {
      try {
        const [deviceList, sensorList] = await Promise.all([
          getJson<DeviceListDto>('/api/devices?sort=id', signal),
          getJson<SensorListDto>('/api/sensors', signal),
        ]);
        publish({
          ready: true,
          error: null,
          devices: new Map(
            deviceList.devices.map((d) => [d.id, withLiveSeen(d, view.devices.get(d.id))]),
          ),
          sensors: new Map(sensorList.sensors.map((s) => [s.id, s])),
          lowBatteryPercent: deviceList.lowBatteryPercent,
          staleAfterMs: deviceList.staleAfterMs,
          offlineAfterMs: deviceList.offlineAfterMs,
          clockOffsetMs: deviceList.serverTime - clock.now(),
        });
      } catch (error) {
        if (signal?.aborted) return;
        publish({ ...view, error: (error as Error).message });
      }
    },
    applyDeviceStatuses(batch) {
      if (batch.length === 0) return;
      const devices = new Map(view.devices);
      for (const status of batch) {
        const known = devices.get(status.deviceId);
        const telemetryAt = known?.seen.telemetryAt ?? null;
        if (telemetryAt !== null && telemetryAt > status.lastSeenAt) continue;
        const sameGuard = known?.guard?.id === (status.guardId ?? undefined);
        const seen = {
          ...(known?.seen ?? NEVER_SEEN),
          fixAt: sameGuard ? (known?.seen.fixAt ?? null) : null,
          telemetryAt: status.lastSeenAt,
        };
        devices.set(status.deviceId, {
          id: status.deviceId,
          guard: status.guardId
            ? known?.guard?.id === status.guardId
              ? known.guard
              : { id: status.guardId, name: status.guardId }
            : null,
          siteId: status.siteId,
          battery: status.battery,
          batteryDayAgo: known?.batteryDayAgo ?? status.battery,
          signalDbm: status.signalDbm,
          signalPercent: status.signalPercent,
          charging: status.charging,
          firmware: known?.firmware ?? null,
          lastSeenAt: deviceLastSeen(seen),
          seen,
        });
      }
      publish({ ...view, devices });
    },
    applyGuardPositions(batch) {
      if (batch.length === 0 || view.devices.size === 0) return;
      for (const fix of batch)
        heldFixes.set(fix.guardId, Math.max(heldFixes.get(fix.guardId) ?? fix.fixAt, fix.fixAt));
      const now = clock.now();
      const dueAt = fixesAppliedAt + FIX_SEEN_EVERY_MS;
      if (
        now >= dueAt ||
        fixesTurnLive(view.devices, heldFixes, now + view.clockOffsetMs, dueAt - now, view)
      ) {
        applyHeldFixes();
      } else {
        cancelHeld ??= clock.after(dueAt - now, applyHeldFixes);
      }
    },
    applyComponentHealth(health) {
      const known = view.devices.get(health.component);
      if (!known) return;
      const next = seenFrom(known, 'healthAt', health.reportedAt);
      if (next === known) return;
      const devices = new Map(view.devices);
      devices.set(known.id, next);
      publish({ ...view, devices });
    },
    applySensorReadings(batch) {
      if (batch.length === 0) return;
      const sensors = new Map(view.sensors);
      const serverNow = clock.now() + view.clockOffsetMs;
      for (const reading of batch) {
        const known = sensors.get(reading.sensorId);
        // A sensor first heard of live is listed once the next load says what it is.
        if (!known || (known.lastReadAt !== null && known.lastReadAt > reading.readAt)) continue;
        sensors.set(reading.sensorId, {
          ...known,
          lastValue: reading.value,
          unit: reading.unit ?? known.unit,
          lastReadAt: reading.readAt,
          inAlarm: reading.inAlarm,
          spark: addSparkPoint(known.spark, reading.readAt, reading.value, serverNow),
        });
      }
      publish({ ...view, sensors });
    },
    applyAlert(alert) {
      if (alert.type !== 'sensor_threshold' || !alert.sensorId) return;
      const known = view.sensors.get(alert.sensorId);
      if (!known || (known.alert && known.alert.raisedAt > alert.raisedAt)) return;
      const sensors = new Map(view.sensors);
      sensors.set(alert.sensorId, {
        ...known,
        // The sensor view still carries ISO text (contract/sensors.ts); alerts, epoch ms.
        alert: {
          id: alert.id,
          status: alert.status,
          raisedAt: alert.raisedAt,
        },
      });
      publish({ ...view, sensors });
    },
  };
}
