/**
 * Turns channel events (from workers, through Redis) into Socket.IO events
 * for the right rooms. Positions are coalesced; everything else goes out at
 * once — an SOS is never held back.
 */
import type { Metrics } from '../metrics/metrics';
import {
  CHANNEL_EVENTS,
  COMMANDERS_ROOM,
  SERVER_EVENTS,
  siteCommandRoom,
  siteRoom,
  type ChannelEvent,
  type GuardPositionDto,
} from './events';
import type { WatchfloorIo } from './socket-server';

export interface EventRouterOptions {
  io: WatchfloorIo;
  coalescePosition(position: GuardPositionDto): void;
  /** Re-checks the local sockets of a user or kiosk token whose access changed. */
  recheckPrincipal(principalId: string): void;
  metrics: Metrics;
  now?: () => number;
}

/** Returns the function that routes one channel event. */
export function createEventRouter({
  io,
  coalescePosition,
  recheckPrincipal,
  metrics,
  now = Date.now,
}: EventRouterOptions) {
  return function route(event: ChannelEvent): void {
    switch (event.type) {
      case CHANNEL_EVENTS.guardPosition:
        coalescePosition(event.payload);
        return; // observed when the coalesced batch goes out
      case CHANNEL_EVENTS.alert:
        io.to(siteRoom(event.payload.siteId)).emit(SERVER_EVENTS.alert, event.payload);
        break;
      case CHANNEL_EVENTS.guardStatus:
        io.to(siteRoom(event.payload.siteId)).emit(SERVER_EVENTS.guardStatus, event.payload);
        break;
      case CHANNEL_EVENTS.deviceStatus:
        io.to(siteRoom(event.payload.siteId)).emit(SERVER_EVENTS.deviceStatus, event.payload);
        break;
      case CHANNEL_EVENTS.componentHealth:
        // Device-written (system/<id>/health): its site's screens; no site, admins only.
        io.to(siteRoom(event.payload.siteId)).emit(SERVER_EVENTS.componentHealth, event.payload);
        break;
      case CHANNEL_EVENTS.command:
        io.to(siteCommandRoom(event.payload.siteId)).emit(SERVER_EVENTS.command, event.payload);
        break;
      case CHANNEL_EVENTS.commandDelivery:
        io.to(COMMANDERS_ROOM).emit(SERVER_EVENTS.commandDelivery, event.payload);
        break;
      case CHANNEL_EVENTS.credentialsChanged:
        recheckPrincipal(event.payload.principalId);
        return; // not a broadcast: nothing to observe
    }
    if (event.committedAt) metrics.committedToBroadcast.observe((now() - event.committedAt) / 1000);
  };
}
