/**
 * Marker and geofence colours for the map. Canvas paths cannot use CSS
 * variables, so they are read once from the design tokens in globals.css:
 * the panel's status dots and the map's markers then always match.
 */
import type { PathOptions } from 'leaflet';
import type { GuardStatus } from '@/components/guards/guard-status';
import type { AlertSeverity } from '@/contract/alerts';

export interface MapTheme {
  guard: Record<GuardStatus, PathOptions>;
  geofence: PathOptions;
  /** The selected guard's trail, and every trail when zoomed in. */
  trail: PathOptions;
  severity: Record<AlertSeverity, string>;
}

function token(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** Builds path styles from the CSS custom properties in effect on the given element. */
export function readMapTheme(element: HTMLElement): MapTheme {
  const style = getComputedStyle(element);
  const outline = token(style, '--wf-map-bg', '#0e151d');
  const guardStyle = (fill: string): PathOptions => ({
    color: outline,
    weight: 2,
    fillColor: fill,
    fillOpacity: 1,
  });
  return {
    guard: {
      patrol: guardStyle(token(style, '--wf-live', '#34d399')),
      idle: guardStyle(token(style, '--wf-idle', '#7aa7ff')),
      stale: guardStyle(token(style, '--wf-stale', '#f5a524')),
      offline: guardStyle(token(style, '--wf-offline', '#6b7785')),
      sos: { ...guardStyle(token(style, '--wf-sos', '#ff3b5c')), color: '#ffffff', weight: 2.5 },
    },
    trail: {
      color: token(style, '--wf-accent', '#4cc3ff'),
      weight: 2,
      opacity: 0.55,
      interactive: false,
    },
    severity: {
      critical: token(style, '--wf-sev-critical', '#ff3b5c'),
      high: token(style, '--wf-sev-high', '#ff8a3d'),
      medium: token(style, '--wf-sev-medium', '#f5c542'),
      low: token(style, '--wf-sev-low', '#6cb4ff'),
    },
    geofence: {
      color: token(style, '--wf-geofence', '#4cc3ff'),
      weight: 1.5,
      opacity: 0.9,
      fillColor: token(style, '--wf-geofence', '#4cc3ff'),
      fillOpacity: 0.08,
      dashArray: '6 4',
    },
  };
}
