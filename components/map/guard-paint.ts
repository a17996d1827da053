/**
 * Paints every guard on one canvas in a handful of canvas calls: guards are
 * grouped by status, and each group is one path filled once and stroked once
 * (plus one path for the heading ticks and one for the accuracy rings),
 * instead of a fill and a stroke per guard. The most urgent statuses are
 * painted last, so an SOS is never hidden under a crowd of patrolling dots.
 *
 * No Leaflet here: the layer says where the view is and supplies projection.
 */
import type { GuardStatus } from '@/components/guards/guard-status';
import type { DrawnGuard } from './guard-draw-state';
import { addPainted, clearPainted, type PaintedGuards } from './guard-hit-test';

/** Bottom to top. */
export const STATUS_PAINT_ORDER: readonly GuardStatus[] = [
  'offline',
  'stale',
  'idle',
  'patrol',
  'sos',
];

export interface GuardPaintStyle {
  fill: string;
  outline: string;
  outlineWidth: number;
}

export interface PaintView {
  /** Canvas size in CSS pixels; the layer applies the device pixel ratio. */
  width: number;
  height: number;
  zoom: number;
  /** World pixel (at `zoom`) of the canvas's top-left corner. */
  originX: number;
  originY: number;
  /** Fills guard.px/py for `zoom` when they are stale (the layer caches projections). */
  project(guard: DrawnGuard): void;
  radiusPx: number;
  selectedId: string | null;
  styles: Record<GuardStatus, GuardPaintStyle>;
  /** The halo around the selected guard. */
  selectionColor: string;
  /**
   * A dot (fill and outline) of this status and radius, drawn once and cached by the
   * caller: blitting 2,000 small bitmaps is far cheaper for the rasterizer than filling and
   * stroking one path of 2,000 circles. Its size is dotSpriteSizePx(radius, outline).
   */
  sprite(status: GuardStatus, radiusPx: number): CanvasImageSource;
}

const HEADING_TICK_PX = 7;
const SOS_EXTRA_PX = 2;
const SELECTED_EXTRA_PX = 3;
/** Dots this far outside the canvas are skipped; covers the tick and a little ring. */
const CULL_MARGIN_PX = 24;
const EARTH_CIRCUMFERENCE_M = 40_075_016.686;
const TAU = Math.PI * 2;

/** The side of a dot sprite in CSS pixels: the circle, its outline and a pixel to spare. */
export function dotSpriteSizePx(radiusPx: number, outlineWidth: number): number {
  // Even, so a sprite centred on a whole pixel starts on a whole pixel too.
  return 2 * Math.ceil(radiusPx + outlineWidth / 2 + 1);
}

/** Draws the dot a sprite holds, centred, on a context scaled to CSS pixels. */
export function drawDotSprite(
  ctx: CanvasRenderingContext2D,
  style: GuardPaintStyle,
  radiusPx: number,
): void {
  const centre = dotSpriteSizePx(radiusPx, style.outlineWidth) / 2;
  ctx.beginPath();
  circlePath(ctx, centre, centre, radiusPx);
  fillAndOutline(ctx, style);
}

/** Smaller dots when zoomed out, where a site's guards share a few dozen pixels. */
export function markerRadiusPx(zoom: number): number {
  if (zoom >= 16) return 7;
  return zoom >= 14 ? 6 : 5;
}

/** A guard's dot radius in pixels: SOS and the selected guard stand out. */
export function guardRadiusPx(base: number, status: GuardStatus, selected: boolean): number {
  return base + (status === 'sos' ? SOS_EXTRA_PX : 0) + (selected ? SELECTED_EXTRA_PX : 0);
}

/** The accuracy radius in screen pixels at this latitude and zoom (256-pixel tiles). */
export function accuracyPx(accuracyM: number, lat: number, zoom: number): number {
  if (accuracyM <= 0) return 0;
  const metresPerPx = (EARTH_CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180)) / 2 ** (zoom + 8);
  return accuracyM / metresPerPx;
}

type Buckets = Record<GuardStatus, DrawnGuard[]>;

function emptyBuckets(): Buckets {
  return { offline: [], stale: [], idle: [], patrol: [], sos: [] };
}

/** Reused between frames: painting allocates no arrays per frame. */
const buckets = emptyBuckets();

function visible(view: PaintView, x: number, y: number): boolean {
  return (
    x >= -CULL_MARGIN_PX &&
    y >= -CULL_MARGIN_PX &&
    x <= view.width + CULL_MARGIN_PX &&
    y <= view.height + CULL_MARGIN_PX
  );
}

function circlePath(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.moveTo(x + r, y);
  ctx.arc(x, y, r, 0, TAU);
}

/**
 * Paints the guards in view onto a cleared canvas and records where each dot
 * went (for hit-testing). Returns how many were painted.
 */
