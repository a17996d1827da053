/**
 * The named metrics of a process, on a registry of its own (no global
 * singleton), served as Prometheus text at GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Readers of the state a Prometheus user alerts on (see server/metrics/state-sources.ts). */
export interface StateSources {
  queueOldestWaitingAgeS?: () => Promise<Record<string, number>>;
  redisUsedMemoryBytes?: () => Promise<number>;
  databaseSizeBytes?: () => Promise<number>;
}

/** Creates the registry and every metric Watchfloor records. */
export function createMetrics() {
  const registry = new Registry();
  let queueDepthSource: (() => Promise<Record<string, number>>) | null = null;
  const state: StateSources = {};
  collectDefaultMetrics({ register: registry });
  // Prometheus convention: counters end in _total.
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name: `${name}_total`, help, labelNames, registers: [registry] });
  const latency = (name: string, help: string) =>
    new Histogram({ name, help, buckets: LATENCY_BUCKETS, registers: [registry] });

  return {
    registry,
    mqttConnected: counter('mqtt_subscriber_connected', 'Ingest MQTT connections established'),
    mqttConnectionFailed: counter(
      'mqtt_subscriber_connection_failed',
      'Ingest MQTT connection errors and drops',
    ),
    mqttMessageProcessed: counter(
      'mqtt_subscriber_message_processed',
      'MQTT messages validated and enqueued',
      ['root'],
    ),
    mqttRejectedTopic: counter(
      'mqtt_subscriber_rejected_topic',
      'MQTT messages on a topic outside the whitelist',
    ),
    mqttInvalidPayload: counter(
      'mqtt_subscriber_invalid_payload',
      'MQTT messages refused by validation, by reason',
      ['reason'],
    ),
    mqttProcessingError: counter(
      'mqtt_subscriber_processing_error',
      'MQTT messages whose enqueue failed and will be redelivered',
    ),
    guardGpsProcessed: counter('mqtt_guard_gps_processed', 'Guard GPS fixes processed', [
      'outcome',
    ]),
    guardStatusProcessed: counter('mqtt_guard_status_processed', 'Guard duty statuses processed', [
      'outcome',
    ]),
    deviceTelemetryProcessed: counter(
      'mqtt_device_telemetry_processed',
      'Device telemetry messages processed',
      ['outcome'],
    ),
    deviceLowBattery: counter('mqtt_device_low_battery', 'Low-battery alerts raised'),
    sensorDataProcessed: counter('mqtt_sensor_data_processed', 'Sensor readings processed', [
      'outcome',
    ]),
    sensorCriticalAlert: counter('mqtt_sensor_critical_alert', 'Sensor threshold alerts raised'),
    criticalAlertProcessed: counter('mqtt_critical_alert_processed', 'Device alerts processed', [
      'outcome',
    ]),
    systemHealthProcessed: counter(
      'mqtt_system_health_processed',
      'System health reports processed',
      ['outcome'],
    ),
    jobsFailed: counter('watchfloor_job_failed', 'Job attempts that threw', ['task']),
    jobsDeadLettered: counter(
      'watchfloor_job_dead_lettered',
      'Jobs that failed for good and stay in the failed set',
      ['task'],
    ),
    jobDataRejected: counter(
      'watchfloor_job_data_rejected',
      "Jobs refused because their data does not match their task's schema (forged or corrupt)",
      ['task'],
    ),
    alertGuardClaimIgnored: counter(
      'watchfloor_alert_guard_claim_ignored',
      "Device alerts whose payload named a guard other than the device's own (claim ignored, alert raised for the device)",
    ),
    alertBroadcastUnstored: counter(
      'watchfloor_alert_broadcast_unstored',
      'Device alerts pushed to screens although storing them failed for good',
    ),
    receiptToEnqueued: latency(
      'watchfloor_receipt_to_enqueued_seconds',
      'MQTT receipt to job durably in Redis',
    ),
    enqueuedToCommitted: latency(
      'watchfloor_enqueued_to_committed_seconds',
      'Job enqueued to its rows committed in PostgreSQL',
    ),
    committedToBroadcast: latency(
      'watchfloor_committed_to_broadcast_seconds',
      'Rows committed to the event sent to browsers',
    ),
    channelMessageRejected: counter(
      'watchfloor_channel_message_rejected',
      'Messages read from Redis and dropped: failed authentication (tampered, foreign key, plain text) or unreadable',
      ['path', 'reason'],
    ),
    publishMqttProcessed: counter('watchfloor_publish_mqtt_processed', 'publish_mqtt jobs done', [
      'outcome',
    ]),
    commandAckProcessed: counter(
      'watchfloor_command_ack_processed',
      'Device command replies processed',
      ['outcome'],
    ),
    historyMaintenanceProcessed: counter(
      'watchfloor_history_maintenance_processed',
      'History maintenance runs done (partitions ahead, retention drops)',
      ['outcome'],
    ),
    escalationStepProcessed: counter(
      'watchfloor_escalation_step_processed',
      'Escalation firings run (stored: notifications claimed; duplicate: nothing new, or the alert was handled)',
      ['outcome'],
    ),
    escalationEmailProcessed: counter(
      'watchfloor_escalation_email_processed',
      'Escalation e-mail jobs done',
      ['outcome'],
    ),
    escalationWebhookProcessed: counter(
      'watchfloor_escalation_webhook_processed',
      'Escalation webhook jobs done',
      ['outcome'],
    ),
    commandBreakerState: new Gauge({
      name: 'watchfloor_command_breaker_state',
      help: 'Command publisher circuit breaker: 0 closed, 1 open, 2 half-open, 3 isolated',
      registers: [registry],
    }),
    commandBreakerOpened: counter(
      'watchfloor_command_breaker_opened',
      'Times the command publisher circuit breaker opened',
    ),
    commandPublished: counter('watchfloor_command_published', 'Device commands published', [
      'type',
    ]),
    commandDeferred: counter(
      'watchfloor_command_deferred',
      'Command jobs put back to wait because the broker was unreachable or the breaker open',
    ),
    commandFailed: counter('watchfloor_command_failed', 'Device commands that failed for good'),
    commandAcknowledged: counter(
      'watchfloor_command_acknowledged',
      'Device replies to commands, by result',
      ['result'],
    ),
    queueDepth: new Gauge({
      name: 'watchfloor_queue_depth',
      help: 'Jobs waiting per queue (waiting + prioritized + delayed), read from Redis at scrape time',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        const depths = await queueDepthSource?.().catch(() => null);
        for (const [queue, depth] of Object.entries(depths ?? {})) this.set({ queue }, depth);
      },
    }),
    queueOldestWaitingAge: new Gauge({
      name: 'watchfloor_queue_oldest_waiting_age_seconds',
      help: 'Age of the oldest job waiting per queue (0 when none waits; delayed retries excluded), read at scrape time',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        const ages = await state.queueOldestWaitingAgeS?.().catch(() => null);
        for (const [queue, age] of Object.entries(ages ?? {})) this.set({ queue }, age);
      },
    }),
    redisUsedMemory: new Gauge({
      name: 'watchfloor_redis_used_memory_bytes',
      help: 'Redis INFO used_memory of the Redis holding the queues, read at scrape time',
      registers: [registry],
      async collect() {
        const bytes = await state.redisUsedMemoryBytes?.().catch(() => null);
        if (typeof bytes === 'number') this.set(bytes);
      },
    }),
    databaseSize: new Gauge({
      name: 'watchfloor_database_size_bytes',
      help: 'pg_database_size of the Watchfloor database (cached between scrapes, see DATABASE_SIZE_CACHE_MS)',
      registers: [registry],
      async collect() {
        const bytes = await state.databaseSizeBytes?.().catch(() => null);
        if (typeof bytes === 'number') this.set(bytes);
      },
    }),
    /** Where the queue depth gauge reads from (the process that holds the queues sets it). */
    setQueueDepthSource(source: () => Promise<Record<string, number>>) {
      queueDepthSource = source;
    },
    /** Where the bounded-state gauges read from; a process sets those it can read. */
    setStateSources(sources: StateSources) {
      Object.assign(state, sources);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
