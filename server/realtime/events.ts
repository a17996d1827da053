/**
 * The typed event contract between the server and browsers: every Socket.IO
 * event name and payload lives here. Client code imports it type-only, plus
 * the SERVER_EVENTS constants (plain strings, no server code).
 */

/** A guard's latest position as the map shows it. */
export interface GuardPositionDto {
  guardId: string;
  siteId: string | null;
  lat: number;
  lon: number;
  /** ISO 8601 time of the fix on the device. */
  fixAt: string;
  accuracyM: number;
  speedMps: number | null;
  headingDeg: number | null;
}

export interface GuardDto {
  id: string;
  name: string;
  siteId: string | null;
  position: GuardPositionDto | null;
  /** on_duty, patrolling, break, off_duty; null when the guard's app never said. */
  dutyStatus: string | null;
  /** From the guard's device telemetry (percent, dBm); null when unknown. */
  battery: number | null;
  signalDbm: number | null;
  /** The signal when the device reports it as a percentage rather than dBm. */
  signalPercent: number | null;
  /** ISO 8601: the last message of any kind from the guard's device (or its last fix). */
  lastSeenAt: string | null;
}

export interface SiteDto {
  id: string;
  name: string;
  /** GeoJSON Polygon in lon,lat order. */
  geofence: { type: 'Polygon'; coordinates: number[][][] };
}

export type AlertSeverity = 'critical' | 'high' | 'medium' | 'low';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

/** An alert as screens show it; `message` is inert text, to be rendered as text only. */
export interface AlertDto {
  id: string;
  /** sos, man_down, panic, tamper, intrusion, fire, medical, geofence_exit, geofence_enter, sensor_threshold, low_battery */
  type: string;
  severity: AlertSeverity;
  status: AlertStatus;
  message: string | null;
  siteId: string | null;
  guardId: string | null;
  deviceId: string | null;
  sensorId: string | null;
  location: { lat: number; lon: number } | null;
  /** ISO 8601: when the device (or rule) raised it. */
  raisedAt: string;
  receivedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: { id: string; name: string } | null;
  resolvedAt: string | null;
  resolvedBy: { id: string; name: string } | null;
  resolution: string | null;
  /**
   * false: storing the alert failed for good (it waits in the failed set with
   * its error); pushed anyway so no SOS stays unseen, but it has no row to
   * acknowledge or resolve. Absent on stored alerts.
   */
  stored?: false;
  /** ISO 8601: when a step of its escalation beyond the first fired (screens show "escalated"). */
  escalatedAt: string | null;
}

/** A guard's duty status as the guard's app reported it. */
export interface GuardStatusDto {
  guardId: string;
  siteId: string | null;
  /** on_duty, patrolling, break, off_duty */
  dutyStatus: string;
  at: string;
}

/** A device's latest telemetry. */
export interface DeviceStatusDto {
  deviceId: string;
  guardId: string | null;
  siteId: string | null;
  battery: number;
  signalDbm: number | null;
  /** The signal when the device reports it as a percentage rather than dBm. */
  signalPercent: number | null;
  charging: boolean | null;
  lastSeenAt: string;
}

/** Online, stale, offline: the guards' rules applied to a device's last message (fleet-rules.ts). */
export type DeviceState = 'online' | 'stale' | 'offline';

/** A device as the devices tab and the admin page list it (GET /api/devices). */
export interface DeviceDto {
  id: string;
  /** The guard carrying it, or null for a device installed at a place (its site). */
  guard: { id: string; name: string } | null;
  /** Its own site, else its guard's. */
  siteId: string | null;
  battery: number | null;
  /** Battery of its oldest report in the last 24 h: the trend's baseline; null with none. */
  batteryDayAgo: number | null;
  signalDbm: number | null;
  /** The signal when the device reports it as a percentage rather than dBm. */
  signalPercent: number | null;
  charging: boolean | null;
  firmware: string | null;
  /** ISO 8601: the newest of `seen`'s times (fleet-rules.ts deviceLastSeen); null: never heard from. */
  lastSeenAt: string | null;
  /** When each source last heard of the device; screens move these forward live. */
  seen: DeviceSeenDto;
}

