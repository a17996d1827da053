'use client';
/**
 * A faint reference grid drawn by Leaflet itself in place of map tiles, for
 * machines with no tile server: it pans and zooms with the map, so the
 * geofences never float on a featureless void. Pure CSS tiles: nothing is
 * fetched, so nothing can show as a broken image.
 */
import { useEffect } from 'react';
import { GridLayer } from 'leaflet';
import { useMap } from 'react-leaflet';

class GridLines extends GridLayer {
  protected override createTile(): HTMLElement {
    const tile = document.createElement('div');
    tile.className = 'wf-grid-tile';
    return tile;
  }
}

/** Adds the grid under every other layer for the lifetime of the component. */
export function GridBackdrop() {
  const map = useMap();
  useEffect(() => {
    const layer = new GridLines({ pane: 'tilePane', updateWhenZooming: false });
    layer.addTo(map);
    return () => {
      layer.remove();
    };
  }, [map]);
  return null;
}
