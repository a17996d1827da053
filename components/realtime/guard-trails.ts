/**
 * Each guard's recent path, kept in the browser from the live fixes: a
 * 10-minute trail at one point per few seconds, so 2,000 guards cost a few
 * megabytes at most and memory stays flat however long the screen runs.
 */
import type { GuardPositionDto } from '@/server/realtime/events';

export const TRAIL_WINDOW_MS = 10 * 60_000;
/** Fixes closer together than this are not added to the trail (the marker shows the latest). */
const TRAIL_STEP_MS = 5_000;

export type TrailPoint = readonly [epochMs: number, lat: number, lon: number];

export interface GuardTrails {
  add(fix: GuardPositionDto): void;
  /** The trail within the window ending at nowMs, oldest first. */
  get(guardId: string, nowMs: number): TrailPoint[];
  /** Drops guards not in the given set (after a snapshot). */
  retain(guardIds: ReadonlySet<string>): void;
}

/** Creates an empty trail keeper. */
export function createGuardTrails(): GuardTrails {
  const trails = new Map<string, TrailPoint[]>();
  return {
    add(fix) {
      const t = Date.parse(fix.fixAt);
      if (!Number.isFinite(t)) return;
      let trail = trails.get(fix.guardId);
      if (!trail) {
        trail = [];
        trails.set(fix.guardId, trail);
      }
      const last = trail[trail.length - 1];
      if (last && t - last[0] < TRAIL_STEP_MS) return;
      trail.push([t, fix.lat, fix.lon]);
      // Pruned on write, so a trail is bounded by window / step however long the page runs.
      let drop = 0;
      while (drop < trail.length && trail[drop]![0] < t - TRAIL_WINDOW_MS) drop += 1;
      if (drop > 0) trail.splice(0, drop);
    },
    get(guardId, nowMs) {
      const trail = trails.get(guardId);
      if (!trail) return [];
      return trail.filter((point) => point[0] >= nowMs - TRAIL_WINDOW_MS);
    },
    retain(guardIds) {
      for (const id of trails.keys()) if (!guardIds.has(id)) trails.delete(id);
    },
  };
}
