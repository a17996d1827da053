/** The ingest role: the MQTT subscriber group feeding the routed queues. */
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createRefusalLog } from '../mqtt/refusal-log';
import type { Metrics } from '../metrics/metrics';
import { redisUsedMemory } from '../metrics/state-sources';
import { createIngest } from '../mqtt/ingest';
import { createQuarantine } from '../mqtt/quarantine';
import { createIngestSlots, slotClientIdPrefix } from '../mqtt/ingest-slots';
import { drainAbandonedSlot } from '../mqtt/session-drain';
import { startSubscriber } from '../mqtt/subscriber';
import { createBatchingEnqueue } from '../mqtt/batch-enqueue';
import { durableProducer } from '../queues/durable-enqueue';
import { createTaskQueues } from '../queues/task-queues';
import type { ProcessClients } from '../process-clients';
import type { RoleHandle } from './role';

/** Payload hard cap and JSON nesting bound for every topic. */
export const INGEST_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 16, maxClockSkewMs: 30_000 };

/**
 * Leases an instance slot, connects the subscriber group under the slot's
 * client ids, and takes over the slots of ingests that are gone (lease lapsed).
 * Messages are acknowledged once their job is in Redis.
 */
export async function startIngestRole(
  config: Config,
  deps: { logger: Logger; metrics: Metrics; clients: ProcessClients },
): Promise<RoleHandle> {
  const logger = deps.logger.child({ role: 'ingest' });
  // Fail-fast: a message whose job cannot be added now stays unacknowledged (durable-enqueue retries).
  const redis = deps.clients.shared('commands', {
    role: 'ingest',
    purpose: 'queue producer, slot leases, quarantine, queue gauges',
  });
  const queues = createTaskQueues(redis, config.QUEUE_PREFIX, logger);
  deps.metrics.setQueueDepthSource(() => queues.depths());
  deps.metrics.setStateSources({
    queueOldestWaitingAgeS: () => queues.oldestWaitingAgesS(),
    redisUsedMemoryBytes: redisUsedMemory(redis),
  });
  const stopping = new AbortController();
  const refusals = createRefusalLog(logger);
  // Bulk tasks travel several messages to a job (routes.ts `batch`); each retried through a Redis outage.
  const enqueue = createBatchingEnqueue(durableProducer(queues, stopping.signal, logger));
  const ingest = createIngest({
    enqueue,
    quarantine: createQuarantine(redis, config.QUEUE_PREFIX),
    limits: INGEST_LIMITS,
    metrics: deps.metrics,
    refusals,
  });
  const slots = createIngestSlots({
    redis,
    prefix: config.QUEUE_PREFIX,
    slots: config.MQTT_INGEST_SLOTS,
    leaseMs: config.INGEST_LEASE_MS,
    logger,
  });
  // The slot comes first: the client ids depend on it (so start-up waits for Redis).
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  const lease = await slots.lease();
  logger.info({ slot: lease.slot }, 'ingest slot leased');
  const broker = {
    url: config.MQTT_URL,
    username: config.MQTT_USERNAME,
    password: config.MQTT_PASSWORD,
  };
  const subscriber = startSubscriber({
    ...broker,
    clientIdPrefix: slotClientIdPrefix(config.MQTT_CLIENT_ID, lease.slot),
    connections: config.MQTT_INGEST_CONNECTIONS,
    criticalConnections: config.MQTT_INGEST_CRITICAL_CONNECTIONS,
    inFlight: config.MQTT_INGEST_IN_FLIGHT,
    shareGroup: config.MQTT_SHARE_GROUP,
    sentinel: config.MQTT_INGEST_SENTINEL,
    sessionExpiryS: config.MQTT_SESSION_EXPIRY_S,
    onMessage: ingest,
    logger,
    metrics: deps.metrics,
  });

  // Takeovers: one at a time, each slot drained by whoever leased it first.
  let takingOver: Promise<void> = Promise.resolve();
  const takeOver = async () => {
    for (const abandoned of await slots.abandoned()) {
      const clientIdPrefix = slotClientIdPrefix(config.MQTT_CLIENT_ID, abandoned.slot);
      logger.info({ slot: abandoned.slot }, 'taking over a gone ingest’s slot');
      const drained = await drainAbandonedSlot({
        ...broker,
        clientIdPrefix,
        connections: config.MQTT_INGEST_CONNECTIONS,
        criticalConnections: config.MQTT_INGEST_CRITICAL_CONNECTIONS,
        inFlight: config.MQTT_INGEST_IN_FLIGHT,
        shareGroup: config.MQTT_SHARE_GROUP,
        sessionExpiryS: config.MQTT_SESSION_EXPIRY_S,
        onMessage: ingest,
        logger,
        metrics: deps.metrics,
      });
      await abandoned.release(true);
      logger.info({ slot: abandoned.slot, drained }, 'drained a gone ingest’s slot');
    }
  };
  const takeoverTimer = setInterval(() => {
    takingOver = takingOver
      .then(takeOver)
      .catch((err: Error) => logger.warn({ err: err.message }, 'ingest slot takeover failed'));
  }, config.INGEST_TAKEOVER_MS);
  takeoverTimer.unref();

  return {
    name: 'ingest',
    health: () => ({ mqtt: subscriber.isConnected(), redis: redis.status === 'ready' }),
    async stop() {
      clearInterval(takeoverTimer);
      await takingOver;
      // With other ingests live, hand our share over and end the sessions (a scale-down);
      // as the last one, keep them: the broker queues until an ingest comes back.
      const handOver = await slots.othersLive(lease.slot).catch(() => false);
      if (handOver) await subscriber.leaveGroup();
      // Open batches go to Redis now (their adds started before the abort finish);
      // messages still waiting for Redis are left unacknowledged: the broker redelivers them.
      enqueue.flush();
      stopping.abort();
      await subscriber.stop({ endSessions: handOver });
      await lease.release(handOver).catch(() => undefined);
      refusals.stop();
      await queues.close();
    },
  };
}
