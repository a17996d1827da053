/**
 * What a web node pushes live: the workers' events (channel subscription and
 * event stream) routed to Socket.IO rooms, high-frequency ones coalesced.
 */
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Metrics } from '../../metrics/metrics';
import type { ProcessClients } from '../../process-clients';
import { SERVER_EVENTS } from '../../../contract/socket-events';
import {
  createDeviceStatusCoalescer,
  createPositionCoalescer,
  createSensorReadingCoalescer,
} from '../../realtime/coalescer';
import { subscribeToEvents, type ChannelSecurity } from '../../realtime/event-channel';
import { createEventRouter } from '../../realtime/event-router';
import { startEventStream } from '../../realtime/event-stream';
import type { BroadcastReceipts } from '../../realtime/broadcast-receipts';
import { siteRoom } from '../../realtime/rooms';
import { recheckSockets, socketsOf, type SocketAuthOptions } from '../../realtime/socket-auth';
import type { WatchfloorIo } from '../../realtime/socket-server';

export interface LivePush {
  /** Both event connections are ready. */
  healthy(): boolean;
  stop(): Promise<void>;
}

/** Subscribes to the workers' events and starts pushing them to this node's sockets. */
export async function startLivePush(
  config: Config,
  deps: {
    io: WatchfloorIo;
    /** The adapter's broadcast receipts: a taken-over event already sent is not sent again. */
    receipts: BroadcastReceipts;
    clients: ProcessClients;
    socketAuth: Omit<SocketAuthOptions, 'logger'>;
    security: ChannelSecurity;
    metrics: Metrics;
    logger: Logger;
  },
): Promise<LivePush> {
  const { io, logger } = deps;
  // SUBSCRIBE takes its connection over, and the stream loop blocks on its own: neither can share.
  const eventsRedis = deps.clients.dedicated('event-subscriber', {
    role: 'web',
    purpose: 'channel subscription (per-node events)',
  });
  const streamRedis = deps.clients.dedicated('event-stream', {
    role: 'web',
    purpose: 'blocking read of the event stream',
  });
  const coalescer = createPositionCoalescer(
    (position) => siteRoom(position.siteId),
    config.POSITION_FLUSH_MS,
    (room, positions) => io.to(room).emit(SERVER_EVENTS.guardPositions, positions),
  );
  const deviceCoalescer = createDeviceStatusCoalescer(
    (status) => siteRoom(status.siteId),
    config.FLEET_FLUSH_MS,
    (room, statuses) => io.to(room).emit(SERVER_EVENTS.devicesStatus, statuses),
  );
  const sensorCoalescer = createSensorReadingCoalescer(
    (reading) => siteRoom(reading.siteId),
    config.FLEET_FLUSH_MS,
    (room, readings) => io.to(room).emit(SERVER_EVENTS.sensorReadings, readings),
  );
  const routeEvent = createEventRouter({
    io,
    coalescePosition: (position) => coalescer.add(position),
    coalesceDeviceStatus: (status) => deviceCoalescer.add(status),
    coalesceSensorReading: (reading) => sensorCoalescer.add(reading),
    recheckPrincipal: (principalId) =>
      void recheckSockets(socketsOf(io.of('/').sockets.values(), principalId), {
        ...deps.socketAuth,
        logger,
      }),
    metrics: deps.metrics,
  });
  // Per-node events (access changes) reach every node; broadcast events reach one node each.
  await subscribeToEvents(
    eventsRedis,
    config.EVENT_CHANNEL_PREFIX,
    routeEvent,
    logger,
    deps.security,
  );
  const eventStream = startEventStream({
    redis: streamRedis,
    channel: config.EVENT_CHANNEL_PREFIX,
    security: deps.security,
    onEvent: routeEvent,
    receipts: deps.receipts,
    logger,
  });
  return {
    healthy: () => eventsRedis.status === 'ready' && streamRedis.status === 'ready',
    async stop() {
      await eventStream.stop();
      coalescer.stop();
      deviceCoalescer.stop();
      sensorCoalescer.stop();
      // Nothing reaches the closing sockets after this (the process quits the rest of its clients later).
      await Promise.all([eventsRedis.quit(), streamRedis.quit()]);
    },
  };
}
