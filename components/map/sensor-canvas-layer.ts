/**
 * Every sensor with a location on ONE canvas, the guards' approach (no DOM
 * element or Leaflet layer per sensor): repainted at most once per animation
 * frame, only after a change or a move of the view. Hidden during a zoom
 * animation and repainted at its end. A diamond per sensor, red past its
 * threshold. Leaflet touches `window` at import time: load this only in the browser.
 */
import { DomUtil, Layer, Util, type LayerOptions, type Map as LeafletMap } from 'leaflet';

export interface DrawnSensor {
  id: string;
  lat: number;
  lon: number;
  inAlarm: boolean;
}

export interface SensorCanvasLayerOptions extends LayerOptions {
  pane: string;
  colors: { normal: string; alarm: string; outline: string };
}

/** Half the diagonal of a sensor's diamond, px. */
const SIZE_PX = 5;

/** The sensor layer; hand it the sensors with setSensors(). */
export class SensorCanvasLayer extends Layer {
  declare options: SensorCanvasLayerOptions;
  private canvas: HTMLCanvasElement | null = null;
  private frame = 0;
  private sensors: readonly DrawnSensor[] = [];

  constructor(options: SensorCanvasLayerOptions) {
    super();
    Util.setOptions(this, options);
  }

  setSensors(sensors: readonly DrawnSensor[]): void {
    this.sensors = sensors;
    this.invalidate();
  }

  private invalidate(): void {
    if (!this._map || this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  override onAdd(map: LeafletMap): this {
    const canvas = DomUtil.create(
      'canvas',
      'wf-sensor-canvas leaflet-zoom-hide',
    ) as HTMLCanvasElement;
    canvas.style.pointerEvents = 'none';
    this.getPane()!.appendChild(canvas);
    this.canvas = canvas;
    map.on('moveend zoomend resize viewreset', this.invalidate, this);
    this.invalidate();
    return this;
  }

  override onRemove(map: LeafletMap): this {
    map.off('moveend zoomend resize viewreset', this.invalidate, this);
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.canvas?.remove();
    this.canvas = null;
    return this;
  }

  private paint(): void {
    const map = this._map;
    const canvas = this.canvas;
    const ctx = canvas?.getContext('2d');
    if (!map || !canvas || !ctx) return;
    const size = map.getSize();
    const topLeft = map.containerPointToLayerPoint([0, 0]);
    DomUtil.setPosition(canvas, topLeft);
    const ratio = window.devicePixelRatio || 1;
    if (
      canvas.width !== Math.round(size.x * ratio) ||
      canvas.height !== Math.round(size.y * ratio)
    ) {
      canvas.width = Math.round(size.x * ratio);
      canvas.height = Math.round(size.y * ratio);
      canvas.style.width = `${size.x}px`;
      canvas.style.height = `${size.y}px`;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);
    const bounds = map.getBounds().pad(0.05);
    const { colors } = this.options;
    let painted = 0;
    // Two passes, one path each: normal ones first, alarms on top.
    for (const alarm of [false, true]) {
      ctx.beginPath();
      for (const sensor of this.sensors) {
        if (sensor.inAlarm !== alarm || !bounds.contains([sensor.lat, sensor.lon])) continue;
        const p = map.latLngToContainerPoint([sensor.lat, sensor.lon]);
        const s = alarm ? SIZE_PX + 2 : SIZE_PX;
        ctx.moveTo(p.x, p.y - s);
        ctx.lineTo(p.x + s, p.y);
        ctx.lineTo(p.x, p.y + s);
        ctx.lineTo(p.x - s, p.y);
        ctx.closePath();
        painted += 1;
      }
      ctx.fillStyle = alarm ? colors.alarm : colors.normal;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = colors.outline;
      ctx.stroke();
    }
    // As the guard layer does: honest counts for tests, since a canvas has no element per marker.
    const pane = this.getPane();
    if (pane) {
      pane.dataset.sensorCount = String(this.sensors.length);
      pane.dataset.paintedCount = String(painted);
    }
  }
}