/**
 * The sources of a device's last seen, ISO 8601 or null: its own telemetry, a GPS fix of the
 * guard it is linked to (devices.guard_id), a health report of the field component with its id.
 */
export interface DeviceSeenDto {
  telemetryAt: string | null;
  fixAt: string | null;
  healthAt: string | null;
}

/** GET /api/devices: the list plus what screens need to judge it the way the server did. */
export interface DeviceListDto {
  devices: DeviceDto[];
  /** Devices that matched before the limit cut the list. */
  total: number;
  /** At or below this, a battery is low (LOW_BATTERY_PERCENT). */
  lowBatteryPercent: number;
  staleAfterMs: number;
  offlineAfterMs: number;
  serverTime: string;
}

/** A sensor's latest reading, as pushed live (batched, latest per sensor). */
export interface SensorReadingDto {
  sensorId: string;
  siteId: string | null;
  value: number;
  unit: string | null;
  readAt: string;
  inAlarm: boolean;
}

/** A sensor as the sensors tab and the map's sensor layer show it (GET /api/sensors). */
export interface SensorDto {
  id: string;
  /** temperature, humidity, smoke, co2, door, motion, water_leak, glass_break, ... */
  kind: string;
  siteId: string | null;
  /** Where it is installed; null: not on the map. */
  location: { lat: number; lon: number } | null;
  lastValue: number | null;
  unit: string | null;
  lastReadAt: string | null;
  inAlarm: boolean;
  /** Its kind's alarm threshold (server/sensors/thresholds.ts); null: the kind never alarms. */
  threshold: { atOrAbove: number; clearBelow: number } | null;
  /** The latest threshold alert it raised, to link to; null when it never raised one. */
  alert: { id: string; status: AlertStatus; raisedAt: string } | null;
  /** The last hour from PostgreSQL: [epoch ms of the minute, highest value in it], oldest first. */
  spark: [number, number][];
}

/** GET /api/sensors. */
export interface SensorListDto {
  sensors: SensorDto[];
  serverTime: string;
}

/** A field component's (gateway, edge box) latest self-reported health, from system/<id>/health. */
export interface ComponentHealthDto {
  component: string;
  /** The site of the device with the component's id (its broker user); null: admins only. */
  siteId: string | null;
  status: 'ok' | 'degraded' | 'down';
  detail: string | null;
  metrics: Record<string, number> | null;
  reportedAt: string;
}

/** One past report of a field component, newest first in FieldComponentDto.history. */
export interface ComponentReportDto {
  status: ComponentHealthDto['status'];
  detail: string | null;
  reportedAt: string;
}

/** A field component as the charts tab lists it (GET /api/components). */
export interface FieldComponentDto extends ComponentHealthDto {
  /** Its usual gap between reports (median of the recent ones), or the default. */
  expectedIntervalMs: number;
  /** Its latest reports, newest first, at most COMPONENT_HISTORY_LENGTH. */
  history: ComponentReportDto[];
}

/** A component silent for this many expected intervals is flagged silent. */
export const COMPONENT_SILENT_AFTER_INTERVALS = 2;
/** The expected interval of a component with too few reports to tell its own. */
export const COMPONENT_DEFAULT_INTERVAL_MS = 60_000;
/** How many past reports a field component carries to the screen. */
export const COMPONENT_HISTORY_LENGTH = 20;

/** Who is looking at a screen, so it shows only what they may do (the server checks again). */
export interface ViewerDto {
  name: string;
  role: 'admin' | 'supervisor' | 'viewer';
  /** May acknowledge and resolve alerts (not viewers, not wall kiosks). */
  canAct: boolean;
}

/** Display settings from the server's config: screens never read the environment. */
export interface ScreenSettingsDto {
  /** XYZ tile template, or null for none (screens then draw a neutral grid). */
  tileUrl: string | null;
  tileAttribution: string | null;
  /** No fix for this long: stale. */
  staleAfterMs: number;
  /** Nothing at all for this long: offline. */
  offlineAfterMs: number;
}

