/**
 * Client-side live state: sites and guards keyed by id, fed by the socket.
 *
 * It lives outside React on purpose. A position batch arrives every ~200 ms;
 * putting it in React state would re-render the whole map and panel each time.
 * Instead components subscribe to exactly what they draw (one guard, or the
 * roster) through useSyncExternalStore, so a batch re-renders only the guards
 * it moved; the map's canvas takes the ids of what changed and draws without React.
 */
import { DEFAULT_OFFLINE_AFTER_MS, DEFAULT_STALE_AFTER_MS } from '@/contract/thresholds';
import type { DeviceStatusDto } from '@/contract/devices';
import type { GuardDto, GuardPositionDto, GuardStatusDto, SiteDto } from '@/contract/guards';
import type { ScreenSettingsDto, SnapshotDto, ViewerDto } from '@/contract/screen';
import { createGuardTrails, type TrailPoint } from './guard-trails';

/** What changes only with a snapshot (or a guard we had not seen): sites and display order. */
export interface LiveRoster {
  /** False until the first snapshot: lets screens tell "empty" from "not loaded yet". */
  ready: boolean;
  sites: readonly SiteDto[];
  siteNames: ReadonlyMap<string, string>;
  /** Guard ids sorted by site name, then guard name: a stable order that never jumps per message. */
  guardIds: readonly string[];
  /** Server clock minus browser clock at the snapshot, so fix ages do not depend on a wrong PC clock. */
  clockOffsetMs: number;
  /** Tiles and status thresholds from the server's config. */
  settings: ScreenSettingsDto;
  /** Who is looking; null until the first snapshot. */
  viewer: ViewerDto | null;
}

type Listener = () => void;
/** Told which guards changed; null when every guard may have (a snapshot replaced them all). */
export type GuardChangesListener = (changed: readonly string[] | null) => void;

export interface LiveStore {
  getRoster(): LiveRoster;
  getGuard(id: string): GuardDto | undefined;
  subscribeRoster(listener: Listener): () => void;
  subscribeGuard(id: string, listener: Listener): () => void;
  /**
   * Every change to any guard, with the ids it touched: for imperative views (the map's
   * canvas) that update what changed without one subscription per guard.
   */
  subscribeGuardChanges(listener: GuardChangesListener): () => void;
  applySnapshot(snapshot: SnapshotDto, receivedAtMs?: number): void;
  applyPositions(batch: readonly GuardPositionDto[]): void;
  applyGuardStatus(status: GuardStatusDto): void;
  /** A coalesced batch of device statuses: guards carrying those devices change once. */
  applyDeviceStatuses(batch: readonly DeviceStatusDto[]): void;
  /** The guard's recent path (10 minutes), oldest first, on the browser's clock. */
  getTrail(guardId: string, nowMs: number): TrailPoint[];
}

/** Until the first snapshot says otherwise: the documented defaults, and no tiles. */
export const DEFAULT_SETTINGS: ScreenSettingsDto = Object.freeze({
  tileUrl: null,
  tileAttribution: null,
  staleAfterMs: DEFAULT_STALE_AFTER_MS,
  offlineAfterMs: DEFAULT_OFFLINE_AFTER_MS,
});

export const EMPTY_ROSTER: LiveRoster = Object.freeze({
  ready: false,
  sites: [],
  siteNames: new Map<string, string>(),
  guardIds: [],
  clockOffsetMs: 0,
  settings: DEFAULT_SETTINGS,
  viewer: null,
});

const UNASSIGNED_SORT_KEY = '\uffff';

