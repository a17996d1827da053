/**
 * Socket.IO handshake authentication: a session cookie or a wall kiosk token
 * (cookie, or `auth: { kioskToken }` in the handshake), and a browser's Origin
 * must be ours. Refused connections get a connect_error with data.code
 * UNAUTHENTICATED or ORIGIN_REFUSED. The principal is kept in socket.data.user.
 */
import type pg from 'pg';
import type { Socket } from 'socket.io';
import type { AuthSettings } from '../auth/auth-settings';
import { originProblem } from '../auth/origin';
import { resolvePrincipal } from '../auth/principal';
import { canSeeSite } from '../auth/session-user';
import { type SessionUser } from '../../contract/users';
import type { Logger } from '../logger';
import { ADMIN_ROOM, CHARTS_ROOM, COMMANDERS_ROOM, siteCommandRoom, siteRoom } from './rooms';
import type { SnapshotDto } from '../../contract/screen';

export interface SocketAuthOptions {
  pool: pg.Pool;
  settings: AuthSettings;
  logger: Logger;
}

/** A connect_error the client can tell apart by data.code. */
class HandshakeRefused extends Error {
  readonly data: { code: string };
  constructor(code: string, message: string) {
    super(message);
    this.data = { code };
  }
}

function headerOf(socket: Socket) {
  return (name: string) => {
    const value = socket.handshake.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}

/** The principal a socket's handshake credentials stand for now (null: no longer valid). */
export function principalOf(socket: Socket, { pool, settings }: Omit<SocketAuthOptions, 'logger'>) {
  const auth = socket.handshake.auth as { kioskToken?: unknown } | undefined;
  return resolvePrincipal(pool, settings, {
    cookieHeader: headerOf(socket)('cookie'),
    kioskToken: typeof auth?.kioskToken === 'string' ? auth.kioskToken : null,
  });
}

/** The io.use() middleware. */
export function socketAuthMiddleware(options: SocketAuthOptions) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const problem = originProblem(headerOf(socket), options.settings.origins, {
      requireOrigin: false,
    });
    if (problem) {
      options.logger.warn({ problem }, 'socket handshake refused: origin');
      next(new HandshakeRefused('ORIGIN_REFUSED', problem));
      return;
    }
    principalOf(socket, options).then(
      (user) => {
        if (!user) {
          next(new HandshakeRefused('UNAUTHENTICATED', 'log in first'));
          return;
        }
        socket.data.user = user;
        next();
      },
      (err: Error) => {
        options.logger.warn({ err: err.message }, 'socket handshake failed');
        next(new HandshakeRefused('UNAVAILABLE', 'try again'));
      },
    );
  };
}

/** The user a connected socket authenticated as. */
export function socketUser(socket: Socket): SessionUser {
  const user = (socket.data as { user?: SessionUser }).user;
  if (!user) throw new Error('socket without an authenticated user');
  return user;
}

/**
 * The site rooms a principal may join: its sites (admins: every site and the
 * unassigned room), and those sites' command rooms when it may act.
 */
export function roomsFor(user: SessionUser, siteIds: string[]): string[] {
  const visible: (string | null)[] = siteIds.filter((id) => canSeeSite(user, id));
  if (canSeeSite(user, null)) visible.push(null);
  const commandRooms = canAct(user) ? visible.map(siteCommandRoom) : [];
  return [...visible.map(siteRoom), ...commandRooms];
}

/**
 * Every room a principal belongs in: its site rooms (and command rooms), the
 * admin room (queue statistics, component health) for admins, the commanders
 * room for those who may act, and the charts room for those who may see
 * fleet-wide figures.
 */
export function wantedRooms(user: SessionUser, siteIds: string[]): string[] {
  const rooms = roomsFor(user, siteIds);
  for (const room of [ADMIN_ROOM, COMMANDERS_ROOM, CHARTS_ROOM]) {
    if (mayJoin(user, room)) rooms.push(room);
  }
  return rooms;
}