export function paintGuards(
  ctx: CanvasRenderingContext2D,
  guards: Iterable<DrawnGuard>,
  view: PaintView,
  painted: PaintedGuards,
): number {
  clearPainted(painted);
  for (const status of STATUS_PAINT_ORDER) buckets[status].length = 0;
  let selected: DrawnGuard | null = null;
  for (const guard of guards) {
    view.project(guard);
    if (!visible(view, guard.px - view.originX, guard.py - view.originY)) continue;
    if (guard.id === view.selectedId) selected = guard;
    else buckets[guard.status].push(guard);
  }
  if (selected) buckets[selected.status].push(selected);

  paintAccuracyRings(ctx, view);
  for (const status of STATUS_PAINT_ORDER) {
    const group = buckets[status];
    if (group.length === 0) continue;
    const style = view.styles[status];
    const r = guardRadiusPx(view.radiusPx, status, false);
    const sprite = view.sprite(status, r);
    const size = dotSpriteSizePx(r, style.outlineWidth);
    ctx.globalAlpha = 1;
    for (const guard of group) {
      if (guard === selected) continue;
      // Whole pixels: the sprite is copied, not resampled.
      const x = Math.round(guard.px - view.originX);
      const y = Math.round(guard.py - view.originY);
      ctx.drawImage(sprite, x - size / 2, y - size / 2, size, size);
      addPainted(painted, guard.id, x, y, r);
    }
    paintHeadings(ctx, group, view, style.fill, selected);
  }
  if (selected) paintSelected(ctx, selected, view, painted);
  return painted.ids.length;
}

function fillAndOutline(ctx: CanvasRenderingContext2D, style: GuardPaintStyle): void {
  ctx.globalAlpha = 1;
  ctx.fillStyle = style.fill;
  ctx.fill();
  ctx.lineWidth = style.outlineWidth;
  ctx.strokeStyle = style.outline;
  ctx.stroke();
}

function paintHeadings(
  ctx: CanvasRenderingContext2D,
  group: readonly DrawnGuard[],
  view: PaintView,
  color: string,
  skip: DrawnGuard | null,
): void {
  ctx.beginPath();
  let any = false;
  for (const guard of group) {
    if (guard.headingDeg === null || guard === skip) continue;
    const r = guardRadiusPx(view.radiusPx, guard.status, guard.id === view.selectedId);
    const angle = ((guard.headingDeg - 90) * Math.PI) / 180;
    const x = Math.round(guard.px - view.originX);
    const y = Math.round(guard.py - view.originY);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    ctx.moveTo(x + cos * (r + 1), y + sin * (r + 1));
    ctx.lineTo(x + cos * (r + HEADING_TICK_PX), y + sin * (r + HEADING_TICK_PX));
    any = true;
  }
  if (!any) return;
  ctx.lineWidth = 3;
  ctx.lineCap = 'round';
  ctx.strokeStyle = color;
  ctx.stroke();
}

function paintAccuracyRings(ctx: CanvasRenderingContext2D, view: PaintView): void {
  for (const status of STATUS_PAINT_ORDER) {
    const group = buckets[status];
    ctx.beginPath();
    let any = false;
    for (const guard of group) {
      const ring = accuracyPx(guard.accuracyM, guard.lat, view.zoom);
      // Only when larger than the dot: a ring inside the dot says nothing.
      if (ring <= view.radiusPx + 3) continue;
      circlePath(ctx, guard.px - view.originX, guard.py - view.originY, ring);
      any = true;
    }
    if (!any) continue;
    const color = view.styles[status].fill;
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.1;
    ctx.fill();
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.globalAlpha = 0.5;
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
}

/** The selected guard on top of everything, larger, with a halo. */
function paintSelected(
  ctx: CanvasRenderingContext2D,
  guard: DrawnGuard,
  view: PaintView,
  painted: PaintedGuards,
): void {
  const r = guardRadiusPx(view.radiusPx, guard.status, true);
  const x = Math.round(guard.px - view.originX);
  const y = Math.round(guard.py - view.originY);
  ctx.beginPath();
  circlePath(ctx, x, y, r + 3);
  ctx.lineWidth = 2;
  ctx.strokeStyle = view.selectionColor;
  ctx.stroke();
  ctx.beginPath();
  circlePath(ctx, x, y, r);
  fillAndOutline(ctx, view.styles[guard.status]);
  paintHeadings(ctx, [guard], view, view.styles[guard.status].fill, null);
  addPainted(painted, guard.id, x, y, r);
}

/** Strokes polylines given as flat [x0, y0, x1, y1, ...] container-pixel arrays, in one path. */
export function paintPolylines(
  ctx: CanvasRenderingContext2D,
  lines: readonly number[][],
  style: { color: string; width: number; opacity: number },
): void {
  ctx.beginPath();
  for (const line of lines) {
    if (line.length < 4) continue;
    ctx.moveTo(line[0]!, line[1]!);
    for (let i = 2; i < line.length; i += 2) ctx.lineTo(line[i]!, line[i + 1]!);
  }
  ctx.globalAlpha = style.opacity;
  ctx.lineWidth = style.width;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  ctx.strokeStyle = style.color;
  ctx.stroke();
  ctx.globalAlpha = 1;
}
