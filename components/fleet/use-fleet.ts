'use client';
import { useSyncExternalStore } from 'react';
import type { FleetStore, FleetView } from './fleet-store';

/** The fleet as it is now; re-renders once per applied batch. */
export function useFleet(fleet: FleetStore): FleetView {
  return useSyncExternalStore(fleet.subscribe, fleet.getView, fleet.getView);
}
