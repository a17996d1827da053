/**
 * Each guard's recent path, kept in the browser from the live fixes: a
 * 10-minute trail at one point per few seconds, so 2,000 guards cost a few
 * megabytes at most and memory stays flat however long the screen runs.
 */
import type { GuardPositionDto } from '@/contract/guards';

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

/** Points a trail can hold: one per step over the window, plus the newest. */
const CAPACITY = Math.ceil(TRAIL_WINDOW_MS / TRAIL_STEP_MS) + 1;

/**
 * One guard's trail: a ring of (time, lat, lon) in a typed array allocated
 * once at its first fix, so a screen that runs for days does the same
 * allocations on day three as in minute one and its heap stays flat.
 */
interface TrailRing {
  data: Float64Array;
  /** Slot of the oldest point. */
  start: number;
  length: number;
}

const timeAt = (ring: TrailRing, i: number) => ring.data[((ring.start + i) % CAPACITY) * 3]!;

/** Creates an empty trail keeper. */
export function createGuardTrails(): GuardTrails {
  const trails = new Map<string, TrailRing>();
  return {
    add(fix) {
      const t = fix.fixAt;
      if (!Number.isFinite(t)) return;
      let ring = trails.get(fix.guardId);
      if (!ring) {
        ring = { data: new Float64Array(CAPACITY * 3), start: 0, length: 0 };
        trails.set(fix.guardId, ring);
      }
      if (ring.length > 0 && t - timeAt(ring, ring.length - 1) < TRAIL_STEP_MS) return;
      // Pruned on write, and the oldest point gives way when full: bounded however long it runs.
      while (
        ring.length > 0 &&
        (timeAt(ring, 0) < t - TRAIL_WINDOW_MS || ring.length === CAPACITY)
      ) {
        ring.start = (ring.start + 1) % CAPACITY;
        ring.length -= 1;
      }
      const slot = ((ring.start + ring.length) % CAPACITY) * 3;
      ring.data[slot] = t;
      ring.data[slot + 1] = fix.lat;
      ring.data[slot + 2] = fix.lon;
      ring.length += 1;
    },
    get(guardId, nowMs) {
      const ring = trails.get(guardId);
      if (!ring) return [];
      const points: TrailPoint[] = [];
      for (let i = 0; i < ring.length; i += 1) {
        const slot = ((ring.start + i) % CAPACITY) * 3;
        const t = ring.data[slot]!;
        if (t >= nowMs - TRAIL_WINDOW_MS)
          points.push([t, ring.data[slot + 1]!, ring.data[slot + 2]!]);
      }
      return points;
    },
    retain(guardIds) {
      for (const id of trails.keys()) if (!guardIds.has(id)) trails.delete(id);
    },
  };
}
