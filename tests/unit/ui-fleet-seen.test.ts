/**
 * A device's last seen in the browser: the newest of its telemetry, its guard's GPS fix and
 * its own health report, moved forward live by the events the screen already receives.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceCounts } from '../../components/fleet/device-filters';
import { createFleetStore, type FleetStore } from '../../components/fleet/fleet-store';
import type {
  DeviceDto,
  DeviceListDto,
  DeviceSeenDto,
  DeviceStatusDto,
} from '../../contract/devices';
import type { GuardPositionDto } from '../../contract/guards';
import { deviceLastSeen, deviceSeenSource, deviceState } from '../../contract/fleet-rules';

const T = Date.parse('2026-12-05T12:00:00Z');
const at = (agoMs: number) => T - agoMs;
const MIN = 60_000;
const thresholds = { staleAfterMs: MIN, offlineAfterMs: 5 * MIN };

function device(
  id: string,
  over: Partial<Omit<DeviceDto, 'seen'>> & { seen?: Partial<DeviceSeenDto> } = {},
): DeviceDto {
  const seen = { telemetryAt: null, fixAt: null, healthAt: null, ...over.seen };
  return {
    id,
    guard: null,
    siteId: 'site-a',
    battery: null,
    batteryDayAgo: null,
    signalDbm: null,
    signalPercent: null,
    charging: null,
    firmware: null,
    ...over,
    seen,
    lastSeenAt: deviceLastSeen(seen),
  };
}

const fix = (guardId: string, agoMs: number): GuardPositionDto => ({
  guardId,
  siteId: 'site-a',
  lat: 51.2,
  lon: 4.4,
  fixAt: at(agoMs),
  accuracyM: 5,
  speedMps: null,
  headingDeg: null,
});

const status = (deviceId: string, guardId: string | null, battery: number, agoMs: number) =>
  ({
    deviceId,
    guardId,
    siteId: 'site-a',
    battery,
    signalDbm: -70,
    signalPercent: null,
    charging: false,
    lastSeenAt: at(agoMs),
  }) satisfies DeviceStatusDto;

async function loadedStore(devices: DeviceDto[]): Promise<FleetStore> {
  const store = createFleetStore();
  await load(store, devices);
  return store;
}

async function load(store: FleetStore, devices: DeviceDto[]): Promise<void> {
  const list: DeviceListDto = {
    devices,
    total: devices.length,
    lowBatteryPercent: 15,
    staleAfterMs: thresholds.staleAfterMs,
    offlineAfterMs: thresholds.offlineAfterMs,
    serverTime: T,
  };
  vi.stubGlobal('fetch', async (url: string) => ({
    ok: true,
    json: async () => (url.startsWith('/api/devices') ? list : { sensors: [] }),
  }));
  await store.load();
}

const seenAt = (store: FleetStore, id: string) => store.getView().devices.get(id)!.lastSeenAt;
const stateOf = (store: FleetStore, id: string) =>
  deviceState(store.getView().devices.get(id)!, T, thresholds);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("a device's last seen", () => {
  it('is the newest of its sources, null only when none spoke', () => {
    const seen = { telemetryAt: at(10 * MIN), fixAt: at(MIN), healthAt: null };
    expect(deviceLastSeen(seen)).toBe(at(MIN));
    expect(deviceSeenSource(seen)).toBe('fixAt');
    expect(deviceSeenSource({ ...seen, healthAt: at(0) })).toBe('healthAt');
    expect(deviceLastSeen({ telemetryAt: null, fixAt: null, healthAt: null })).toBeNull();
  });

  it("follows its guard's GPS fixes live: a phone without battery reports is online", async () => {
    const store = await loadedStore([
      device('phone-1', { guard: { id: 'guard-1', name: 'Amira' } }),
      device('phone-2', { guard: { id: 'guard-2', name: 'Jonas' } }),
    ]);
    expect(stateOf(store, 'phone-1')).toBe('offline');
    store.applyGuardPositions([fix('guard-1', 40_000), fix('guard-1', 10_000)]);
    expect(seenAt(store, 'phone-1')).toBe(at(10_000));
    expect(stateOf(store, 'phone-1')).toBe('online');
    expect(stateOf(store, 'phone-2')).toBe('offline');
    // An older fix arriving late moves nothing.
    const version = store.getView().version;
    store.applyGuardPositions([fix('guard-1', 30_000)]);
    expect(store.getView().version).toBe(version);
    expect(deviceCounts(store.getView(), T)).toMatchObject({ online: 1, offline: 1 });
  });

  it('follows the health reports of the component with its id', async () => {
    const store = await loadedStore([device('gw-site-a'), device('gw-site-b')]);
    store.applyComponentHealth({
      component: 'gw-site-a',
      siteId: 'site-a',
      status: 'ok',
      detail: null,
      metrics: null,
      reportedAt: at(5_000),
    });
    expect(stateOf(store, 'gw-site-a')).toBe('online');
    expect(store.getView().devices.get('gw-site-a')!.seen.healthAt).toBe(at(5_000));
    expect(stateOf(store, 'gw-site-b')).toBe('offline');
  });

  it('takes a battery report older than the last fix, keeping the newer last seen', async () => {
    const store = await loadedStore([
      device('phone-1', {
        guard: { id: 'guard-1', name: 'Amira' },
        battery: 80,
        seen: { telemetryAt: at(20 * MIN), fixAt: at(10_000), healthAt: null },
      }),
    ]);
    store.applyDeviceStatuses([status('phone-1', 'guard-1', 64, 2 * MIN)]);
    const phone = store.getView().devices.get('phone-1')!;
    expect(phone.battery).toBe(64);
    expect(phone.seen.telemetryAt).toBe(at(2 * MIN));
    expect(phone.lastSeenAt).toBe(at(10_000));
    // A report older than the telemetry already known is still refused.
    store.applyDeviceStatuses([status('phone-1', 'guard-1', 99, 3 * MIN)]);
    expect(store.getView().devices.get('phone-1')!.battery).toBe(64);
  });

  it('keeps a fix heard live when a reload read the database before it', async () => {
    const guard = { id: 'guard-1', name: 'Amira' };
    const store = await loadedStore([device('phone-1', { guard })]);
    store.applyGuardPositions([fix('guard-1', 5_000)]);
    await load(store, [device('phone-1', { guard, seen: { fixAt: at(60_000) } })]);
    expect(seenAt(store, 'phone-1')).toBe(at(5_000));
    // Not when the device changed hands: the old guard's fix says nothing of it now.
    await load(store, [device('phone-1', { guard: { id: 'guard-2', name: 'Jonas' } })]);
    expect(seenAt(store, 'phone-1')).toBeNull();
  });
});
