/**
 * Events that cross Redis from workers to web nodes (server-internal). The
 * web node turns them into the Socket.IO events of contract/socket-events.ts.
 */
import type { AlertDto } from '../../contract/alerts';
import type { CommandDeliveryDto, CommandDto } from '../../contract/commands';
import type { DeviceStatusDto } from '../../contract/devices';
import type { GuardPositionDto, GuardStatusDto } from '../../contract/guards';
import type { ComponentHealthDto } from '../../contract/health';
import type { SensorReadingDto } from '../../contract/sensors';

export const CHANNEL_EVENTS = {
  guardPosition: 'guard.position',
  alert: 'alert.changed',
  guardStatus: 'guard.status',
  deviceStatus: 'device.status',
  sensorReading: 'sensor.reading',
  componentHealth: 'component.health',
  command: 'command.changed',
  commandDelivery: 'command.delivery',
  /**
   * A user's or wall token's access changed (role, sites, password, disabled,
   * deleted, revoked): every web node re-checks that principal's sockets now
   * instead of at the next periodic sweep.
   */
  credentialsChanged: 'credentials.changed',
} as const;

export type ChannelEvent = (
  | { type: typeof CHANNEL_EVENTS.guardPosition; payload: GuardPositionDto }
  | { type: typeof CHANNEL_EVENTS.alert; payload: AlertDto }
  | { type: typeof CHANNEL_EVENTS.guardStatus; payload: GuardStatusDto }
  | { type: typeof CHANNEL_EVENTS.deviceStatus; payload: DeviceStatusDto }
  | { type: typeof CHANNEL_EVENTS.sensorReading; payload: SensorReadingDto }
  | { type: typeof CHANNEL_EVENTS.componentHealth; payload: ComponentHealthDto }
  | { type: typeof CHANNEL_EVENTS.command; payload: CommandDto }
  | { type: typeof CHANNEL_EVENTS.commandDelivery; payload: CommandDeliveryDto }
  | { type: typeof CHANNEL_EVENTS.credentialsChanged; payload: { principalId: string } }
) & {
  /** Epoch ms when the rows behind the event committed (committed -> broadcast latency). */
  committedAt?: number;
};
