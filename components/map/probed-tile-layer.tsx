'use client';
/**
 * Map tiles only when the tile server answers. Control rooms are often
 * offline: rather than a map full of broken-image squares, the map keeps its
 * neutral grid until one probe tile has loaded; tiles that fail later are
 * replaced by a transparent image so the grid shows through.
 */
import { useEffect, useState } from 'react';
import { TileLayer } from 'react-leaflet';
import { GridBackdrop } from './grid-backdrop';

const PROBE_TIMEOUT_MS = 4000;
/** 1x1 transparent GIF: what a failed tile becomes. */
const TRANSPARENT_TILE =
  'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

type Probe = 'pending' | 'ok' | 'failed';

/** Loads the world tile (z 0) of the template; resolves true when it arrives in time. */
function probeTile(template: string): Promise<boolean> {
  const url = template
    .replace('{s}', 'a')
    .replace('{z}', '0')
    .replace('{x}', '0')
    .replace('{y}', '0')
    .replace('{r}', '');
  return new Promise((resolve) => {
    const image = new Image();
    const timer = setTimeout(() => finish(false), PROBE_TIMEOUT_MS);
    function finish(ok: boolean) {
      clearTimeout(timer);
      image.onload = null;
      image.onerror = null;
      if (!ok) image.src = TRANSPARENT_TILE;
      resolve(ok);
    }
    image.onload = () => finish(true);
    image.onerror = () => finish(false);
    image.src = url;
  });
}

/** Tiles from `url` once reachable; the grid meanwhile and whenever there is no URL. */
export function ProbedTileLayer({
  url,
  attribution,
}: {
  url: string | null;
  attribution?: string | null;
}) {
  const [probe, setProbe] = useState<{ url: string | null; state: Probe }>({
    url: null,
    state: 'pending',
  });
  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    void probeTile(url).then((ok) => {
      if (!cancelled) setProbe({ url, state: ok ? 'ok' : 'failed' });
    });
    return () => {
      cancelled = true;
    };
  }, [url]);

  const state = url && probe.url === url ? probe.state : 'pending';
  return (
    <>
      <GridBackdrop />
      {url && state === 'ok' && (
        <TileLayer
          url={url}
          attribution={attribution ?? undefined}
          errorTileUrl={TRANSPARENT_TILE}
          className="wf-tiles"
        />
      )}
      <span hidden data-tiles={url ? state : 'none'} className="wf-tiles-state" />
    </>
  );
}
