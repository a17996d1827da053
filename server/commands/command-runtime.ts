/**
 * Device commands inside the worker role: the publisher's MQTT connection,
 * its circuit breaker (state in /metrics, /healthz and, through Redis, on
 * the admin page), the two command handlers, and marking a command failed
 * once its job is dead-lettered.
 */
import type { Job } from 'bullmq';
import type { RedisClient } from '../redis';
import type pg from 'pg';
import type { Config } from '../config';
import type { Advisory } from '../roles/role';
import { createCommandAckHandler } from '../handlers/command-ack';
import { createPublishMqttHandler } from '../handlers/publish-mqtt';
import type { TaskHandlers } from '../handlers/types';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { CHANNEL_EVENTS, type ChannelEvent } from '../realtime/channel-events';
import { BREAKER_STATE_VALUES, createCommandBreaker } from './command-breaker';
import { createCommandPublisher } from './command-publisher';
import { isFinalFailure } from '../queues/task-workers';
import { checkJobData } from '../queues/job-check';
import { markFailed } from './command-store';
import { forgetBreaker, reportBreaker } from './breaker-registry';
import { createCommandClient } from './mqtt-command-client';

/** How often the breaker's state is refreshed in Redis (it is also written on every change). */
const REPORT_MS = 5_000;

export interface CommandRuntimeDeps {
  pool: pg.Pool;
  /** A normal (non-subscriber) connection for the breaker report. */
  redis: RedisClient;
  metrics: Metrics;
  logger: Logger;
  publish(event: ChannelEvent): void;
}

/** Connects the publisher and builds the handlers; stop() closes the connection. */
export function startCommandRuntime(config: Config, deps: CommandRuntimeDeps) {
  const { pool, redis, metrics, logger } = deps;
  const client = createCommandClient({
    url: config.MQTT_URL,
    username: config.MQTT_COMMAND_USERNAME ?? config.MQTT_USERNAME,
    password: config.MQTT_COMMAND_PASSWORD ?? config.MQTT_PASSWORD,
    clientId: `${config.MQTT_CLIENT_ID}-commands-${process.pid}`,
    logger,
  });
  const report = () =>
    reportBreaker(redis, config.QUEUE_PREFIX, publisher.breaker()).catch(() => undefined);
  const breaker = createCommandBreaker({
    failures: config.COMMAND_BREAKER_FAILURES,
    halfOpenMs: config.COMMAND_BREAKER_HALF_OPEN_MS,
    maxHalfOpenMs: config.COMMAND_BREAKER_MAX_HALF_OPEN_MS,
    timeoutMs: config.COMMAND_PUBLISH_TIMEOUT_MS,
    onStateChange(state) {
      metrics.commandBreakerState.set(BREAKER_STATE_VALUES[state]);
      if (state === 'open') metrics.commandBreakerOpened.inc();
      logger.warn({ breaker: state }, 'command publisher circuit breaker changed state');
      void report();
      const { owner, since } = publisher.breaker();
      deps.publish({ type: CHANNEL_EVENTS.commandDelivery, payload: { owner, state, since } });
    },
  });
  metrics.commandBreakerState.set(BREAKER_STATE_VALUES.closed);
  const publisher = createCommandPublisher(client, breaker);
  const timer = setInterval(() => void report(), REPORT_MS);
  timer.unref();
  void report();

  return {
    publisher,
    handlers: {
      publish_mqtt: createPublishMqttHandler({
        pool,
        publisher,
        retryDelayMs: config.COMMAND_RETRY_DELAY_MS,
        metrics,
        logger,
      }),
      process_command_ack: createCommandAckHandler({ pool }),
    } satisfies Pick<TaskHandlers, 'publish_mqtt' | 'process_command_ack'>,
    /** Call from the workers' 'failed' event: a dead-lettered publish marks its command failed. */
    async onJobFailed(job: Job, error: Error): Promise<void> {
      if (job.name !== 'publish_mqtt') return;
      const final = isFinalFailure(job, error);
      const parsed = checkJobData('publish_mqtt', job.data);
      if (!final || !parsed.ok) return;
      const command = await markFailed(pool, parsed.data.commandId, error.message);
      if (!command) return;
      metrics.commandFailed.inc();
      deps.publish({ type: CHANNEL_EVENTS.command, payload: command });
    },
    /** Not a health component: an open breaker degrades commands, not the node (server/http/health.ts). */
    advisories(): Record<string, Advisory> {
      const { state } = breaker.snapshot();
      return { commandBreaker: { state, degraded: state !== 'closed' } };
    },
    async stop() {
      clearInterval(timer);
      await forgetBreaker(redis, config.QUEUE_PREFIX, publisher.breaker()).catch(() => undefined);
      await client.close();
    },
  };
}

export type CommandRuntime = ReturnType<typeof startCommandRuntime>;
