'use client';
import { useMemo } from 'react';
import { useMap } from 'react-leaflet';
import { readMapTheme, type MapTheme } from './map-theme';

/** The map's path styles, read once per map from the CSS tokens on its container. */
export function useMapTheme(): MapTheme {
  const map = useMap();
  return useMemo(() => readMapTheme(map.getContainer()), [map]);
}
