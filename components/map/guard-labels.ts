/**
 * The guard layer's text: a permanent label on every SOS guard (nobody has to
 * hover to find them) and the one hover tooltip for the guard under the
 * pointer. Both are ordinary Leaflet tooltips, so they look like every other
 * map label. Leaflet touches `window` at import time: load this only in the browser.
 */
import { Tooltip, type Map as LeafletMap } from 'leaflet';
import { GUARD_STATUS_LABELS } from '@/components/guards/guard-status';
import type { DrawnGuard } from './guard-draw-state';
import { guardRadiusPx, markerRadiusPx } from './guard-paint';

/** Hostile names must stay text: a tooltip given a string would parse it as HTML. */
function textElement(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

/** The SOS labels and the hover tooltip of one map. */
export class GuardLabels {
  private hoverTooltip: Tooltip | null = null;
  private hoverText = '';
  private readonly sosTooltips = new Map<string, Tooltip>();

  /** One label per SOS guard, moved with it; labels of guards no longer in SOS go. */
  syncSos(map: LeafletMap, guards: Iterable<DrawnGuard>, radiusPx: number): void {
    const seen = new Set<string>();
    for (const guard of guards) {
      if (guard.status !== 'sos') continue;
      seen.add(guard.id);
      const text = `SOS · ${guard.name}`;
      let tooltip = this.sosTooltips.get(guard.id);
      if (!tooltip) {
        tooltip = new Tooltip({
          permanent: true,
          direction: 'top',
          className: 'wf-guard-tooltip wf-guard-tooltip--sos',
          offset: [0, -guardRadiusPx(radiusPx, 'sos', false)],
        });
        this.sosTooltips.set(guard.id, tooltip);
        tooltip.setLatLng([guard.lat, guard.lon]).setContent(textElement(text)).addTo(map);
      } else {
        tooltip.setLatLng([guard.lat, guard.lon]);
        if (tooltip.getElement()?.textContent !== text) tooltip.setContent(textElement(text));
      }
    }
    for (const [id, tooltip] of this.sosTooltips) {
      if (seen.has(id)) continue;
      tooltip.remove();
      this.sosTooltips.delete(id);
    }
  }

  /** Shows (or moves) the hover tooltip for this guard; hides it for none or an SOS guard. */
  hover(map: LeafletMap, guard: DrawnGuard | undefined, selected: boolean): void {
    // An SOS guard already carries its label.
    const show = guard && guard.status !== 'sos' ? guard : undefined;
    map.getContainer().classList.toggle('wf-map--over-guard', guard !== undefined);
    if (!show) {
      this.hoverTooltip?.remove();
      this.hoverTooltip = null;
      return;
    }
    const text = `${show.name} · ${GUARD_STATUS_LABELS[show.status]}`;
    const radius = guardRadiusPx(markerRadiusPx(map.getZoom()), show.status, selected);
    if (!this.hoverTooltip) {
      this.hoverTooltip = new Tooltip({ direction: 'top', className: 'wf-guard-tooltip' });
      this.hoverText = '';
    }
    this.hoverTooltip.options.offset = [0, -radius];
    this.hoverTooltip.setLatLng([show.lat, show.lon]);
    if (this.hoverText !== text) {
      this.hoverText = text;
      this.hoverTooltip.setContent(textElement(text));
    }
    if (!map.hasLayer(this.hoverTooltip)) this.hoverTooltip.addTo(map);
  }

  /** Removes every label (the layer left the map). */
  remove(map: LeafletMap): void {
    this.hoverTooltip?.remove();
    this.hoverTooltip = null;
    this.sosTooltips.forEach((tooltip) => tooltip.remove());
    this.sosTooltips.clear();
    map.getContainer().classList.remove('wf-map--over-guard');
  }
}
