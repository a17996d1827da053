'use client';
/**
 * Binds the live store to the guard canvas. React renders this once per map
 * (and again only when the selection or the callback changes); position
 * batches, status changes and the age of every fix go straight from the store
 * to the drawing state and the canvas, never through React per guard.
 */
import { useEffect, useRef } from 'react';
import { useLeafletContext } from '@react-leaflet/core';
import type { AlertStore } from '@/components/alerts/alert-store';
import type { LiveStore } from '@/components/realtime/live-store';
import { GuardCanvasLayer } from './guard-canvas-layer';
import { createGuardDrawState, type StatusContext } from './guard-draw-state';
import { useMapTheme } from './use-map-theme';

/** Statuses turn stale and offline with time alone: look for due ones this often. */
const STATUS_TICK_MS = 1000;

export interface GuardMarkersProps {
  store: LiveStore;
  alerts: AlertStore;
  selectedGuardId: string | null;
  onSelect?(guardId: string): void;
}

/** Draws a marker for every guard in the store that has a position, on one canvas. */
export function GuardMarkers({ store, alerts, selectedGuardId, onSelect }: GuardMarkersProps) {
  const context = useLeafletContext();
  const theme = useMapTheme();
  const layerRef = useRef<GuardCanvasLayer | null>(null);
  // The first selection and callback, for the layer's creation; later ones go through setters.
  const initial = useRef({ selectedGuardId, onSelect });

  useEffect(() => {
    const { map } = context;
    const pane = context.pane ?? 'overlayPane';
    const state = createGuardDrawState();
    const statusContext = (): StatusContext => {
      const roster = store.getRoster();
      return {
        nowMs: Date.now(),
        clockOffsetMs: roster.clockOffsetMs,
        thresholds: roster.settings,
        sosGuardIds: alerts.getSosGuardIds(),
      };
    };
    const layer = new GuardCanvasLayer(state, {
      pane,
      theme,
      trailOf: (id) => store.getTrail(id, Date.now() + store.getRoster().clockOffsetMs),
      onSelect: initial.current.onSelect,
    });
    layer.setSelected(initial.current.selectedGuardId);
    layerRef.current = layer;
    layer.addTo(map);

    const syncAll = () => {
      state.sync(null, store.getGuard, store.getRoster().guardIds, statusContext());
      layer.invalidate();
    };
    syncAll();
    const stopChanges = store.subscribeGuardChanges((changed) => {
      state.sync(changed, store.getGuard, store.getRoster().guardIds, statusContext());
      layer.invalidate();
    });
    // New thresholds arrive with a snapshot (already a full sync); an SOS raised or cleared
    // changes statuses without any guard data changing.
    const stopAlerts = alerts.subscribe(() => {
      state.refreshStatuses(statusContext(), true);
      layer.invalidate();
    });
    const tick = setInterval(() => {
      state.refreshStatuses(statusContext(), false);
      layer.invalidate();
    }, STATUS_TICK_MS);
    return () => {
      clearInterval(tick);
      stopAlerts();
      stopChanges();
      layer.remove();
      layerRef.current = null;
    };
  }, [context, store, alerts, theme]);

  useEffect(() => {
    layerRef.current?.setSelected(selectedGuardId);
  }, [selectedGuardId]);
  useEffect(() => {
    layerRef.current?.setOnSelect(onSelect);
  }, [onSelect]);
  return null;
}
