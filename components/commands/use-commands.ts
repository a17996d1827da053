'use client';
import { useEffect, useSyncExternalStore } from 'react';
import type { CommandDto } from '@/contract/commands';
import { fetchGuardCommands } from './command-api';
import type { CommandStore } from './command-store';

const NONE: readonly CommandDto[] = [];

/**
 * One guard's recent commands, loaded once when the panel opens and kept live
 * by the pushed changes; plus whether commands are waiting on the broker.
 */
export function useGuardCommands(
  store: CommandStore,
  guardId: string,
  enabled: boolean,
): { commands: readonly CommandDto[]; delayed: boolean } {
  useEffect(() => {
    if (!enabled) return;
    const request = new AbortController();
    fetchGuardCommands(guardId, request.signal).then(
      ({ commands, delivery }) => store.applyLoaded(commands, delivery),
      // Pushed changes still fill the list; a failed load only misses older commands.
      () => undefined,
    );
    return () => request.abort();
  }, [store, guardId, enabled]);
  const commands = useSyncExternalStore(
    store.subscribe,
    () => store.getForTarget(guardId),
    () => NONE,
  );
  const delayed = useSyncExternalStore(store.subscribe, store.isDelayed, () => false);
  return { commands, delayed };
}
