/**
 * Socket.IO on the web node's HTTP server. Screens get a snapshot on every
 * (re)connection, then coalesced position batches for their site rooms. The
 * Redis Streams adapter lets several web nodes share rooms (and, unlike the
 * pub/sub adapter, supports connection-state recovery).
 */
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Logger } from '../logger';
import type { ChannelCodec } from '../security/channel-codec';
import { sealedRedis } from '../security/sealed-redis';
import {
  ADMIN_ROOM,
  COMMANDERS_ROOM,
  SERVER_EVENTS,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SnapshotDto,
} from './events';
import {
  canAct,
  roomsFor,
  scopeSnapshot,
  socketAuthMiddleware,
  socketUser,
  startCredentialSweep,
  type SocketAuthOptions,
} from './socket-auth';

export interface SocketServerOptions {
  httpServer: HttpServer;
  /** A dedicated connection: the adapter blocks on it reading the stream. */
  adapterRedis: Redis;
  streamName: string;
  /** Entries the adapter's stream keeps (XADD MAXLEN ~): its bound in Redis. */
  streamMaxLen: number;
  loadSnapshot(): Promise<SnapshotDto>;
  logger: Logger;
  /** Handshake authentication and site scoping (server/realtime/socket-auth.ts). */
  auth: Omit<SocketAuthOptions, 'logger'>;
  /** Seals what the adapter writes to Redis (web node <-> web node traffic). */
  codec: ChannelCodec;
  onAdapterMessageRejected(): void;
}

/** How often live sockets' sessions and kiosk tokens are re-checked. */
const CREDENTIAL_SWEEP_MS = 30_000;

/** How long a dropped screen's session is kept for recovery. */
const RECOVERY_WINDOW_MS = 2 * 60_000;

export type WatchfloorIo = Server<ClientToServerEvents, ServerToClientEvents>;

/** Attaches Socket.IO to the HTTP server. */
export function createSocketServer(options: SocketServerOptions): WatchfloorIo {
  const { logger } = options;
  const io: WatchfloorIo = new Server(options.httpServer, {
    adapter: createAdapter(
      sealedRedis(options.adapterRedis, {
        codec: options.codec,
        onRejected: options.onAdapterMessageRejected,
      }),
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

  io.use(socketAuthMiddleware({ ...options.auth, logger }));
  const stopSweep = startCredentialSweep(() => io.of('/').sockets.values(), {
    ...options.auth,
    logger,
    intervalMs: CREDENTIAL_SWEEP_MS,
  });
  // io.close() closes the HTTP server too: the sweep ends with it.
  options.httpServer.once('close', stopSweep);

  io.on('connection', (socket) => {
    // Recovered: rooms and missed events were restored by Socket.IO; a snapshot would be redundant.
    if (socket.recovered) return;
    options
      .loadSnapshot()
      .then(async (snapshot) => {
        // Site scoping: a screen joins only the rooms of the sites its user may see.
        const user = socketUser(socket);
        await socket.join(
          roomsFor(
            user,
            snapshot.sites.map((s) => s.id),
          ),
        );
        // Queue statistics go to admins only (never to kiosk walls).
        if (user.role === 'admin' && user.kind === 'user') await socket.join(ADMIN_ROOM);
        if (canAct(user)) await socket.join(COMMANDERS_ROOM);
        socket.emit(SERVER_EVENTS.snapshot, scopeSnapshot(snapshot, user));
      })
      .catch((err: Error) => {
        logger.warn({ err: err.message }, 'snapshot failed; disconnecting the screen to retry');
        socket.disconnect(true);
      });
  });
  return io;
}
