/**
 * Socket.IO on the web node's HTTP server. Screens get a snapshot on every
 * (re)connection, then coalesced position batches for their site rooms. The
 * Redis Streams adapter lets several web nodes share rooms (and, unlike the
 * pub/sub adapter, supports connection-state recovery).
 */
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { RedisClient } from '../redis';
import { Server } from 'socket.io';
import type { Logger } from '../logger';
import type { ChannelCodec } from '../security/channel-codec';
import { sealedRedis } from '../security/sealed-redis';
import type { BroadcastReceipts } from './broadcast-receipts';
import type { SessionUser } from '../../contract/users';
import { currentPrincipal } from '../auth/principal';
import {
  SERVER_EVENTS,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../contract/socket-events';
import type { SnapshotDto } from '../../contract/screen';
import {
  mayJoin,
  scopeSnapshot,
  socketAuthMiddleware,
  socketUser,
  startCredentialSweep,
  syncRooms,
  wantedRooms,
  type SocketAuthOptions,
} from './socket-auth';

export interface SocketServerOptions {
  httpServer: HttpServer;
  /** A dedicated connection: the adapter blocks on it reading the stream. */
  adapterRedis: RedisClient;
  streamName: string;
  /** Entries the adapter's stream keeps (XADD MAXLEN ~): its bound in Redis. */
  streamMaxLen: number;
  loadSnapshot(): Promise<SnapshotDto>;
  /** Every site id: a recovered socket's rooms are recomputed from them without a snapshot. */
  listSiteIds(): Promise<string[]>;
  logger: Logger;
  /** Handshake authentication and site scoping (server/realtime/socket-auth.ts). */
  auth: Omit<SocketAuthOptions, 'logger'>;
  /** Seals what the adapter writes to Redis (web node <-> web node traffic). */
  codec: ChannelCodec;
  /** Marks the adapter's broadcasts with the event-stream entry they carry. */
  receipts: BroadcastReceipts;
  onAdapterMessageRejected(): void;
  /** How often every live socket is re-checked (the safety net behind the immediate re-checks). */
  recheckMs: number;
}

/** How long a dropped screen's session is kept for recovery. */
const RECOVERY_WINDOW_MS = 2 * 60_000;

export type WatchfloorIo = Server<ClientToServerEvents, ServerToClientEvents>;

/** Attaches Socket.IO to the HTTP server. */
export function createSocketServer(options: SocketServerOptions): WatchfloorIo {
  const { logger } = options;
  const io: WatchfloorIo = new Server(options.httpServer, {
    adapter: createAdapter(
      options.receipts.tag(
        sealedRedis(options.adapterRedis, {
          codec: options.codec,
          onRejected: options.onAdapterMessageRejected,
        }),
      ),
      { streamName: options.streamName, maxLen: options.streamMaxLen },
    ),
    serveClient: false,
    // A short network blip replays the missed room broadcasts instead of a full snapshot;
    // longer gaps (or a restarted server) fall back to the snapshot below.
    connectionStateRecovery: {
      maxDisconnectionDuration: RECOVERY_WINDOW_MS,
      skipMiddlewares: false,
    },
  });

  guardRecovery(io, options.auth.pool, logger);
  io.use(socketAuthMiddleware({ ...options.auth, logger }));
  const stopSweep = startCredentialSweep(() => io.of('/').sockets.values(), {
    ...options.auth,
    logger,
    intervalMs: options.recheckMs,
  });
  // io.close() closes the HTTP server too: the sweep ends with it.
  options.httpServer.once('close', stopSweep);

  io.on('connection', (socket) => {
    // Recovered or not, the rooms are recomputed from the user as they are now: a
    // recovered socket comes back with the rooms it had, which may no longer be its own.
    const user = socketUser(socket);
    const recovered = socket.recovered;
    const ready = recovered
      ? options.listSiteIds().then((siteIds) => ({ siteIds, snapshot: null }))
      : options.loadSnapshot().then((snapshot) => ({
          siteIds: snapshot.sites.map((s) => s.id),
          snapshot,
        }));
    ready
      .then(async ({ siteIds, snapshot }) => {
        // Site scoping: a screen is in the rooms of the sites its user may see, and no others.
        await syncRooms(socket, wantedRooms(user, siteIds));
        // Recovered: missed events were replayed by Socket.IO; a snapshot would be redundant.
        if (snapshot) socket.emit(SERVER_EVENTS.snapshot, scopeSnapshot(snapshot, user));
      })
      .catch((err: Error) => {
        logger.warn({ err: err.message }, 'snapshot failed; disconnecting the screen to retry');
        socket.disconnect(true);
      });
  });
  return io;
}

/**
 * Connection-state recovery restores a socket's old rooms and replays what they
 * missed before any middleware runs. So a session is restored only if its
 * principal, as it is now, may still be in every one of those rooms (else the
 * screen connects afresh with a snapshot), and a socket dropped because its
 * access ended leaves no session to restore at all.
 */
function guardRecovery(io: WatchfloorIo, pool: SocketAuthOptions['pool'], logger: Logger): void {
  const adapter = io.of('/').adapter;
  const restore = adapter.restoreSession.bind(adapter);
  // Typed as never null, but the adapters answer null for an unknown or expired session.
  (adapter as { restoreSession(pid: string, offset: string): Promise<unknown> }).restoreSession =
    async (pid: string, offset: string) => {
      const session = await restore(pid, offset);
      if (!session) return session;
      const before = (session.data as { user?: SessionUser } | undefined)?.user;
      const now = before ? await currentPrincipal(pool, before).catch(() => null) : null;
      const stale =
        !now || session.rooms.some((room) => room !== session.sid && !mayJoin(now, room));
      if (stale) {
        logger.info({ principal: before?.id }, 'socket recovery refused: access changed');
        return null;
      }
      return session;
    };
  const persist = adapter.persistSession.bind(adapter);
  adapter.persistSession = (session) => {
    if ((session.data as { revoked?: boolean } | undefined)?.revoked) return;
    return persist(session);
  };
}
