/**
 * The topic grammar `<root>/<id>/<kind>`: which topics devices may publish on,
 * and the task each kind of message becomes. Anything else is refused.
 */
import type { TaskName } from '../queues/routes';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface TopicKind {
  root: string;
  kind: string;
  task: TaskName;
  /** Payload cap for this kind, below the global hard cap. */
  maxBytes: number;
}

/** Every accepted `<root>/<kind>` pair. */
export const TOPIC_KINDS: readonly TopicKind[] = [
  { root: 'guard', kind: 'gps', task: 'process_guard_gps', maxBytes: 4096 },
];

/** Subscriptions of the ingest client, with the QoS each root is delivered at. */
export const SUBSCRIPTIONS: readonly { filter: string; qos: 0 | 1 | 2 }[] = [
  { filter: 'guard/#', qos: 1 },
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
