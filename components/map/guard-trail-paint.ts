/**
 * The guards' trails on the guard canvas: which guards show one (the selected
 * guard always, every guard in view from ALL_TRAILS_ZOOM on) and the painting,
 * under the dots already painted, in one path.
 */
import type { PathOptions } from 'leaflet';
import type { TrailPoint } from '@/components/realtime/guard-trails';
import type { DrawnGuard } from './guard-draw-state';
import { paintPolylines } from './guard-paint';

/** From this zoom on, every guard in view shows its trail (the selected one always does). */
export const ALL_TRAILS_ZOOM = 16;

/** The guards whose trail shows at this zoom. */
export function trailGuardIds(
  zoom: number,
  paintedIds: readonly string[],
  selectedId: string | null,
): readonly string[] {
  if (zoom >= ALL_TRAILS_ZOOM) return paintedIds;
  return selectedId ? [selectedId] : [];
}

export interface TrailPaintOptions {
  ids: readonly string[];
  guard(id: string): DrawnGuard | undefined;
  /** The guard's trail, oldest first, ending before its current fix. */
  trailOf(id: string): readonly TrailPoint[];
  /** World pixel of a position at the painted zoom. */
  project(lat: number, lon: number): { x: number; y: number };
  /** World pixel of the canvas's top-left corner. */
  origin: { x: number; y: number };
  style: PathOptions;
}

/** Paints the trails under what the canvas holds already (destination-over). */
export function paintTrails(ctx: CanvasRenderingContext2D, options: TrailPaintOptions): void {
  const { origin } = options;
  const lines: number[][] = [];
  for (const id of options.ids) {
    const guard = options.guard(id);
    if (!guard) continue;
    const line: number[] = [];
    for (const [, lat, lon] of options.trailOf(id)) {
      const point = options.project(lat, lon);
      line.push(point.x - origin.x, point.y - origin.y);
    }
    // End the trail at the dot, not at the last sampled point.
    line.push(guard.px - origin.x, guard.py - origin.y);
    lines.push(line);
  }
  if (lines.length === 0) return;
  ctx.globalCompositeOperation = 'destination-over';
  paintPolylines(ctx, lines, {
    color: options.style.color ?? '#4cc3ff',
    width: options.style.weight ?? 2,
    opacity: options.style.opacity ?? 0.55,
  });
  ctx.globalCompositeOperation = 'source-over';
}
