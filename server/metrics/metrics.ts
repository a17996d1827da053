/**
 * The named metrics of a process, on a registry of its own (no global
 * singleton), served as Prometheus text at GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates the registry and every metric Watchfloor records. */
export function createMetrics() {
  const registry = new Registry();
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
    guardGpsProcessed: counter('mqtt_guard_gps_processed', 'Guard GPS fixes stored', ['outcome']),
    jobsFailed: counter('watchfloor_job_failed', 'Job attempts that threw', ['task']),
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
    queueDepth: new Gauge({
      name: 'watchfloor_queue_depth',
      help: 'Jobs waiting per queue (waiting + prioritized + delayed)',
      labelNames: ['queue'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