/** One queue's state at a sample. */
export interface QueueSampleDto {
  /** waiting + prioritized + delayed */
  depth: number;
  active: number;
  failed: number;
  /** Jobs completed per second since the previous sample. */
  completedPerSec: number;
}

/** One process of the deployment as the web node last heard of it. */
export interface ProcessHealthDto {
  id: string;
  host: string;
  pid: number;
  /** web, ingest, worker: what this process runs. */
  roles: string[];
  /** gone: its reports stopped (stopped or crashed); it no longer counts in the charts. */
  state: 'live' | 'gone';
  /** Its components that report a problem (role.component), empty when healthy. */
  down: string[];
  /** p99 event-loop delay over its last report interval. */
  eventLoopLagMs: number;
  /** Epoch ms (web node clock) of its latest report. */
  lastReportAt: number;
}

/** One sample of the dashboard charts (rates are per second over the previous interval). */
export interface ChartSampleDto {
  /** Epoch ms. */
  t: number;
  ingestPerSec: Record<string, number>;
  queues: Record<string, QueueSampleDto>;
  /** Enqueued-to-committed latency in ms over the interval; null with no jobs. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  rejectedPerSec: Record<string, number>;
  /** Every process's share is summed in: ingest and workers may run in other processes. */
  health: {
    /** null: no ingest process reports. */
    mqtt: boolean | null;
    redis: boolean;
    postgres: boolean;
    workers: boolean;
    /** p99 event-loop delay of the web node over the interval. */
    eventLoopLagMs: number;
  };
  devicesOffline: number;
  /** Every process of the deployment, by role; gone ones stay listed for a while. */
  processes: ProcessHealthDto[];
}

/** The charts' history (oldest first) as GET /api/charts serves it. */
export interface ChartHistoryDto {
  intervalMs: number;
  samples: ChartSampleDto[];
}

/** One guard's stored path for history replay. */
export interface GuardPathDto {
  guardId: string;
  name: string;
  /** Oldest first: [epoch ms, lat, lon]. */
  points: [number, number, number][];
}

/** Everything a screen needs to draw itself from nothing. */
export interface SnapshotDto {
  sites: SiteDto[];
  guards: GuardDto[];
  /** Alerts not yet resolved, newest first. */
  openAlerts: AlertDto[];
  settings: ScreenSettingsDto;
  /** Set per connection by the socket layer; absent until then. */
  viewer?: ViewerDto;
  serverTime: string;
}

/** The longest text message a command may carry to a guard's device. */
export const COMMAND_TEXT_MAX_LENGTH = 500;

/** A device command and how far it got (server/commands). */
export interface CommandDto {
  id: string;
  targetKind: 'guard' | 'device';
  targetId: string;
  siteId: string | null;
  type: 'locate' | 'message' | 'sos_ack';
  /** Arguments of the type (message text, alert id): inert text for screens. */
  payload: Record<string, unknown>;
  status: 'queued' | 'sent' | 'acknowledged' | 'failed';
  requestedBy: { id: string; name: string } | null;
  createdAt: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
  failedAt: string | null;
  error: string | null;
  publishAttempts: number;
}

/**
 * Whether one worker process can hand commands to the broker right now: its
 * publisher's breaker state, without the failure text (that is for admins).
 * While any is open, screens say commands are waiting (they are kept, not lost).
 */
export interface CommandDeliveryDto {
  /** host:pid of the worker process. */
  owner: string;
  state: BreakerDto['state'];
  since: string;
}

/** A circuit breaker's state as one process reported it. */
export interface BreakerDto {
  name: string;
  /** host:pid of the process that owns it. */
  owner: string;
  state: 'closed' | 'open' | 'half_open' | 'isolated';
  /** ISO 8601: when it entered this state. */
  since: string;
  /** Times it opened since the process started. */
  opens: number;
  /** Failures in a row that last opened it from closed (its threshold at work). */
  failuresToOpen: number | null;
  /** Last failure that counted against it, as text. */
  lastFailure: string | null;
  reportedAt: string;
}