/** Whether the principal may be in the room now (the re-checks and recovery ask this). */
export function mayJoin(user: SessionUser, room: string): boolean {
  if (room === ADMIN_ROOM) return user.kind === 'user' && user.role === 'admin';
  if (room === COMMANDERS_ROOM) return canAct(user);
  if (room === CHARTS_ROOM) return mayWatchFleet(user);
  const commands = room.endsWith(':commands');
  const site = commands ? room.slice(0, -':commands'.length) : room;
  if (!site.startsWith('site:')) return false;
  const siteId = site === siteRoom(null) ? null : site.slice('site:'.length);
  return canSeeSite(user, siteId) && (!commands || canAct(user));
}

/**
 * Fleet-wide figures (ingest rates, queues, devices offline across every
 * site): for those who run the floor (admins, supervisors) and all-site walls,
 * not for viewers or walls of some sites.
 */
export function mayWatchFleet(user: SessionUser): boolean {
  if (user.kind === 'kiosk') return user.siteIds === 'all';
  return user.role !== 'viewer';
}

/** The rooms a socket is in that its principal may no longer be in (its own id room aside). */
export function forbiddenRooms(socket: Socket, user: SessionUser): string[] {
  return [...socket.rooms].filter((room) => room !== socket.id && !mayJoin(user, room));
}

/** Puts the socket in exactly the wanted rooms (and its own id room): joins and leaves. */
export async function syncRooms(socket: Socket, wanted: string[]): Promise<void> {
  const keep = new Set([socket.id, ...wanted]);
  for (const room of [...socket.rooms]) if (!keep.has(room)) await socket.leave(room);
  await socket.join(wanted);
}

/** Marks a socket whose access ended: its state is not kept for recovery (socket-server.ts). */
export function revokeSocket(socket: Socket): void {
  (socket.data as { revoked?: boolean }).revoked = true;
  socket.disconnect(true);
}

/** May act (alerts, device commands): a logged-in supervisor or admin, never a viewer or kiosk. */
export function canAct(user: SessionUser): boolean {
  return user.kind === 'user' && user.role !== 'viewer';
}

/** The snapshot cut down to what the principal may see. */
export function scopeSnapshot(snapshot: SnapshotDto, user: SessionUser): SnapshotDto {
  const viewer = { name: user.name, role: user.role, canAct: canAct(user) };
  if (user.siteIds === 'all') return { ...snapshot, viewer };
  return {
    ...snapshot,
    viewer,
    sites: snapshot.sites.filter((s) => canSeeSite(user, s.id)),
    guards: snapshot.guards.filter((g) => canSeeSite(user, g.siteId)),
    openAlerts: snapshot.openAlerts.filter((a) => canSeeSite(user, a.siteId)),
  };
}

/**
 * Re-checks the sockets' credentials and disconnects those whose session
 * ended (logout, expiry, changed role or sites, disabled or deleted user),
 * whose kiosk token was revoked or expired, or that sit in a room their
 * principal may not be in now.
 */
export async function recheckSockets(
  sockets: Iterable<Socket>,
  options: SocketAuthOptions,
): Promise<void> {
  for (const socket of [...sockets]) {
    try {
      const now = await principalOf(socket, options);
      const before = socketUser(socket);
      if (
        !now ||
        now.id !== before.id ||
        now.role !== before.role ||
        JSON.stringify(now.siteIds) !== JSON.stringify(before.siteIds) ||
        forbiddenRooms(socket, now).length > 0
      ) {
        revokeSocket(socket);
      }
    } catch (err) {
      options.logger.warn({ err: (err as Error).message }, 'credential check failed for a socket');
    }
  }
}

/** The sockets of one user or kiosk token, for an immediate re-check when its access changed. */
export function socketsOf(sockets: Iterable<Socket>, principalId: string): Socket[] {
  return [...sockets].filter(
    (socket) => (socket.data as { user?: SessionUser }).user?.id === principalId,
  );
}

/**
 * Re-checks every local socket at an interval: the safety net behind the
 * immediate re-check (sessions also simply expire). Returns stop().
 */
export function startCredentialSweep(
  sockets: () => Iterable<Socket>,
  options: SocketAuthOptions & { intervalMs: number },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void recheckSockets(sockets(), options).finally(() => {
      running = false;
    });
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
