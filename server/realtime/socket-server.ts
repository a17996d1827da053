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
import {
  SERVER_EVENTS,
  siteRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SnapshotDto,
} from './events';

export interface SocketServerOptions {
  httpServer: HttpServer;
  /** A dedicated connection: the adapter blocks on it reading the stream. */
  adapterRedis: Redis;
  streamName: string;
  loadSnapshot(): Promise<SnapshotDto>;
  logger: Logger;
}

export type WatchfloorIo = Server<ClientToServerEvents, ServerToClientEvents>;

/** Attaches Socket.IO to the HTTP server. */
export function createSocketServer(options: SocketServerOptions): WatchfloorIo {
  const { logger } = options;
  const io: WatchfloorIo = new Server(options.httpServer, {
    adapter: createAdapter(options.adapterRedis, { streamName: options.streamName }),
    serveClient: false,
  });

  io.on('connection', (socket) => {
    options
      .loadSnapshot()
      .then(async (snapshot) => {
        // Until site scoping lands every screen sees every site.
        await socket.join([siteRoom(null), ...snapshot.sites.map((s) => siteRoom(s.id))]);
        socket.emit(SERVER_EVENTS.snapshot, snapshot);
      })
      .catch((err: Error) => {
        logger.warn({ err: err.message }, 'snapshot failed; disconnecting the screen to retry');
        socket.disconnect(true);
      });
  });
  return io;
}
