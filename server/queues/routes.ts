/**
 * THE route table: every task the system runs, the queue it goes to and its
 * priority. No other file names a queue or a priority. The tasks themselves,
 * with the job data each carries, are the contract's (contract/job-data.ts):
 * this table must route exactly those, or it does not compile.
 */
import type { TaskName } from '../../contract/job-data';

/** Queues, in the order workers are started (critical first). */
export const QUEUE_NAMES = [
  'critical',
  'notifications',
  'high_priority',
  'external_api',
  'maintenance',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * The lanes a flood must never hold up: alerts and their escalation steps
 * (`critical`), and the e-mails and webhooks those steps send
 * (`notifications`). Deployments run them in worker processes of their own
 * (`WORKER_QUEUES`), apart from the bulk queues: with e-mails on the bulk
 * worker, an SOS's first e-mail waited ~10 s behind a 2,000 msg/s GPS flood.
 * Notifications have a queue apart from `critical` so a slow SMTP server or a
 * dead webhook (each up to its timeout) never takes a slot that raises an SOS.
 */
export const URGENT_QUEUES = ['critical', 'notifications'] as const satisfies readonly QueueName[];

/**
 * A bulk task's messages travel several to a job: a BullMQ job costs Redis
 * several scripts (add, move to active, finish) whatever it carries. The
 * ingest sends a batch as soon as the task's previous batch is in Redis
 * (server/mqtt/batch-enqueue.ts), and closes it sooner at `maxMessages`, or
 * `maxWaitMs` after its first message while an add is slow; each message is
 * acknowledged once its batch job is in Redis.
 */
export interface BatchRoute {
  maxMessages: number;
  maxWaitMs: number;
}

export interface TaskRoute {
  queue: QueueName;
  /** 0-10, 10 the most urgent. */
  priority: number;
  description: string;
  /** Absent: one job per message (alerts, commands, anything urgent or rare). */
  batch?: BatchRoute;
}

/** The bulk lane's batches: bounded so a batch never waits more than a few milliseconds. */
const BULK_BATCH: BatchRoute = { maxMessages: 100, maxWaitMs: 5 };

export const TASK_ROUTES = {
  process_device_alert: {
    queue: 'critical',
    priority: 10,
    description:
      'Raise an alert sent by a device (SOS, man-down, fire, ...) and push it to screens',
  },
  process_guard_gps: {
    queue: 'high_priority',
    priority: 8,
    description: 'Store a guard GPS fix, check the geofence and move the guard on the live map',
    batch: BULK_BATCH,
  },
  process_guard_status: {
    queue: 'high_priority',
    priority: 7,
    description: "Record a guard's duty status",
    batch: BULK_BATCH,
  },
  process_sensor_data: {
    queue: 'external_api',
    priority: 6,
    description: 'Store a sensor reading; a threshold crossing raises a critical alert',
    batch: BULK_BATCH,
  },
  process_device_telemetry: {
    queue: 'external_api',
    priority: 5,
    description: 'Update battery, signal and last seen of a device; raise low battery once',
    batch: BULK_BATCH,
  },
  process_system_health: {
    queue: 'maintenance',
    priority: 2,
    description: "Record a component's self-reported health",
  },
  publish_mqtt: {
    queue: 'external_api',
    priority: 9,
    description:
      'Publish a device command (locate, message, SOS acknowledgement) through the circuit breaker',
  },
  escalate_alert: {
    queue: 'critical',
    priority: 9,
    description:
      "Fire one step of an alert's escalation: claim its notifications once, schedule the next step",
  },
  send_escalation_email: {
    queue: 'notifications',
    priority: 9,
    description: 'E-mail one escalation notification over SMTP (text and HTML)',
  },
  deliver_webhook: {
    queue: 'notifications',
    priority: 8,
    description:
      'POST one signed escalation notification to a webhook through its circuit breaker, with retries',
  },
  process_command_ack: {
    queue: 'external_api',
    priority: 7,
    description: "Record a device's acknowledgement of a command",
  },
  maintain_history: {
    queue: 'maintenance',
    priority: 1,
    description:
      'Scheduled: create day partitions ahead, drop those past retention, purge old finished records',
  },
} as const satisfies Record<TaskName, TaskRoute>;

export const TASK_NAMES = Object.keys(TASK_ROUTES) as TaskName[];

/** BullMQ counts 1 as the highest priority; ours counts 10 as the highest. */
export function toBullPriority(priority: number): number {
  if (!Number.isInteger(priority) || priority < 0 || priority > 10) {
    throw new RangeError(`priority must be an integer 0-10, got ${priority}`);
  }
  return 11 - priority;
}

/** The route of a task; throws for a task that has none. */
export function routeFor(task: string): TaskRoute {
  const route = (TASK_ROUTES as Record<string, TaskRoute>)[task];
  if (!route) throw new Error(`no route for task "${task}"`);
  return route;
}
