/**
 * The worker role: BullMQ workers that store messages and publish their
 * events. WORKER_QUEUES picks the queues of this process, so critical alerts
 * can run in processes of their own, never behind a GPS flood.
 */
import type { Config } from '../config';
import type { Database } from '../db/database';
import { createDeviceAlertHandler } from '../handlers/device-alert';
import { createDeviceTelemetryHandler } from '../handlers/device-telemetry';
import { createGuardGpsHandler } from '../handlers/guard-gps';
import { createGuardStatusHandler } from '../handlers/guard-status';
import { createSensorDataHandler } from '../handlers/sensor-data';
import { createSystemHealthHandler } from '../handlers/system-health';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { TaskName } from '../queues/routes';
import { createTaskWorkers } from '../queues/task-workers';
import { createEventPublisher, type ChannelSecurity } from '../realtime/event-channel';
import { createRedis } from '../redis';
import { createTaskStatsRecorder } from '../admin/task-stats';
import { observeWorkers } from '../admin/worker-observer';
import { startCommandRuntime } from '../commands/command-runtime';
import { startEscalationRuntime } from '../escalation/escalation-runtime';
import { createTaskQueues } from '../queues/task-queues';
import { CHANNEL_EVENTS } from '../realtime/events';
import type { RoleHandle } from './role';

export interface WorkerRoleDeps {
  db: Database;
  logger: Logger;
  metrics: Metrics;
  channel: ChannelSecurity;
}

/** Starts the workers of the configured queues. */
export function startWorkerRole(config: Config, deps: WorkerRoleDeps): RoleHandle {
  const { metrics } = deps;
  const logger = deps.logger.child({ role: 'worker' });
  const pool = deps.db.pool;
  const workerRedis = createRedis({ url: config.REDIS_URL, name: 'worker', logger });
  const publisherRedis = createRedis({ url: config.REDIS_URL, name: 'event-publisher', logger });
  const publish = createEventPublisher(
    publisherRedis,
    config.EVENT_CHANNEL_PREFIX,
    logger,
    deps.channel,
  );
  const batch = { maxRows: config.DB_BATCH_MAX_ROWS, maxWaitMs: config.DB_BATCH_MAX_WAIT_MS };

  const guardGps = createGuardGpsHandler({
    pool,
    batch,
    geofence: {
      confirmFixes: config.GEOFENCE_CONFIRM_FIXES,
      minMarginM: config.GEOFENCE_MIN_MARGIN_M,
    },
  });
  const telemetry = createDeviceTelemetryHandler({
    pool,
    batch,
    lowBatteryPercent: config.LOW_BATTERY_PERCENT,
  });
  const sensors = createSensorDataHandler({ pool, batch });

  // Per-task counters named as operators know them from the Phase 1 system.
  const processed: Record<TaskName, { inc(labels: { outcome: string }): void }> = {
    process_device_alert: metrics.criticalAlertProcessed,
    process_guard_gps: metrics.guardGpsProcessed,
    process_guard_status: metrics.guardStatusProcessed,
    process_sensor_data: metrics.sensorDataProcessed,
    process_device_telemetry: metrics.deviceTelemetryProcessed,
    process_system_health: metrics.systemHealthProcessed,
    publish_mqtt: metrics.publishMqttProcessed,
    process_command_ack: metrics.commandAckProcessed,
    escalate_alert: metrics.escalationStepProcessed,
    send_escalation_email: metrics.escalationEmailProcessed,
    deliver_webhook: metrics.escalationWebhookProcessed,
  };
  const commands = startCommandRuntime(config, {
    pool,
    redis: publisherRedis,
    metrics,
    logger,
    publish,
  });

  // Escalation schedules its own jobs (steps, deliveries) from inside the workers.
  const producerRedis = createRedis({ url: config.REDIS_URL, name: 'escalation-producer', logger });
  const producerQueues = createTaskQueues(producerRedis, config.QUEUE_PREFIX, logger);
  const escalation = startEscalationRuntime(config, {
    pool,
    redis: publisherRedis,
    queues: producerQueues,
    logger,
  });

  const workers = createTaskWorkers({
    connection: workerRedis,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    queues: config.WORKER_QUEUES,
    handlers: {
      process_device_alert: createDeviceAlertHandler({ pool }),
      process_guard_gps: guardGps.handle,
      process_guard_status: createGuardStatusHandler({ pool }),
      process_sensor_data: sensors.handle,
      process_device_telemetry: telemetry.handle,
      process_system_health: createSystemHealthHandler({ pool }),
      ...commands.handlers,
      ...escalation.handlers,
    },
    onResult: (task, _job, result) => {
      processed[task].inc({ outcome: result.outcome });
      if (task === 'process_sensor_data' && result.alertsRaised)
        metrics.sensorCriticalAlert.inc(result.alertsRaised);
      if (task === 'process_device_telemetry' && result.alertsRaised)
        metrics.deviceLowBattery.inc(result.alertsRaised);
      const committedAt = Date.now();
      for (const event of result.events) publish({ ...event, committedAt });
      // New alerts start escalating at once; their escalation rows were written with them.
      if (task !== 'escalate_alert') {
        const raised = result.events.flatMap((e) =>
          e.type === CHANNEL_EVENTS.alert && e.payload.status === 'open' ? [e.payload.id] : [],
        );
        escalation.kick(raised);
      }
    },
    logger,
    metrics,
  });

  // Per-task counts for the admin page, shared with every other worker process through Redis.
  const taskStats = createTaskStatsRecorder(publisherRedis, config.QUEUE_PREFIX);
  observeWorkers(workers.workers, taskStats, logger, commands.onJobFailed);

  return {
    name: 'worker',
    health: () => ({ workers: workers.workers.every((w) => w.isRunning()) }),
    advisories: () => commands.advisories(),
    async stop() {
      await workers.close();
      await taskStats.stop();
      await commands.stop();
      await escalation.stop();
      await producerQueues.close();
      await Promise.all([guardGps.drain(), telemetry.drain(), sensors.drain()]);
      await Promise.all([workerRedis.quit(), publisherRedis.quit(), producerRedis.quit()]);
    },
  };
}
