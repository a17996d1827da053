/**
 * The MQTT topic grammar as devices (and the simulator) use it:
 * `<root>/<id>/<kind>` to publish, `command/<device id>/<type>` to receive.
 * Which task each kind becomes, its QoS and size cap are the server's
 * business (server/mqtt/topics.ts).
 */
import { DEVICE_ALERT_TYPES } from './alerts';

/** Every kind a device may publish, by topic root. */
export const DEVICE_TOPIC_KINDS = {
  device: ['telemetry', 'command_ack'],
  guard: ['gps', 'status'],
  sensor: ['reading'],
  alert: DEVICE_ALERT_TYPES,
  system: ['health'],
} as const;

export type TopicRoot = keyof typeof DEVICE_TOPIC_KINDS;
export type TopicKindOf<R extends TopicRoot> = (typeof DEVICE_TOPIC_KINDS)[R][number];

/** The topic a device publishes a message of this kind on. */
export function deviceTopic<R extends TopicRoot>(
  root: R,
  id: string,
  kind: TopicKindOf<R>,
): string {
  return `${root}/${id}/${kind}`;
}

/** The root of the topics the server publishes commands on (the broker lets only the device read its own). */
export const COMMAND_ROOT = 'command';

/** The topic a command of this type goes to. */
export function commandTopic(command: { targetId: string; type: string }): string {
  return `${COMMAND_ROOT}/${command.targetId}/${command.type}`;
}

/** What a device subscribes to: every command addressed to it. */
export function commandSubscription(deviceId: string): string {
  return `${COMMAND_ROOT}/${deviceId}/#`;
}

/** Where a device replies to a command. */
export function commandAckTopic(deviceId: string): string {
  return deviceTopic('device', deviceId, 'command_ack');
}
