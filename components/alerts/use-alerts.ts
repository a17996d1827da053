'use client';
import { useSyncExternalStore } from 'react';
import type { AlertDto } from '@/contract/alerts';
import type { AlertStore } from './alert-store';

const NONE: readonly AlertDto[] = [];

/** Every alert in the store, newest first; re-renders on each alert change. */
export function useAlerts(alerts: AlertStore): readonly AlertDto[] {
  return useSyncExternalStore(alerts.subscribe, alerts.getAlerts, () => NONE);
}

/** The oldest open critical alert (the one the banner shows), or null. */
export function oldestOpenCritical(all: readonly AlertDto[]): AlertDto | null {
  let oldest: AlertDto | null = null;
  for (const alert of all) {
    if (alert.status !== 'open' || alert.severity !== 'critical') continue;
    if (!oldest || alert.raisedAt < oldest.raisedAt) oldest = alert;
  }
  return oldest;
}
