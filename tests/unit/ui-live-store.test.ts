/** The live store tells imperative views (the map's canvas) which guards changed. */
import { describe, expect, it } from 'vitest';
import { createLiveStore, DEFAULT_SETTINGS } from '../../components/realtime/live-store';
import type { GuardDto, GuardPositionDto } from '../../contract/guards';
import { guardDto } from '../helpers/guard-dto';

const NOW_ISO = '2026-11-28T10:00:00Z';
const NOW_MS = Date.parse(NOW_ISO);

/** `fixAt` as ISO 8601 for reading, or epoch ms; the fix carries epoch ms, as on the wire. */
function fix(guardId: string, fixAt: string | number, lat = 53.5): GuardPositionDto {
  return {
    guardId,
    siteId: 'site',
    lat,
    lon: 9.9,
    fixAt: typeof fixAt === 'number' ? fixAt : Date.parse(fixAt),
    accuracyM: 5,
    speedMps: 1,
    headingDeg: 0,
  };
}

/** A store after a snapshot of these guards (by default a and b, nothing known of them). */
function loadedStore(guards: GuardDto[] = ['a', 'b'].map((id) => guardDto(id))) {
  const store = createLiveStore();
  store.applySnapshot({
    sites: [],
    guards,
    openAlerts: [],
    settings: DEFAULT_SETTINGS,
    serverTime: Date.now(),
  });
  return store;
}

describe('live store change notifications', () => {
  it('names the guards a position batch moved, once per batch', () => {
    const store = loadedStore();
    const seen: (readonly string[] | null)[] = [];
    store.subscribeGuardChanges((changed) => seen.push(changed));
    store.applyPositions([fix('a', '2026-11-28T10:00:01Z'), fix('b', '2026-11-28T10:00:01Z')]);
    expect(seen).toEqual([['a', 'b']]);
  });

  it('leaves out a fix older than the one it holds, and stays silent if nothing changed', () => {
    const store = loadedStore();
    store.applyPositions([fix('a', '2026-11-28T10:00:05Z')]);
    const seen: (readonly string[] | null)[] = [];
    store.subscribeGuardChanges((changed) => seen.push(changed));
    store.applyPositions([fix('a', '2026-11-28T10:00:01Z', 1)]);
    expect(seen).toEqual([]);
    expect(store.getGuard('a')?.position?.lat).toBe(53.5);
  });

  it('compares fix times as numbers: an older fix never replaces a newer one', () => {
    const store = loadedStore();
    // As text '9999' > '10000': a string comparison would take the older fix.
    store.applyPositions([fix('a', 10_000, 1)]);
    store.applyPositions([fix('a', 9_999, 2)]);
    expect(store.getGuard('a')?.position).toEqual(fix('a', 10_000, 1));
    expect(store.getGuard('a')?.lastSeenAt).toBe(10_000);
    // Within one batch too, and a newer one still moves the guard.
    store.applyPositions([fix('b', 100_000, 3), fix('b', 99_999, 4)]);
    expect(store.getGuard('b')?.position?.lat).toBe(3);
    store.applyPositions([fix('a', 10_001, 5)]);
    expect(store.getGuard('a')?.position?.fixAt).toBe(10_001);
  });

  it('says "everything" (null) after a snapshot, and names a guard whose duty changed', () => {
    const store = loadedStore();
    const seen: (readonly string[] | null)[] = [];
    const stop = store.subscribeGuardChanges((changed) => seen.push(changed));
    store.applyGuardStatus({ guardId: 'b', siteId: 'site', dutyStatus: 'break', at: NOW_MS });
    store.applySnapshot({
      sites: [],
      guards: [],
      openAlerts: [],
      settings: DEFAULT_SETTINGS,
      serverTime: Date.parse(NOW_ISO),
    });
    stop();
    store.applyGuardStatus({ guardId: 'b', siteId: 'site', dutyStatus: 'on_duty', at: NOW_MS });
    expect(seen).toEqual([['b'], null]);
  });

  it('keeps the newest duty status when an older report arrives after it (another web node, a taken-over event)', () => {
    const store = loadedStore();
    store.applyGuardStatus({ guardId: 'a', siteId: 'site', dutyStatus: 'break', at: NOW_MS });
    const seen: (readonly string[] | null)[] = [];
    store.subscribeGuardChanges((changed) => seen.push(changed));
    store.applyGuardStatus({ guardId: 'a', siteId: 'site', dutyStatus: 'on_duty', at: NOW_MS - 1 });
    expect(store.getGuard('a')).toMatchObject({ dutyStatus: 'break', dutyStatusAt: NOW_MS });
    expect(seen).toEqual([]);
    store.applyGuardStatus({
      guardId: 'a',
      siteId: 'site',
      dutyStatus: 'patrolling',
      at: NOW_MS + 1,
    });
    expect(store.getGuard('a')).toMatchObject({
      dutyStatus: 'patrolling',
      dutyStatusAt: NOW_MS + 1,
    });
  });

  it('keeps a snapshot’s duty status against an older live report', () => {
    const store = loadedStore([guardDto('a', { dutyStatus: 'off_duty', dutyStatusAt: NOW_MS })]);
    store.applyGuardStatus({ guardId: 'a', siteId: 'site', dutyStatus: 'on_duty', at: NOW_MS - 5 });
    expect(store.getGuard('a')?.dutyStatus).toBe('off_duty');
  });
});
