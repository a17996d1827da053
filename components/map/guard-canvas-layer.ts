/**
 * Every guard on ONE canvas, managed imperatively: no React component, Leaflet
 * layer or DOM element per guard. The drawing state says what changed; this
 * layer repaints at most once per animation frame and only when something
 * visible changed (a position batch, a status crossing a threshold, the
 * selection, the view). Clicks and hovers are hit-tested against where the
 * last paint put each dot. The dots' looks are in guard-sprites.ts, the trails
 * in guard-trail-paint.ts, the SOS labels and the hover tooltip in guard-labels.ts.
 *
 * Leaflet touches `window` at import time: load this only in the browser.
 */
import {
  DomUtil,
  Layer,
  Util,
  latLng,
  type LayerOptions,
  type LeafletEventHandlerFn,
  type LeafletMouseEvent,
  type Map as LeafletMap,
  type Point,
  type ZoomAnimEvent,
} from 'leaflet';
import type { GuardStatus } from '@/components/guards/guard-status';
import type { TrailPoint } from '@/components/realtime/guard-trails';
import type { DrawnGuard, GuardDrawState } from './guard-draw-state';
import { createPaintedGuards, hitTest } from './guard-hit-test';
import { GuardLabels } from './guard-labels';
import { markerRadiusPx, paintGuards, type GuardPaintStyle } from './guard-paint';
import { createSpriteCache, paintStyles } from './guard-sprites';
import { paintTrails, trailGuardIds } from './guard-trail-paint';
import type { MapTheme } from './map-theme';

/** The canvas reaches this share of the view beyond each edge, so a short pan shows no gap. */
const PADDING = 0.1;
/** A pointer this close to a dot's edge still hits it. */
const HIT_TOLERANCE_PX = 4;
/** Map elements that own their clicks. */
const CLICK_OWNERS = '.leaflet-tooltip, .leaflet-marker-icon, .leaflet-popup, .leaflet-control';
/** The selection halo: white reads on every status colour and on the dark map. */
const SELECTION_COLOR = '#ffffff';

export interface GuardCanvasLayerOptions extends LayerOptions {
  pane: string;
  theme: MapTheme;
  /** The guard's trail, oldest first, ending before its current fix. */
  trailOf(guardId: string): readonly TrailPoint[];
  onSelect?(guardId: string): void;
}

interface MapInternals {
  _zoomAnimated: boolean;
  _animatingZoom?: boolean;
  _latLngToNewLayerPoint(latlng: ReturnType<typeof latLng>, zoom: number, center: unknown): Point;
}

/** The guard canvas layer; feed it through the drawing state and call invalidate(). */
export class GuardCanvasLayer extends Layer {
  declare options: GuardCanvasLayerOptions;
  private canvas: HTMLCanvasElement | null = null;
  private frame = 0;
  private viewChanged = true;
  /** Layer point of the canvas's top-left corner, and the world pixel it stands on. */
  private topLeft: Point | null = null;
  private origin = { x: 0, y: 0 };
  private originLatLng = latLng(0, 0);
  private size = { x: 0, y: 0 };
  private selectedId: string | null = null;
  private readonly painted = createPaintedGuards();
  private pointer: { x: number; y: number } | null = null;
  private readonly labels = new GuardLabels();
  private readonly styles: Record<GuardStatus, GuardPaintStyle>;
  private readonly sprite: ReturnType<typeof createSpriteCache>;

  constructor(
    private readonly state: GuardDrawState,
    options: GuardCanvasLayerOptions,
  ) {
    super();
    // Leaflet's Layer constructor does not store options: its subclasses do, in initialize().
    Util.setOptions(this, options);
    this.styles = paintStyles(options.theme);
    this.sprite = createSpriteCache(this.styles);
  }

  /** Something in the drawing state may have changed: repaint on the next frame if so. */
  invalidate(): void {
    if (!this._map || this.frame !== 0) return;
    this.frame = requestAnimationFrame(this.onFrame);
  }

  setSelected(guardId: string | null): void {
    if (guardId === this.selectedId) return;
    this.selectedId = guardId;
    this.state.markDirty();
    this.invalidate();
  }

  setOnSelect(onSelect: ((guardId: string) => void) | undefined): void {
    this.options.onSelect = onSelect;
  }

  override onAdd(map: LeafletMap): this {
    const canvas = DomUtil.create('canvas', 'wf-guard-canvas') as HTMLCanvasElement;
    const zoomAnimated = (map as unknown as MapInternals)._zoomAnimated;
    DomUtil.addClass(canvas, zoomAnimated ? 'leaflet-zoom-animated' : 'leaflet-zoom-hide');
    // The map, not the canvas, receives the pointer: clicks are hit-tested below.
    canvas.style.pointerEvents = 'none';
    this.getPane()!.appendChild(canvas);
    this.canvas = canvas;
    this.resetView();
    return this;
  }

  override onRemove(map: LeafletMap): this {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.canvas?.remove();
    this.canvas = null;
    this.labels.remove(map);
    return this;
  }

  override getEvents(): Record<string, LeafletEventHandlerFn> {
    const reset = () => this.resetView();
    // Leaflet calls each handler with the event its name implies.
    const events: Record<string, (event: never) => void> = {
      viewreset: reset,
      moveend: reset,
      zoomend: reset,
      resize: reset,
      // flyTo zooms frame by frame without a CSS animation: follow it.
      zoom: () => {
        if (!(this._map as unknown as MapInternals)._animatingZoom) reset();
      },
      mousemove: (event: LeafletMouseEvent) => this.onPointer(event),
      mouseout: () => this.onPointerLeave(),
      click: (event: LeafletMouseEvent) => this.onClick(event),
    };
    if ((this._map as unknown as MapInternals)._zoomAnimated) {
      events.zoomanim = (event: ZoomAnimEvent) => this.animateZoom(event);
    }
    return events as Record<string, LeafletEventHandlerFn>;
  }

