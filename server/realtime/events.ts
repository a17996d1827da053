/**
 * The typed event contract between the server and browsers: every Socket.IO
 * event name and payload lives here. Client code imports it type-only, plus
 * the SERVER_EVENTS constants (plain strings, no server code).
 */

/** A guard's latest position as the map shows it. */
export interface GuardPositionDto {
  guardId: string;
  siteId: string | null;
  lat: number;
  lon: number;
  /** ISO 8601 time of the fix on the device. */
  fixAt: string;
  accuracyM: number;
  speedMps: number | null;
  headingDeg: number | null;
}

export interface GuardDto {
  id: string;
  name: string;
  siteId: string | null;
  position: GuardPositionDto | null;
}

export interface SiteDto {
  id: string;
  name: string;
  /** GeoJSON Polygon in lon,lat order. */
  geofence: { type: 'Polygon'; coordinates: number[][][] };
}

/** Everything a screen needs to draw itself from nothing. */
export interface SnapshotDto {
  sites: SiteDto[];
  guards: GuardDto[];
  serverTime: string;
}

export const SERVER_EVENTS = {
  snapshot: 'snapshot',
  guardPositions: 'guard:positions',
} as const;

export interface ServerToClientEvents {
  [SERVER_EVENTS.snapshot]: (snapshot: SnapshotDto) => void;
  /** Coalesced: the latest fix per guard since the previous batch. */
  [SERVER_EVENTS.guardPositions]: (positions: GuardPositionDto[]) => void;
}

export type ClientToServerEvents = Record<string, never>;

/** The room that carries one site's events; guards with no site share one room. */
export function siteRoom(siteId: string | null): string {
  return siteId === null ? 'site:unassigned' : `site:${siteId}`;
}

/**
 * Events that cross Redis from workers to web nodes (server-internal). The
 * web node turns them into the Socket.IO events above.
 */
export const CHANNEL_EVENTS = {
  guardPosition: 'guard.position',
} as const;

export type ChannelEvent = {
  type: typeof CHANNEL_EVENTS.guardPosition;
  payload: GuardPositionDto;
};
