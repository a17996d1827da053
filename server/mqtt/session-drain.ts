/**
 * Emptying a broker session before it ends. Mosquitto keeps assigning a
 * share-group member its share while the member's persistent session lives,
 * connected or not, and drops the queue when the session expires. So a
 * session is ended only after it left the share group (UNSUBSCRIBE) and what
 * the broker had already queued for it was processed: by its own process on a
 * graceful stop, or by a live ingest that took over the slot of a dead one.
 */
import mqtt from 'mqtt';
import { SERVER_MQTT_OPTIONS } from './client-options';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { connectIngestClient } from './ingest-connection';
import { createActivity } from './activity';
import { ingestLanes, laneFilters } from './subscriber';

export interface BrokerLogin {
  url: string;
  username?: string;
  password?: string;
}

/** Ends a session the broker may hold, without taking its messages (clean start, no expiry). */
export function endSession(broker: BrokerLogin, clientId: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let connected = false;
    const connection = mqtt.connect(broker.url, {
      clientId,
      username: broker.username,
      password: broker.password,
      ...SERVER_MQTT_OPTIONS,
      clean: true,
      properties: { sessionExpiryInterval: 0 },
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });
    connection.once('connect', () => {
      connected = true;
      connection.end();
    });
    // A refused or failed connection clears nothing; the session then expires on its own.
    connection.on('error', () => connection.end(true));
    connection.once('close', () => resolve(connected));
  });
}

export interface AbandonedSlot extends BrokerLogin {
  /** The slot's client id prefix (MQTT_CLIENT_ID plus the slot). */
  clientIdPrefix: string;
  connections: number;
  criticalConnections: number;
  shareGroup: string;
  /** Kept while draining: if this process dies too, the session waits for the next takeover. */
  sessionExpiryS: number;
  /** Messages each connection processes at once (MQTT_INGEST_IN_FLIGHT). */
  inFlight: number;
  /** The live ingest's pipeline: a drained message is handled like any other. */
  onMessage(topic: string, payload: Buffer): Promise<unknown>;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Resumes each of a dead slot's sessions (same client id, clean: false), leaves
 * the share group, processes what was queued, and ends the session. The
 * slot's sentinel session holds only copies of what the group got: it is
 * ended without processing. Returns how many messages were drained.
 */
export async function drainAbandonedSlot(slot: AbandonedSlot): Promise<number> {
  const lanes = ingestLanes(slot.connections, slot.criticalConnections);
  const counts = await Promise.all(
    lanes.map(async ({ lane, id }) => {
      const activity = createActivity();
      let stopping = false;
      let left!: () => void;
      const leftGroup = new Promise<void>((resolve) => (left = resolve));
      const filters = Object.keys(laneFilters(slot.shareGroup, lane));
      const client = connectIngestClient({
        url: slot.url,
        username: slot.username,
        password: slot.password,
        clientId: `${slot.clientIdPrefix}-${id}`,
        sessionExpiryS: slot.sessionExpiryS,
        inFlight: slot.inFlight,
        filters: {},
        onMessage: (topic, payload) =>
          stopping
            ? Promise.reject(new Error('stopping: left unacknowledged'))
            : activity.track(slot.onMessage(topic, payload)),
        onSubscribed: () => {
          client.unsubscribe(filters, () => left());
        },
        isStopping: () => stopping,
        logger: slot.logger,
        metrics: slot.metrics,
      });
      await leftGroup;
      const drained = await activity.settle();
      stopping = true;
      await activity.finished();
      await client.endAsync(false, { properties: { sessionExpiryInterval: 0 } });
      return drained;
    }),
  );
  await endSession(slot, `${slot.clientIdPrefix}-sentinel`);
  return counts.reduce((a, b) => a + b, 0);
}