/** Creates an empty store; one per screen, so tests and several maps never share state. */
export function createLiveStore(): LiveStore {
  let roster: LiveRoster = EMPTY_ROSTER;
  const guards = new Map<string, GuardDto>();
  const trails = createGuardTrails();
  const rosterListeners = new Set<Listener>();
  const guardListeners = new Map<string, Set<Listener>>();
  const changeListeners = new Set<GuardChangesListener>();

  function sortedGuardIds(siteNames: ReadonlyMap<string, string>): string[] {
    const siteKey = (guard: GuardDto) =>
      (guard.siteId && siteNames.get(guard.siteId)) || UNASSIGNED_SORT_KEY;
    return [...guards.values()]
      .sort(
        (a, b) =>
          siteKey(a).localeCompare(siteKey(b)) ||
          a.name.localeCompare(b.name) ||
          a.id.localeCompare(b.id),
      )
      .map((guard) => guard.id);
  }

  function publishRoster(next: Omit<LiveRoster, 'guardIds'>) {
    roster = { ...next, guardIds: sortedGuardIds(next.siteNames) };
    rosterListeners.forEach((listener) => listener());
  }

  function notifyGuard(id: string) {
    guardListeners.get(id)?.forEach((listener) => listener());
  }

  function notifyChanges(changed: readonly string[] | null) {
    changeListeners.forEach((listener) => listener(changed));
  }

  function subscribe<T>(set: Set<T>, listener: T) {
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  return {
    getRoster: () => roster,
    getGuard: (id) => guards.get(id),
    subscribeRoster: (listener) => subscribe(rosterListeners, listener),
    subscribeGuardChanges: (listener) => subscribe(changeListeners, listener),
    subscribeGuard(id, listener) {
      let set = guardListeners.get(id);
      if (!set) {
        set = new Set();
        guardListeners.set(id, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) guardListeners.delete(id);
      };
    },

    applySnapshot(snapshot, receivedAtMs = Date.now()) {
      // A snapshot is the whole truth (sent on every (re)connection): replace, never merge,
      // so guards removed while we were offline disappear.
      const previous = new Set(guards.keys());
      guards.clear();
      for (const guard of snapshot.guards) {
        guards.set(guard.id, guard);
        if (guard.position) trails.add(guard.position);
      }
      trails.retain(new Set(guards.keys()));
      const serverMs = snapshot.serverTime;
      publishRoster({
        ready: true,
        sites: snapshot.sites,
        siteNames: new Map(snapshot.sites.map((site) => [site.id, site.name])),
        clockOffsetMs: Number.isFinite(serverMs) ? serverMs - receivedAtMs : 0,
        settings: snapshot.settings ?? DEFAULT_SETTINGS,
        viewer: snapshot.viewer ?? null,
      });
      for (const id of new Set([...previous, ...guards.keys()])) notifyGuard(id);
      notifyChanges(null);
    },

    applyPositions(batch) {
      const changed: string[] = [];
      let rosterChanged = false;
      for (const fix of batch) {
        const current = guards.get(fix.guardId);
        // Batches and snapshots race on reconnection: never let an older fix overwrite a newer one.
        if (current?.position && current.position.fixAt > fix.fixAt) continue;
        if (!current || current.siteId !== fix.siteId) rosterChanged = true;
        guards.set(fix.guardId, {
          // A guard created after our snapshot: show its id until the next snapshot names it.
          name: fix.guardId,
          dutyStatus: null,
          dutyStatusAt: null,
          battery: null,
          signalDbm: null,
          signalPercent: null,
          ...current,
          id: fix.guardId,
          siteId: fix.siteId,
          position: fix,
          lastSeenAt: Math.max(current?.lastSeenAt ?? fix.fixAt, fix.fixAt),
        });
        trails.add(fix);
        changed.push(fix.guardId);
      }
      if (changed.length === 0) return;
      if (rosterChanged) publishRoster(roster);
      changed.forEach(notifyGuard);
      notifyChanges(changed);
    },

    applyGuardStatus(status) {
      const current = guards.get(status.guardId);
      // Statuses reach us through several web nodes, unordered: the newest report stays.
      if (!current || (current.dutyStatusAt !== null && status.at < current.dutyStatusAt)) return;
      guards.set(status.guardId, {
        ...current,
        dutyStatus: status.dutyStatus,
        dutyStatusAt: status.at,
      });
      notifyGuard(status.guardId);
      notifyChanges([status.guardId]);
    },

    applyDeviceStatuses(batch) {
      const changed: string[] = [];
      for (const status of batch) {
        const current = status.guardId ? guards.get(status.guardId) : undefined;
        if (!current) continue;
        guards.set(current.id, {
          ...current,
          battery: status.battery,
          signalDbm: status.signalDbm,
          signalPercent: status.signalPercent,
          lastSeenAt: Math.max(current.lastSeenAt ?? status.lastSeenAt, status.lastSeenAt),
        });
        changed.push(current.id);
      }
      if (changed.length === 0) return;
      changed.forEach(notifyGuard);
      notifyChanges(changed);
    },

    getTrail: (guardId, nowMs) => trails.get(guardId, nowMs),
  };
}
