/**
 * The ingest subscriber: several MQTT connections in one shared-subscription
 * group, plus a restart sentinel.
 *
 * - The group: each connection processes up to `inFlight` messages at once and
 *   acknowledges each, in order, only once its job is in Redis
 *   (./ordered-acks.ts); several connections spread the parsing and let the
 *   broker queue per connection.
 * - The sentinel: Mosquitto 2.0 does not restore shared subscriptions after a
 *   restart (measured: a third of QoS 1 traffic lost until the group
 *   re-subscribed), but it does restore a plain persistent subscription and
 *   queues for it. The sentinel holds one. While the group is known to be
 *   subscribed it acknowledges without processing (standby). After each of its
 *   own (re)connects it processes everything in full (recovering), until it
 *   receives a marker the group published once all its connections were
 *   subscribed again: the broker delivers a client's messages in order, so
 *   everything before the marker has been processed, and everything after it
 *   also reaches the group. Duplicates are harmless (job ids, unique keys).
 */
import type { MqttClient } from 'mqtt';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { connectIngestClient } from './ingest-connection';
import { createActivity } from './activity';
import { SUBSCRIPTIONS } from './topics';

export interface SubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  clientIdPrefix: string;
  /** Connections of the bulk lane (GPS, telemetry, sensors, health). */
  connections: number;
  /** Connections of the critical lane (alerts), so an SOS never queues behind a flood. */
  criticalConnections: number;
  /** Messages each connection processes at once (its MQTT 5 Receive Maximum). */
  inFlight: number;
  shareGroup: string;
  /** Seconds the broker keeps a session after a disconnect. */
  sessionExpiryS: number;
  /** Run the restart sentinel (one per ingest deployment is enough). */
  sentinel: boolean;
  /** Resolves when the message may be acknowledged; rejects to leave it unacknowledged. */
  onMessage(topic: string, payload: Buffer): Promise<unknown>;
  logger: Logger;
  metrics: Metrics;
}

/** Logged each time every connection of the group is subscribed (again): from then on the group takes every message. */
export const GROUP_SUBSCRIBED = 'ingest group subscribed';

/** The topic the group's markers go to (outside every device root; see deploy/mosquitto/acl). */
export function markerTopic(clientIdPrefix: string): string {
  return `watchfloor/ingest/${clientIdPrefix}/marker`;
}

/** The ingest's connections: `${i}` in the bulk lane, `critical-${i}` in the critical lane. */
export function ingestLanes(connections: number, criticalConnections: number) {
  return [
    ...Array.from({ length: connections }, (_, i) => ({ lane: 'bulk' as const, id: `${i}` })),
    ...Array.from({ length: criticalConnections }, (_, i) => ({
      lane: 'critical' as const,
      id: `critical-${i}`,
    })),
  ];
}

/** A lane's shared-subscription filters (topic filter -> QoS). */
export function laneFilters(shareGroup: string, lane: 'bulk' | 'critical') {
  return Object.fromEntries(
    SUBSCRIPTIONS.filter((s) => s.lane === lane).map((s) => [
      `$share/${shareGroup}-${lane}/${s.filter}`,
      { qos: s.qos },
    ]),
  );
}

/** Every client id an ingest opens a persistent session with (so a dead run's can be cleared). */
export function ingestSessionClientIds(
  options: Pick<
    SubscriberOptions,
    'clientIdPrefix' | 'connections' | 'criticalConnections' | 'sentinel'
  >,
): string[] {
  const lanes = ingestLanes(options.connections, options.criticalConnections);
  return [
    ...lanes.map(({ id }) => `${options.clientIdPrefix}-${id}`),
    ...(options.sentinel ? [`${options.clientIdPrefix}-sentinel`] : []),
  ];
}

