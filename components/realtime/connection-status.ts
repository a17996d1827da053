/** The connection states the header shows; see use-live-state.ts for when each applies. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'signed-out';

/** After this many failed attempts in a row the server counts as unreachable, not just blipping. */
export const OFFLINE_AFTER_FAILED_ATTEMPTS = 3;

export const CONNECTION_LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
  'signed-out': 'Signed out',
};

/**
 * The handshake refusal that retrying cannot fix: the session ended (logout,
 * expiry, a changed or disabled account) or the wall's token was revoked
 * (server/realtime/socket-auth.ts).
 */
export const SIGNED_OUT_CODE = 'UNAUTHENTICATED';