  /** Places and sizes the canvas over the current view (plus padding) and repaints. */
  private resetView(): void {
    const map = this._map;
    const canvas = this.canvas;
    if (!map || !canvas) return;
    const view = map.getSize();
    const pad = view.multiplyBy(PADDING).round();
    const topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1)).round();
    DomUtil.setPosition(canvas, topLeft);
    this.topLeft = topLeft;
    const width = view.x + 2 * pad.x;
    const height = view.y + 2 * pad.y;
    const ratio = window.devicePixelRatio || 1;
    if (this.size.x !== width || this.size.y !== height) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      this.size = { x: width, y: height };
    }
    const worldTopLeft = map.getPixelOrigin().add(topLeft);
    this.origin = { x: worldTopLeft.x, y: worldTopLeft.y };
    this.originLatLng = map.layerPointToLatLng(topLeft);
    this.viewChanged = true;
    this.invalidate();
  }

  /** During a zoom animation the canvas is scaled like the tiles, then repainted at zoomend. */
  private animateZoom(event: ZoomAnimEvent): void {
    const map = this._map;
    if (!map || !this.canvas) return;
    const scale = map.getZoomScale(event.zoom, map.getZoom());
    const offset = (map as unknown as MapInternals)._latLngToNewLayerPoint(
      this.originLatLng,
      event.zoom,
      event.center,
    );
    DomUtil.setTransform(this.canvas, offset, scale);
  }

  private readonly onFrame = () => {
    this.frame = 0;
    const changed = this.state.takeDirty();
    if (!changed && !this.viewChanged) return;
    this.viewChanged = false;
    this.paint();
  };

  private paint(): void {
    const map = this._map;
    const canvas = this.canvas;
    const ctx = canvas?.getContext('2d');
    if (!map || !canvas || !ctx) return;
    const zoom = map.getZoom();
    const ratio = canvas.width / Math.max(1, this.size.x);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.size.x, this.size.y);
    const radiusPx = markerRadiusPx(zoom);
    paintGuards(
      ctx,
      this.state.guards(),
      {
        width: this.size.x,
        height: this.size.y,
        zoom,
        originX: this.origin.x,
        originY: this.origin.y,
        project: (guard) => this.project(guard, map, zoom),
        radiusPx,
        selectedId: this.selectedId,
        styles: this.styles,
        selectionColor: SELECTION_COLOR,
        sprite: (status, radius) => this.sprite(status, radius, ratio),
      },
      this.painted,
    );
    paintTrails(ctx, {
      ids: trailGuardIds(zoom, this.painted.ids, this.selectedId),
      guard: (id) => this.state.get(id),
      trailOf: this.options.trailOf,
      project: (lat, lon) => map.project([lat, lon], zoom),
      origin: this.origin,
      style: this.options.theme.trail,
    });
    this.publishCounts();
    this.labels.syncSos(map, this.state.guards(), radiusPx);
    this.refreshHover();
  }

  private project(guard: DrawnGuard, map: LeafletMap, zoom: number): void {
    if (guard.projectedZoom === zoom) return;
    const point = map.project([guard.lat, guard.lon], zoom);
    guard.px = point.x;
    guard.py = point.y;
    guard.projectedZoom = zoom;
  }

  /**
   * The pane says how many guards the layer holds (data-marker-count) and how many
   * the last paint put in view (data-painted-count): honest signals for tests and the
   * inspector, since a canvas has no element per marker. Written only when they change.
   */
  private publishCounts(): void {
    const pane = this.getPane();
    if (!pane) return;
    const markers = String(this.state.size());
    const painted = String(this.painted.ids.length);
    if (pane.dataset.markerCount !== markers) pane.dataset.markerCount = markers;
    if (pane.dataset.paintedCount !== painted) pane.dataset.paintedCount = painted;
  }

  private onPointer(event: LeafletMouseEvent): void {
    this.pointer = { x: event.containerPoint.x, y: event.containerPoint.y };
    this.refreshHover();
  }

  private onPointerLeave(): void {
    this.pointer = null;
    this.refreshHover();
  }

  private guardAt(x: number, y: number): string | null {
    const map = this._map;
    if (!map || !this.topLeft) return null;
    // Painted positions are canvas pixels; through layer points this holds even mid-pan.
    const point = map.containerPointToLayerPoint([x, y]);
    return hitTest(
      this.painted,
      point.x - this.topLeft.x,
      point.y - this.topLeft.y,
      HIT_TOLERANCE_PX,
    );
  }

  private onClick(event: LeafletMouseEvent): void {
    // A click on a label, pin or control is meant for it (a site name zooms to the site),
    // even when a guard's dot lies under it; Leaflet still reports such clicks to the map.
    const target = event.originalEvent.target;
    if (target instanceof Element && target.closest(CLICK_OWNERS)) return;
    const id = this.guardAt(event.containerPoint.x, event.containerPoint.y);
    if (id) this.options.onSelect?.(id);
  }

  /** Shows (or moves, or hides) the one hover tooltip for the guard under the pointer. */
  private refreshHover(): void {
    const map = this._map;
    if (!map) return;
    const id = this.pointer ? this.guardAt(this.pointer.x, this.pointer.y) : null;
    this.labels.hover(map, id ? this.state.get(id) : undefined, id === this.selectedId);
  }
}
