/**
 * What the guard canvas draws, keyed by guard id and updated in place: a
 * position batch touches only the guards it names, a status is recomputed
 * only when its threshold is due (or the SOS set changed), and every change
 * that shows on screen marks the state dirty so the layer repaints once per
 * frame at most, and not at all when nothing visible changed.
 *
 * Pure (no Leaflet, no DOM): the layer feeds it and reads it back.
 */
import {
  guardStatus,
  msUntilStatusChange,
  type GuardStatus,
  type StatusThresholds,
} from '@/components/guards/guard-status';
import type { GuardDto } from '@/contract/guards';

/** One guard as the canvas draws it; mutated in place so a batch allocates nothing per guard. */
export interface DrawnGuard {
  readonly id: string;
  name: string;
  lat: number;
  lon: number;
  /** Degrees clockwise from north, or null when unknown. */
  headingDeg: number | null;
  accuracyM: number;
  status: GuardStatus;
  /** Browser-clock ms when the status next changes with no new data; Infinity when never. */
  statusDueAtMs: number;
  /** World pixel at `projectedZoom`, cached by the layer; NaN zoom when stale. */
  px: number;
  py: number;
  projectedZoom: number;
}

/** What a status depends on besides the guard itself. */
export interface StatusContext {
  nowMs: number;
  /** Server clock minus browser clock. */
  clockOffsetMs: number;
  thresholds: StatusThresholds;
  sosGuardIds: ReadonlySet<string>;
}

export interface GuardDrawState {
  /** Applies the current data of the given guards (undefined: gone); null ids: all of them. */
  sync(
    changed: readonly string[] | null,
    getGuard: (id: string) => GuardDto | undefined,
    allIds: readonly string[],
    context: StatusContext,
  ): void;
  /** Recomputes statuses: only those due by now, or every one (thresholds or SOS set changed). */
  refreshStatuses(context: StatusContext, all: boolean): void;
  get(id: string): DrawnGuard | undefined;
  guards(): IterableIterator<DrawnGuard>;
  /** Guards with a position, i.e. markers on the map. */
  size(): number;
  /** True when something visible changed since the last takeDirty(); clears the flag. */
  takeDirty(): boolean;
  /** Marks the state dirty for a reason outside it (view moved, selection changed). */
  markDirty(): void;
}

function statusOf(guard: GuardDto, context: StatusContext): [GuardStatus, number] {
  const { nowMs, clockOffsetMs, thresholds } = context;
  const status = guardStatus(
    guard,
    context.sosGuardIds.has(guard.id),
    nowMs,
    clockOffsetMs,
    thresholds,
  );
  const wait = msUntilStatusChange(guard, nowMs, clockOffsetMs, thresholds);
  // +1 ms so the recomputation lands after the threshold, not on it.
  return [status, wait === null ? Infinity : nowMs + wait + 1];
}

/** Creates an empty drawing state. */
export function createGuardDrawState(): GuardDrawState {
  const drawn = new Map<string, DrawnGuard>();
  // The data each status was computed from: a due status is recomputed without the store.
  const sources = new Map<string, GuardDto>();
  let dirty = false;

  function apply(id: string, guard: GuardDto | undefined, context: StatusContext): void {
    const position = guard?.position;
    if (!guard || !position) {
      if (drawn.delete(id)) dirty = true;
      sources.delete(id);
      return;
    }
    sources.set(id, guard);
    const [status, statusDueAtMs] = statusOf(guard, context);
    const current = drawn.get(id);
    if (!current) {
      drawn.set(id, {
        id,
        name: guard.name,
        lat: position.lat,
        lon: position.lon,
        headingDeg: position.headingDeg,
        accuracyM: position.accuracyM,
        status,
        statusDueAtMs,
        px: 0,
        py: 0,
        projectedZoom: NaN,
      });
      dirty = true;
      return;
    }
    current.statusDueAtMs = statusDueAtMs;
    if (current.lat !== position.lat || current.lon !== position.lon) {
      current.lat = position.lat;
      current.lon = position.lon;
      current.projectedZoom = NaN;
      dirty = true;
    }
    if (
      current.name !== guard.name ||
      current.headingDeg !== position.headingDeg ||
      current.accuracyM !== position.accuracyM ||
      current.status !== status
    ) {
      current.name = guard.name;
      current.headingDeg = position.headingDeg;
      current.accuracyM = position.accuracyM;
      current.status = status;
      dirty = true;
    }
  }

  return {
    sync(changed, getGuard, allIds, context) {
      if (changed) {
        for (const id of changed) apply(id, getGuard(id), context);
        return;
      }
      const keep = new Set(allIds);
      for (const id of [...drawn.keys()]) if (!keep.has(id)) apply(id, undefined, context);
      for (const id of allIds) apply(id, getGuard(id), context);
    },

    refreshStatuses(context, all) {
      for (const guard of drawn.values()) {
        if (!all && guard.statusDueAtMs > context.nowMs) continue;
        const source = sources.get(guard.id);
        if (!source) continue;
        const [status, dueAt] = statusOf(source, context);
        guard.statusDueAtMs = dueAt;
        if (guard.status !== status) {
          guard.status = status;
          dirty = true;
        }
      }
    },

    get: (id) => drawn.get(id),
    guards: () => drawn.values(),
    size: () => drawn.size,
    takeDirty() {
      const was = dirty;
      dirty = false;
      return was;
    },
    markDirty() {
      dirty = true;
    },
  };
}
