'use client';
/**
 * History replay on the map: each chosen guard's whole stored path faintly,
 * the part walked up to the replay cursor brightly, and a marker where the
 * guard was at that moment.
 */
import { useEffect, useMemo } from 'react';
import { latLngBounds, svg, type LatLngTuple, type Renderer } from 'leaflet';
import { CircleMarker, Polyline, Tooltip, useMap } from 'react-leaflet';
import { lastIndexAtOrBefore, positionAt } from '@/components/replay/replay-math';
import type { GuardPathDto } from '@/contract/guards';

export interface ReplayView {
  paths: GuardPathDto[];
  cursorMs: number;
}

/** Distinct, readable-on-dark colours for up to eight guards at once. */
const PATH_COLOURS = [
  '#4cc3ff',
  '#f472b6',
  '#a3e635',
  '#fbbf24',
  '#c084fc',
  '#2dd4bf',
  '#fb7185',
  '#e5e7eb',
];

export function ReplayLayer({ replay }: { replay: ReplayView }) {
  const map = useMap();
  // Frame the loaded paths once per load (not per cursor step): the supervisor asked to see them.
  useEffect(() => {
    const points = replay.paths.flatMap((path) =>
      path.points.map(([, lat, lon]) => [lat, lon] as LatLngTuple),
    );
    if (points.length > 0) map.fitBounds(latLngBounds(points), { padding: [60, 60], maxZoom: 18 });
  }, [map, replay.paths]);
  // SVG, not the shared canvas: a few paths, crisp, and each one a DOM element tests can find.
  const renderer = useMemo(() => svg({ padding: 0.5 }), []);
  return replay.paths.map((path, index) => (
    <ReplayPath
      key={path.guardId}
      renderer={renderer}
      path={path}
      cursorMs={replay.cursorMs}
      colour={PATH_COLOURS[index % PATH_COLOURS.length]!}
    />
  ));
}

function ReplayPath({
  path,
  cursorMs,
  colour,
  renderer,
}: {
  path: GuardPathDto;
  cursorMs: number;
  colour: string;
  renderer: Renderer;
}) {
  const all = useMemo(() => path.points.map(([, lat, lon]) => [lat, lon] as LatLngTuple), [path]);
  const end = lastIndexAtOrBefore(path.points, cursorMs);
  const here = positionAt(path.points, cursorMs);
  const walked = useMemo(() => {
    const done = all.slice(0, end + 1);
    if (here) done.push(here);
    return done;
  }, [all, end, here]);
  if (all.length === 0) return null;
  return (
    <>
      <Polyline
        positions={all}
        renderer={renderer}
        className="wf-replay-path"
        pathOptions={{ color: colour, weight: 2, opacity: 0.3, dashArray: '4 4' }}
        interactive={false}
      />
      {walked.length >= 2 && (
        <Polyline
          positions={walked}
          renderer={renderer}
          className="wf-replay-walked"
          pathOptions={{ color: colour, weight: 3.5, opacity: 0.95 }}
          interactive={false}
        />
      )}
      {here && (
        <CircleMarker
          center={here}
          radius={8}
          pathOptions={{ color: '#0b1016', weight: 2, fillColor: colour, fillOpacity: 1 }}
        >
          <Tooltip permanent direction="right" offset={[10, 0]} className="wf-guard-tooltip">
            {path.name}
          </Tooltip>
        </CircleMarker>
      )}
    </>
  );
}
