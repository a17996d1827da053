/**
 * Which guard is under the pointer, from where the last paint put each dot.
 * The canvas has no element per guard, so clicks and hovers are resolved here:
 * a linear scan of 2,000 points takes microseconds, once per pointer event.
 */

/** Where each guard was painted, in paint order (later is on top), in container pixels. */
export interface PaintedGuards {
  ids: string[];
  xs: number[];
  ys: number[];
  radii: number[];
}

/** An empty list, reused from frame to frame. */
export function createPaintedGuards(): PaintedGuards {
  return { ids: [], xs: [], ys: [], radii: [] };
}

/** Empties the list in place (no new arrays per frame). */
export function clearPainted(painted: PaintedGuards): void {
  painted.ids.length = 0;
  painted.xs.length = 0;
  painted.ys.length = 0;
  painted.radii.length = 0;
}

/** Records one painted guard. */
export function addPainted(painted: PaintedGuards, id: string, x: number, y: number, r: number) {
  painted.ids.push(id);
  painted.xs.push(x);
  painted.ys.push(y);
  painted.radii.push(r);
}

/**
 * The guard whose dot is nearest the point, among those within their radius
 * plus `tolerancePx` (a fingertip is wider than a 5-pixel dot); on a tie the
 * one painted later (on top) wins. Null when none is close enough.
 */
export function hitTest(
  painted: PaintedGuards,
  x: number,
  y: number,
  tolerancePx: number,
): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (let i = 0; i < painted.ids.length; i += 1) {
    const dx = painted.xs[i]! - x;
    const dy = painted.ys[i]! - y;
    const reach = painted.radii[i]! + tolerancePx;
    const distance = dx * dx + dy * dy;
    if (distance <= reach * reach && distance <= bestDistance) {
      best = painted.ids[i]!;
      bestDistance = distance;
    }
  }
  return best;
}
