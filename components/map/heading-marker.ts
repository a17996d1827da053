/**
 * A canvas circle marker that also draws the guard's heading (a short tick
 * outside the circle) and, when zoomed in far enough for it to mean
 * something, its accuracy circle. One layer per guard on the shared canvas:
 * no DOM element per guard, so 2,000 of them stay cheap.
 *
 * Leaflet's canvas renderer has no public hook for extra drawing, so this
 * overrides two internal methods (stable across Leaflet 1.x).
 */
import { Bounds, CircleMarker, Point, type CircleMarkerOptions } from 'leaflet';

export interface HeadingMarkerOptions extends CircleMarkerOptions {
  /** Degrees clockwise from north, or null when unknown. */
  headingDeg?: number | null;
  /** Horizontal accuracy in metres (0: none). */
  accuracyM?: number;
}

interface CanvasInternals {
  _drawing: boolean;
  _ctx: CanvasRenderingContext2D;
  _updateCircle(layer: CircleMarker): void;
}

interface MarkerInternals {
  _point: Point;
  _radius: number;
  _renderer: CanvasInternals;
  _map: { getZoom(): number } | null;
  _latlng: { lat: number };
  _pxBounds: Bounds;
  _clickTolerance(): number;
  _empty(): boolean;
}

const HEADING_TICK_PX = 7;
const EARTH_CIRCUMFERENCE_M = 40_075_016.686;

/** Circle marker with a heading tick and an accuracy ring. */
export class HeadingMarker extends CircleMarker {
  declare options: HeadingMarkerOptions;

  /** Updates heading and accuracy together and redraws once. */
  setFix(headingDeg: number | null, accuracyM: number): this {
    if (this.options.headingDeg === headingDeg && this.options.accuracyM === accuracyM) return this;
    this.options.headingDeg = headingDeg;
    this.options.accuracyM = accuracyM;
    return this.redraw();
  }

  private internals(): MarkerInternals {
    return this as unknown as MarkerInternals;
  }

  /** The accuracy radius in screen pixels at the current zoom. */
  private accuracyPx(): number {
    const self = this.internals();
    const metres = this.options.accuracyM ?? 0;
    if (!self._map || metres <= 0) return 0;
    const metresPerPx =
      (EARTH_CIRCUMFERENCE_M * Math.cos((self._latlng.lat * Math.PI) / 180)) /
      2 ** (self._map.getZoom() + 8);
    return metres / metresPerPx;
  }

  // The canvas only repaints the union of changed layers' bounds: they must cover the tick
  // and the ring, or moving markers would leave bits of them behind.
  protected _updateBounds(): void {
    const self = this.internals();
    const reach =
      Math.max(self._radius + HEADING_TICK_PX + 2, this.accuracyPx()) + self._clickTolerance();
    const offset = new Point(reach, reach);
    self._pxBounds = new Bounds(self._point.subtract(offset), self._point.add(offset));
  }

  protected _updatePath(): void {
    const self = this.internals();
    const renderer = self._renderer;
    if (!renderer._drawing || self._empty()) return;
    const ctx = renderer._ctx;
    const p = self._point;
    const accuracy = this.accuracyPx();
    // Drawn only when it is larger than the marker: a ring inside the dot says nothing.
    if (accuracy > self._radius + 3) {
      ctx.beginPath();
      ctx.arc(p.x, p.y, accuracy, 0, Math.PI * 2);
      ctx.globalAlpha = 0.1;
      ctx.fillStyle = this.options.fillColor ?? '#fff';
      ctx.fill();
      ctx.globalAlpha = 0.5;
      ctx.lineWidth = 1;
      ctx.strokeStyle = this.options.fillColor ?? '#fff';
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    renderer._updateCircle(this);
    const heading = this.options.headingDeg;
    if (heading === null || heading === undefined) return;
    const angle = ((heading - 90) * Math.PI) / 180;
    const from = self._radius + 1;
    const to = self._radius + HEADING_TICK_PX;
    ctx.beginPath();
    ctx.moveTo(p.x + Math.cos(angle) * from, p.y + Math.sin(angle) * from);
    ctx.lineTo(p.x + Math.cos(angle) * to, p.y + Math.sin(angle) * to);
    ctx.globalAlpha = 1;
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.strokeStyle = this.options.fillColor ?? '#fff';
    ctx.stroke();
  }
}