/** One row of the route table with its last hour (admin page). */
export interface RouteStatsDto {
  task: string;
  queue: string;
  /** 0-10, 10 the most urgent (server/queues/routes.ts). */
  priority: number;
  /** The BullMQ priority it maps to (1 the highest). */
  bullPriority: number;
  /** The handler's source file. */
  handler: string;
  description: string;
  processedLastHour: number;
  failedLastHour: number;
  /** p95 processing time over the last hour, ms; null with no jobs. */
  p95Ms: number | null;
}

/** A worker attached to a queue, from its Redis client name. */
export interface WorkerDto {
  host: string;
  pid: number | null;
  concurrency: number | null;
  /** Seconds since its connection was opened. */
  ageSeconds: number | null;
}

export const JOB_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'completed',
  'failed',
  'paused',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One queue's counts, throughput and workers (admin page). */
export interface QueueStatsDto {
  name: string;
  paused: boolean;
  counts: Record<JobState, number>;
  /** Jobs completed per minute over the last 5 minutes. */
  throughputPerMin: number;
  workers: WorkerDto[];
}

/** What the admin page shows, pushed every ADMIN_PUSH_MS to the admin room. */
export interface AdminStatsDto {
  at: string;
  routes: RouteStatsDto[];
  queues: QueueStatsDto[];
  breakers: BreakerDto[];
}

/** One day partition of a history table (admin storage view). */
export interface StoragePartitionDto {
  name: string;
  /** The UTC day it holds (yyyy-mm-dd); null for a partition made by hand. */
  day: string | null;
  bytes: number;
  /** PostgreSQL's estimate; null before the partition was first analyzed. */
  rowEstimate: number | null;
  /** When the maintenance job may drop it (ISO); null for a partition it does not manage. */
  dropDueAt: string | null;
}

/** One table's storage and retention (admin storage view). */
export interface StorageTableDto {
  table: string;
  /** 'partitions': dropped a day partition at a time; 'rows': finished rows purged in batches. */
  retentionBy: 'partitions' | 'rows';
  retentionDays: number;
  /** Table and indexes, all partitions together. */
  bytes: number;
  rowEstimate: number | null;
  /** Event time of the oldest and newest row (ISO); null when empty. */
  oldest: string | null;
  newest: string | null;
  /** The next partition to go and when it becomes due; null when none holds data yet. */
  nextDrop: { partition: string; dueAt: string } | null;
  partitions: StoragePartitionDto[];
}

/** The admin storage view, pushed every ADMIN_STORAGE_PUSH_MS to the admin room. */
export interface StorageDto {
  at: string;
  databaseBytes: number;
  /** The maintenance job's next scheduled run (ISO); null when it is not scheduled. */
  nextMaintenanceAt: string | null;
  tables: StorageTableDto[];
}

export const SERVER_EVENTS = {
  snapshot: 'snapshot',
  guardPositions: 'guard:positions',
  /** A new alert, or a change to one (acknowledged, resolved). */
  alert: 'alert:changed',
  guardStatus: 'guard:status',
  /** Coalesced: the latest status per device since the previous batch (FLEET_FLUSH_MS). */
  devicesStatus: 'devices:status',
  /** Coalesced: the latest reading per sensor since the previous batch (FLEET_FLUSH_MS). */
  sensorReadings: 'sensors:reading',
  componentHealth: 'component:health',
  /** A new sample of the dashboard charts, every CHART_SAMPLE_MS (not site-scoped). */
  chartSample: 'charts:sample',
  /** A device command changed state (queued, sent, acknowledged, failed): to its site's command room. */
  command: 'command:changed',
  /** A worker's command publisher opened or closed its breaker: to the commanders room. */
  commandDelivery: 'command:delivery',
  /** Route and queue statistics, every ADMIN_PUSH_MS, to the admin room only. */
  adminStats: 'admin:stats',
  /** Storage per table and partition with retention, every ADMIN_STORAGE_PUSH_MS, to the admin room. */
  adminStorage: 'admin:storage',
} as const;

