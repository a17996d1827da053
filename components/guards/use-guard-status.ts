'use client';
/**
 * A guard's status that re-renders only when it flips (live -> stale ->
 * offline, or SOS raised), not every second: the map holds one marker per
 * guard and must not redraw them all on a clock tick.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { AlertStore } from '@/components/alerts/alert-store';
import type { GuardDto } from '@/contract/guards';
import {
  guardStatus,
  msUntilStatusChange,
  type GuardStatus,
  type StatusThresholds,
} from './guard-status';

const getServerStatus = (): GuardStatus => 'offline';

/** The guard's status, updated exactly when it crosses a threshold or its SOS state changes. */
export function useGuardStatus(
  guard: GuardDto | undefined,
  alerts: AlertStore,
  clockOffsetMs: number,
  thresholds: StatusThresholds,
): GuardStatus {
  const subscribe = useCallback(
    (notify: () => void) => {
      const unsubscribe = alerts.subscribe(notify);
      if (!guard) return unsubscribe;
      const wait = msUntilStatusChange(guard, Date.now(), clockOffsetMs, thresholds);
      // +1 ms so the re-read lands after the threshold, not on it.
      const timer = wait === null ? undefined : setTimeout(notify, wait + 1);
      return () => {
        clearTimeout(timer);
        unsubscribe();
      };
    },
    [guard, alerts, clockOffsetMs, thresholds],
  );
  const get = useCallback(
    () =>
      guard
        ? guardStatus(
            guard,
            alerts.getSosGuardIds().has(guard.id),
            Date.now(),
            clockOffsetMs,
            thresholds,
          )
        : 'offline',
    [guard, alerts, clockOffsetMs, thresholds],
  );
  return useSyncExternalStore(subscribe, get, getServerStatus);
}
