/**
 * The topic grammar `<root>/<id>/<kind>`: which topics devices may publish on,
 * the QoS each root is taken at, and the task each kind becomes. Anything
 * else is refused and counted.
 */
import { DEVICE_ALERT_TYPES } from '../../contract/alerts';
import { ID_PATTERN } from '../../contract/ids';
import type { TaskName } from '../../contract/job-data';
import { COMMAND_ROOT, type TopicKindOf, type TopicRoot } from '../../contract/topics';

/**
 * Tasks fed by MQTT topics; publish_mqtt is fed by the command API,
 * maintain_history by its schedule, the escalation tasks by escalation.
 */
export type IngestTaskName = Exclude<
  TaskName,
  | 'publish_mqtt'
  | 'maintain_history'
  | 'escalate_alert'
  | 'send_escalation_email'
  | 'deliver_webhook'
>;

/** One accepted `<root>/<kind>` pair of contract/topics.ts with its task. */
export type TopicKind = {
  [R in TopicRoot]: {
    root: R;
    kind: TopicKindOf<R>;
    task: IngestTaskName;
    /** Payload cap for this kind, below the global hard cap. */
    maxBytes: number;
  };
}[TopicRoot];

/** Every accepted `<root>/<kind>` pair. */
export const TOPIC_KINDS: readonly TopicKind[] = [
  { root: 'device', kind: 'telemetry', task: 'process_device_telemetry', maxBytes: 8 * 1024 },
  // A device's reply to a command (server/commands); every device may write device/<own id>/#.
  { root: 'device', kind: 'command_ack', task: 'process_command_ack', maxBytes: 2 * 1024 },
  { root: 'guard', kind: 'gps', task: 'process_guard_gps', maxBytes: 4 * 1024 },
  { root: 'guard', kind: 'status', task: 'process_guard_status', maxBytes: 4 * 1024 },
  { root: 'sensor', kind: 'reading', task: 'process_sensor_data', maxBytes: 4 * 1024 },
  ...DEVICE_ALERT_TYPES.map((type) => ({
    root: 'alert' as const,
    kind: type,
    task: 'process_device_alert' as const,
    maxBytes: 16 * 1024,
  })),
  { root: 'system', kind: 'health', task: 'process_system_health', maxBytes: 16 * 1024 },
];

/**
 * The largest MQTT packet the broker takes from any client (deploy/mosquitto
 * `max_packet_size`) and the ingest takes from the broker (MQTT 5 Maximum
 * Packet Size): the largest kind's payload plus 4 KiB for the topic, MQTT 5
 * properties and headers. Both refuse a larger packet from its length header,
 * before reading it: the per-kind size check runs only after the whole payload
 * is in memory, so without these one device could push hundreds of MB.
 */
export const MQTT_MAX_PACKET_BYTES = Math.max(...TOPIC_KINDS.map((k) => k.maxBytes)) + 4 * 1024;

/**
 * Subscriptions of the ingest group. Alerts at QoS 2 (exactly once on the
 * wire, and acknowledged only once durable); health at QoS 0 (a lost report
 * is replaced by the next one). Alerts take a lane of their own: the broker
 * queues per connection, so an SOS sharing connections with a GPS flood
 * waited behind it (measured: 95 s p50 during a 5,000 msg/s flood).
 */
export const SUBSCRIPTIONS: readonly {
  filter: string;
  qos: 0 | 1 | 2;
  lane: 'bulk' | 'critical';
}[] = [
  { filter: 'device/#', qos: 1, lane: 'bulk' },
  { filter: 'guard/#', qos: 1, lane: 'bulk' },
  { filter: 'sensor/#', qos: 1, lane: 'bulk' },
  { filter: 'alert/#', qos: 2, lane: 'critical' },
  { filter: 'system/#', qos: 0, lane: 'bulk' },
];

export interface ParsedTopic {
  root: string;
  id: string;
  kind: TopicKind;
}

const kindsByKey = new Map(TOPIC_KINDS.map((k) => [`${k.root}/${k.kind}`, k]));

/** Parses a topic against the whitelist; null when it is not one we accept. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 3) return null;
  const [root, id, kindName] = parts as [string, string, string];
  if (!ID_PATTERN.test(id)) return null;
  const kind = kindsByKey.get(`${root}/${kindName}`);
  return kind ? { root, id, kind } : null;
}

/**
 * Commands flow the other way: the server publishes `command/<device id>/<type>`
 * (contract/topics.ts; the broker's ACL lets only that device read it) and the
 * device answers on `device/<its id>/command_ack`, a topic of the ingest whitelist above.
 */

/** A command topic's device id and command type; null when it is not one. */
export function parseCommandTopic(topic: string): { deviceId: string; type: string } | null {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== COMMAND_ROOT || !ID_PATTERN.test(parts[1]!)) return null;
  return { deviceId: parts[1]!, type: parts[2]! };
}
