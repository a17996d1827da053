'use client';
/**
 * React bindings for the live store. Each hook subscribes to one slice, so a
 * position batch re-renders only the components showing the guards it moved.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { GuardDto } from '@/contract/guards';
import { EMPTY_ROSTER, type LiveRoster, type LiveStore } from './live-store';

const getServerRoster = () => EMPTY_ROSTER;
const getServerGuard = () => undefined;

/** Sites, display order and clock offset; changes only with a snapshot. */
export function useRoster(store: LiveStore): LiveRoster {
  return useSyncExternalStore(store.subscribeRoster, store.getRoster, getServerRoster);
}

/** One guard, re-rendering only when that guard changes. */
export function useGuard(store: LiveStore, guardId: string): GuardDto | undefined {
  const subscribe = useCallback(
    (listener: () => void) => store.subscribeGuard(guardId, listener),
    [store, guardId],
  );
  const get = useCallback(() => store.getGuard(guardId), [store, guardId]);
  return useSyncExternalStore(subscribe, get, getServerGuard);
}
