/** The ingest role: the MQTT subscriber group feeding the routed queues. */
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createRefusalLog } from '../mqtt/refusal-log';
import type { Metrics } from '../metrics/metrics';
import { redisUsedMemory } from '../metrics/state-sources';
import { createIngest } from '../mqtt/ingest';
import { createQuarantine } from '../mqtt/quarantine';
import { startSubscriber } from '../mqtt/subscriber';
import { durableEnqueue } from '../queues/durable-enqueue';
import { createTaskQueues } from '../queues/task-queues';
import { createRedis } from '../redis';
import type { RoleHandle } from './role';

/** Payload hard cap and JSON nesting bound for every topic. */
export const INGEST_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 16, maxClockSkewMs: 30_000 };

/** Connects the subscriber group; messages are acknowledged once their job is in Redis. */
export function startIngestRole(
  config: Config,
  deps: { logger: Logger; metrics: Metrics },
): RoleHandle {
  const logger = deps.logger.child({ role: 'ingest' });
  const redis = createRedis({
    url: config.REDIS_URL,
    name: 'ingest-producer',
    logger,
    failFast: true,
  });
  const queues = createTaskQueues(redis, config.QUEUE_PREFIX, logger);
  deps.metrics.setQueueDepthSource(() => queues.depths());
  deps.metrics.setStateSources({
    queueOldestWaitingAgeS: () => queues.oldestWaitingAgesS(),
    redisUsedMemoryBytes: redisUsedMemory(redis),
  });
  const stopping = new AbortController();
  const refusals = createRefusalLog(logger);
  const ingest = createIngest({
    enqueue: durableEnqueue(queues.enqueue, stopping.signal, logger),
    quarantine: createQuarantine(redis, config.QUEUE_PREFIX),
    limits: INGEST_LIMITS,
    metrics: deps.metrics,
    refusals,
  });
  const subscriber = startSubscriber({
    url: config.MQTT_URL,
    username: config.MQTT_USERNAME,
    password: config.MQTT_PASSWORD,
    clientIdPrefix: config.MQTT_CLIENT_ID,
    connections: config.MQTT_INGEST_CONNECTIONS,
    criticalConnections: config.MQTT_INGEST_CRITICAL_CONNECTIONS,
    shareGroup: config.MQTT_SHARE_GROUP,
    sentinel: config.MQTT_INGEST_SENTINEL,
    sessionExpiryS: config.MQTT_SESSION_EXPIRY_S,
    onMessage: ingest,
    logger,
    metrics: deps.metrics,
  });

  return {
    name: 'ingest',
    health: () => ({ mqtt: subscriber.isConnected(), redis: redis.status === 'ready' }),
    async stop() {
      // Messages still waiting for Redis are left unacknowledged: the broker redelivers them.
      stopping.abort();
      await subscriber.stop();
      refusals.stop();
      await queues.close();
      await redis.quit();
    },
  };
}
