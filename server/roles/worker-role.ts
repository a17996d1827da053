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
import { createMaintainHistoryHandler } from '../handlers/maintain-history';
import {
  HISTORY_MAINTENANCE_QUEUE,
  scheduleHistoryMaintenance,
} from '../history/maintenance-schedule';
import { retentionPolicy } from '../history/retention';
import { createTaskQueues } from '../queues/task-queues';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { TaskName } from '../../contract/job-data';
import { checkJobData } from '../queues/job-check';
import { createTaskWorkers, isFinalFailure } from '../queues/task-workers';
import { watchUnworkedQueues } from '../queues/unworked-queues';
import { unstoredAlert } from '../alerts/unstored-alert';
import { createRateLimitedWarn } from '../mqtt/rate-limited-log';
import { CHANNEL_EVENTS } from '../realtime/channel-events';
import type { Job } from 'bullmq';
import { createEventPublisher, type ChannelSecurity } from '../realtime/event-channel';
import type { ProcessClients } from '../process-clients';
import { createTaskStatsRecorder } from '../metrics/task-stats';
import { observeWorkers } from '../admin/worker-observer';
import { startCommandRuntime } from '../commands/command-runtime';
import { startEscalationRuntime } from '../escalation/escalation-runtime';
import type { RoleHandle } from './role';

export interface WorkerRoleDeps {
  db: Database;
  /** PostgreSQL answered the last probe (server/db/database-probe.ts). */
  databaseHealthy(): boolean;
  logger: Logger;
  metrics: Metrics;
  channel: ChannelSecurity;
  clients: ProcessClients;
}

/** Starts the workers of the configured queues. */
export function startWorkerRole(config: Config, deps: WorkerRoleDeps): RoleHandle {
  const { metrics } = deps;
  const logger = deps.logger.child({ role: 'worker' });
  const pool = deps.db.pool;
  // One waiting connection for every non-blocking command of the role; BullMQ opens
  // each Worker's blocking connection itself (counted below).
  const redis = deps.clients.shared('waiting', {
    role: 'worker',
    purpose:
      'BullMQ workers, event publisher, producer queues, command and escalation runtimes, task stats',
  });
  const publish = createEventPublisher(redis, config.EVENT_CHANNEL_PREFIX, logger, deps.channel);
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
    maintain_history: metrics.historyMaintenanceProcessed,
    escalate_alert: metrics.escalationStepProcessed,
    send_escalation_email: metrics.escalationEmailProcessed,
    deliver_webhook: metrics.escalationWebhookProcessed,
  };
  const warn = createRateLimitedWarn(logger);
  const commands = startCommandRuntime(config, {
    pool,
    redis,
    metrics,
    logger,
    publish,
  });

  // Jobs this role adds itself: escalation steps and deliveries, the maintenance schedule.
  const producerQueues = createTaskQueues(redis, config.QUEUE_PREFIX, logger);
  const escalation = startEscalationRuntime(config, {
    pool,
    redis,
    queues: producerQueues,
    logger,
  });

  const workers = createTaskWorkers({
    connection: redis,
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
      maintain_history: createMaintainHistoryHandler({
        pool,
        retention: retentionPolicy(config),
        logger,
      }),
      ...commands.handlers,
      ...escalation.handlers,
    },
    onResult: (task, job, result) => {
      processed[task].inc({ outcome: result.outcome });
      if (result.ignoredGuardClaim) {
        metrics.alertGuardClaimIgnored.inc();
        warn(
          'guard-claim',
          { task, jobId: job.id, ...result.ignoredGuardClaim },
          "device alert named a guard that is not the device's own: ignored",
        );
      }
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
  deps.clients.opened('bullmq-blocking', workers.workers.length, {
    role: 'worker',
    purpose: 'one blocking job fetch per worked queue',
  });

  // The maintenance schedule, upserted by every process that works its queue (one schedule in Redis).
  if (config.WORKER_QUEUES.includes(HISTORY_MAINTENANCE_QUEUE)) {
    scheduleHistoryMaintenance(
      producerQueues.queue(HISTORY_MAINTENANCE_QUEUE),
      config.HISTORY_MAINTENANCE_EVERY_MS,
    ).catch((error: unknown) =>
      logger.error({ err: (error as Error).message }, 'history maintenance not scheduled'),
    );
  }

  // A queue nobody works (a WORKER_QUEUES list that misses one) shows in /healthz, not in silence.
  const unworkedQueues = watchUnworkedQueues(
    producerQueues.queue,
    config.UNWORKED_QUEUE_CHECK_MS,
    logger,
  );

  // Per-task counts for the admin page, shared with every other worker process through Redis.
  const taskStats = createTaskStatsRecorder(redis, config.QUEUE_PREFIX);
  observeWorkers(workers.workers, taskStats, logger, async (job, error) => {
    await commands.onJobFailed(job, error);
    await pushUnstoredAlert(job, error);
  });

  /** A device alert that could not be stored for good still reaches screens (server/alerts/unstored-alert.ts). */
  async function pushUnstoredAlert(job: Job, error: Error): Promise<void> {
    if (job.name !== 'process_device_alert' || !isFinalFailure(job, error)) return;
    // A refused (forged or corrupt) job is never broadcast.
    const checked = checkJobData(job.name, job.data);
    if (!checked.ok) return;
    const alert = await unstoredAlert(pool, checked.data);
    metrics.alertBroadcastUnstored.inc();
    logger.error(
      { jobId: job.id, deviceId: alert.deviceId, type: alert.type, err: error.message },
      'device alert could not be stored: pushed to screens as not stored, job kept in the failed set',
    );
    publish({ type: CHANNEL_EVENTS.alert, payload: alert, committedAt: Date.now() });
  }

  return {
    name: 'worker',
    health: () => ({
      workers: workers.workers.every((w) => w.isRunning()),
      postgres: deps.databaseHealthy(),
    }),
    advisories: () => ({ ...commands.advisories(), ...unworkedQueues.advisories() }),
    async stop() {
      unworkedQueues.stop();
      await workers.close();
      await taskStats.stop();
      await commands.stop();
      await escalation.stop();
      await producerQueues.close();
      await Promise.all([guardGps.drain(), telemetry.drain(), sensors.drain()]);
    },
  };
}
