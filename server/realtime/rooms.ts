/** Socket.IO room names: who receives which events (server-internal). */

/** The room only admins join: queue inspection and route statistics. */
export const ADMIN_ROOM = 'admin';

/** The room that receives fleet-wide chart samples (socket-auth.ts mayWatchFleet says who). */
export const CHARTS_ROOM = 'charts';

/** The room of users who may send device commands (supervisors and admins, never kiosks). */
export const COMMANDERS_ROOM = 'commanders';

/** The room that carries one site's events; guards with no site share one room. */
export function siteRoom(siteId: string | null): string {
  return siteId === null ? 'site:unassigned' : `site:${siteId}`;
}

/**
 * The room of one site's device commands: only those who may send commands
 * there join it, so a viewer's or a wall's browser never receives the text of
 * a message sent to a guard.
 */
export function siteCommandRoom(siteId: string | null): string {
  return `${siteRoom(siteId)}:commands`;
}