/** Connects the group and the sentinel; stop() stops taking messages and waits for those in flight. */
export function startSubscriber(options: SubscriberOptions) {
  const { logger } = options;
  let stopping = false;
  const isStopping = () => stopping;
  const marker = markerTopic(options.clientIdPrefix);

  const activity = createActivity();

  function track(topic: string, payload: Buffer): Promise<unknown> {
    if (stopping) return Promise.reject(new Error('stopping: left unacknowledged'));
    const work = activity.track(options.onMessage(topic, payload));
    return work;
  }

  const common = {
    url: options.url,
    username: options.username,
    password: options.password,
    sessionExpiryS: options.sessionExpiryS,
    inFlight: options.inFlight,
    isStopping,
    logger,
    metrics: options.metrics,
  };
  const subscribed = new Set<number>();
  let expectedMarker: string | null = null;
  let sentinelRecovering = true;

  function publishMarker(): void {
    const nonce = randomUUID();
    expectedMarker = nonce;
    void clients[0]?.publishAsync(marker, nonce, { qos: 1 }).catch((err: Error) => {
      logger.warn({ err: err.message }, 'ingest marker publish failed');
    });
  }

  // The bulk lane (GPS, telemetry, sensors, health) and the critical lane
  // (alerts) are separate share groups on separate connections.
  const lanes = ingestLanes(options.connections, options.criticalConnections);
  const clients: MqttClient[] = lanes.map(({ lane, id }, index) => {
    const client = connectIngestClient({
      ...common,
      clientId: `${options.clientIdPrefix}-${id}`,
      filters: laneFilters(options.shareGroup, lane),
      onMessage: (topic, payload) => track(topic, payload),
      onSubscribed: () => {
        subscribed.add(index);
        if (subscribed.size !== lanes.length) return;
        logger.info(GROUP_SUBSCRIBED);
        if (options.sentinel) publishMarker();
      },
    });
    client.on('close', () => subscribed.delete(index));
    return client;
  });

  const sentinel = options.sentinel
    ? connectIngestClient({
        ...common,
        clientId: `${options.clientIdPrefix}-sentinel`,
        filters: {
          ...Object.fromEntries(SUBSCRIPTIONS.map((s) => [s.filter, { qos: s.qos }])),
          [marker]: { qos: 1 },
        },
        onMessage: async (topic, payload) => {
          if (topic === marker) {
            // Messages before the marker may still be in flight here; their
            // acknowledgements (and the marker's) go out only once they are durable.
            if (payload.toString() === expectedMarker && sentinelRecovering) {
              sentinelRecovering = false;
              logger.info('ingest sentinel caught up: standby');
            }
            return;
          }
          if (sentinelRecovering) await track(topic, payload);
        },
        onSubscribed: () => {
          if (subscribed.size === lanes.length) publishMarker();
        },
      })
    : null;
  // Lost the connection: whatever comes first after the next connect may be
  // what the group never saw, so process in full until the next marker.
  sentinel?.on('close', () => {
    sentinelRecovering = true;
  });

  const all = sentinel ? [...clients, sentinel] : clients;
  return {
    clients,
    /** True when every connection is up. */
    isConnected: () => all.every((c) => c.connected),
    /**
     * A scale-down (other ingests are live): leaves the share groups, then
     * processes what the broker had already queued for us, so that ending the
     * sessions afterwards (stop({ endSessions: true })) leaves nothing waiting
     * for an instance that may never come back. Resolves with the count.
     */
    async leaveGroup(): Promise<number> {
      await Promise.all(
        clients.map((c, i) =>
          c.unsubscribeAsync(Object.keys(laneFilters(options.shareGroup, lanes[i]!.lane))),
        ),
      ).catch((err: Error) => logger.warn({ err: err.message }, 'mqtt unsubscribe failed'));
      const drained = await activity.settle();
      logger.info({ drained }, 'ingest left the share group and drained its queue');
      return drained;
    },
    /**
     * Stops taking messages and waits for those in flight. Without
     * `endSessions` the group's sessions stay and the broker queues for them
     * until we (or a takeover) return: with no member left in the group, the
     * broker would drop its messages instead.
     */
    async stop({ endSessions = false }: { endSessions?: boolean } = {}): Promise<void> {
      stopping = true;
      await activity.finished();
      // The sentinel's session is only needed while we run, so it always ends with us.
      const end = { properties: { sessionExpiryInterval: 0 } };
      await Promise.all([
        ...clients.map((c) => (endSessions ? c.endAsync(false, end) : c.endAsync(false))),
        sentinel?.endAsync(false, end),
      ]);
    },
  };
}

export type Subscriber = ReturnType<typeof startSubscriber>;
