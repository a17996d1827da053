'use client';
/**
 * The alert a link names: `/?alert=<id>` is the map link of escalation
 * e-mails and webhooks. Once the live state has that alert, the map centres
 * on where it is (its location, else its guard's last position) and its
 * guard is selected, so the link shows where, not just the whole map.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { MapFocus } from '@/components/map/fit-to-sites';
import type { LiveStore } from '@/components/realtime/live-store';
import type { AlertDto } from '@/contract/alerts';

// The query string does not change while the page lives (links load a page).
const noSubscription = () => () => undefined;
const linkedId = () => new URLSearchParams(window.location.search).get('alert');
const noLinkOnServer = () => null;

/** The linked alert's guard and where to centre the map; null when no link names an alert in view. */
export function useLinkedAlert(
  alerts: readonly AlertDto[],
  store: LiveStore,
): { guardId: string | null; focus: MapFocus | null } | null {
  const id = useSyncExternalStore(noSubscription, linkedId, noLinkOnServer);
  const alert = id ? alerts.find((a) => a.id === id) : undefined;
  const at =
    alert?.location ?? (alert?.guardId ? store.getGuard(alert.guardId)?.position : null) ?? null;
  // The alert object changes with every update of it; only these fields matter here.
  const key = alert?.id;
  const guardId = alert?.guardId ?? null;
  const lat = at?.lat;
  const lon = at?.lon;
  return useMemo(() => {
    if (!key) return null;
    const focus = lat !== undefined && lon !== undefined ? { key, lat, lon } : null;
    return { guardId, focus };
  }, [key, guardId, lat, lon]);
}
