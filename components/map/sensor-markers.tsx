'use client';
/** Binds the fleet store's sensors (those with a location) to the sensor canvas layer. */
import { useEffect } from 'react';
import { useLeafletContext } from '@react-leaflet/core';
import type { FleetStore } from '@/components/fleet/fleet-store';
import { SensorCanvasLayer, type DrawnSensor } from './sensor-canvas-layer';

const COLORS = { normal: '#c084fc', alarm: '#ff3b5c', outline: '#0b1016' };

export function SensorMarkers({ fleet }: { fleet: FleetStore }) {
  const context = useLeafletContext();
  useEffect(() => {
    const layer = new SensorCanvasLayer({ pane: context.pane ?? 'overlayPane', colors: COLORS });
    layer.addTo(context.map);
    let sensors: unknown = null;
    const sync = () => {
      const view = fleet.getView();
      if (view.sensors === sensors) return;
      sensors = view.sensors;
      const drawn: DrawnSensor[] = [];
      for (const s of view.sensors.values()) {
        if (s.location)
          drawn.push({ id: s.id, lat: s.location.lat, lon: s.location.lon, inAlarm: s.inAlarm });
      }
      layer.setSensors(drawn);
    };
    sync();
    const stop = fleet.subscribe(sync);
    return () => {
      stop();
      layer.remove();
    };
  }, [context, fleet]);
  return null;
}