export interface ServerToClientEvents {
  [SERVER_EVENTS.snapshot]: (snapshot: SnapshotDto) => void;
  /** Coalesced: the latest fix per guard since the previous batch. */
  [SERVER_EVENTS.guardPositions]: (positions: GuardPositionDto[]) => void;
  [SERVER_EVENTS.alert]: (alert: AlertDto) => void;
  [SERVER_EVENTS.guardStatus]: (status: GuardStatusDto) => void;
  [SERVER_EVENTS.devicesStatus]: (statuses: DeviceStatusDto[]) => void;
  [SERVER_EVENTS.sensorReadings]: (readings: SensorReadingDto[]) => void;
  /** To the component's site room (unassigned: admins only). */
  [SERVER_EVENTS.componentHealth]: (health: ComponentHealthDto) => void;
  [SERVER_EVENTS.chartSample]: (sample: ChartSampleDto) => void;
  [SERVER_EVENTS.command]: (command: CommandDto) => void;
  [SERVER_EVENTS.commandDelivery]: (delivery: CommandDeliveryDto) => void;
  [SERVER_EVENTS.adminStats]: (stats: AdminStatsDto) => void;
  [SERVER_EVENTS.adminStorage]: (storage: StorageDto) => void;
}

export type ClientToServerEvents = Record<string, never>;

/** The room only admins join: queue inspection and route statistics. */
export const ADMIN_ROOM = 'admin';

/** The room that receives fleet-wide chart samples (socket-auth.ts mayWatchFleet says who). */
export const CHARTS_ROOM = 'charts';

/** The room of users who may send device commands (supervisors and admins, never kiosks). */
export const COMMANDERS_ROOM = 'commanders';

/** The room that carries one site's events; guards with no site share one room. */
export function siteRoom(siteId: string | null): string {
  return siteId === null ? 'site:unassigned' : `site:${siteId}`;
}

/**
 * The room of one site's device commands: only those who may send commands
 * there join it, so a viewer's or a wall's browser never receives the text of
 * a message sent to a guard.
 */
export function siteCommandRoom(siteId: string | null): string {
  return `${siteRoom(siteId)}:commands`;
}

/**
 * Events that cross Redis from workers to web nodes (server-internal). The
 * web node turns them into the Socket.IO events above.
 */
export const CHANNEL_EVENTS = {
  guardPosition: 'guard.position',
  alert: 'alert.changed',
  guardStatus: 'guard.status',
  deviceStatus: 'device.status',
  sensorReading: 'sensor.reading',
  componentHealth: 'component.health',
  command: 'command.changed',
  commandDelivery: 'command.delivery',
  /**
   * A user's or wall token's access changed (role, sites, password, disabled,
   * deleted, revoked): every web node re-checks that principal's sockets now
   * instead of at the next periodic sweep.
   */
  credentialsChanged: 'credentials.changed',
} as const;

export type ChannelEvent = (
  | { type: typeof CHANNEL_EVENTS.guardPosition; payload: GuardPositionDto }
  | { type: typeof CHANNEL_EVENTS.alert; payload: AlertDto }
  | { type: typeof CHANNEL_EVENTS.guardStatus; payload: GuardStatusDto }
  | { type: typeof CHANNEL_EVENTS.deviceStatus; payload: DeviceStatusDto }
  | { type: typeof CHANNEL_EVENTS.sensorReading; payload: SensorReadingDto }
  | { type: typeof CHANNEL_EVENTS.componentHealth; payload: ComponentHealthDto }
  | { type: typeof CHANNEL_EVENTS.command; payload: CommandDto }
  | { type: typeof CHANNEL_EVENTS.commandDelivery; payload: CommandDeliveryDto }
  | { type: typeof CHANNEL_EVENTS.credentialsChanged; payload: { principalId: string } }
) & {
  /** Epoch ms when the rows behind the event committed (committed -> broadcast latency). */
  committedAt?: number;
};
