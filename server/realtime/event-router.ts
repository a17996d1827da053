/**
 * Turns channel events (from workers, through Redis) into Socket.IO events
 * for the right rooms. Positions, device statuses and sensor readings are
 * coalesced; everything else goes out at
 * once — an SOS is never held back.
 */
import type { Metrics } from '../metrics/metrics';
import { CHANNEL_EVENTS, type ChannelEvent } from './channel-events';
import { COMMANDERS_ROOM, siteCommandRoom, siteRoom } from './rooms';
import { SERVER_EVENTS } from '../../contract/socket-events';
import type { DeviceStatusDto } from '../../contract/devices';
import type { GuardPositionDto } from '../../contract/guards';
import type { SensorReadingDto } from '../../contract/sensors';
import type { WatchfloorIo } from './socket-server';

export interface EventRouterOptions {
  io: WatchfloorIo;
  coalescePosition(position: GuardPositionDto): void;
  coalesceDeviceStatus(status: DeviceStatusDto): void;
  coalesceSensorReading(reading: SensorReadingDto): void;
  /** Re-checks the local sockets of a user or kiosk token whose access changed. */
  recheckPrincipal(principalId: string): void;
  metrics: Metrics;
  now?: () => number;
}

/** Returns the function that routes one channel event. */
export function createEventRouter({
  io,
  coalescePosition,
  coalesceDeviceStatus,
  coalesceSensorReading,
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
        coalesceDeviceStatus(event.payload);
        return; // a battery level can wait for the next batch
      case CHANNEL_EVENTS.sensorReading:
        // Threshold crossings travel as alerts, at once; the reading itself can wait.
        coalesceSensorReading(event.payload);
        return;
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
