/**
 * deploy/prometheus for real: Debian's Prometheus (installed by the bootstrap
 * when missing) runs the shipped configuration and rules, scraping a running
 * Watchfloor on its METRICS_PORT as web, ingest and worker; its HTTP API must
 * show the named metrics and the latency histograms, and every rule evaluated
 * without error. promtool checks the configuration and the rules and runs the
 * rules' unit tests; every rule expression and every query of the Grafana
 * dashboard must name only metrics Watchfloor exposes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../server/metrics/metrics';
import { requireDebianTools, runTool } from '../helpers/debian-tools';
import { createSiteWithGuard, removeSite } from '../helpers/fixtures';
import { INGEST_READY, startTestApp, type TestApp } from '../helpers/in-process-app';
import { freePort } from '../helpers/ports';
import { promqlMetricNames } from '../helpers/promql-metric-names';
import { mqttPublisherOptions, requireServiceUrls, uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

const DEPLOY = path.resolve(__dirname, '../../deploy');
const ROLES = ['web', 'ingest', 'worker'] as const;

/**
 * The thirteen counters the seed names (issue 3, point 7), the gauges an
 * operator alerts on, and the three latency histograms: each must reach
 * Prometheus. A labelled counter has no series until it counts, so the test
 * publishes one message of each kind and one the ingest refuses.
 */
const NAMED_METRICS = [
  'mqtt_subscriber_connected_total',
  'mqtt_subscriber_connection_failed_total',
  'mqtt_subscriber_message_processed_total',
  'mqtt_subscriber_rejected_topic_total',
  'mqtt_subscriber_invalid_payload_total',
  'mqtt_subscriber_processing_error_total',
  'mqtt_device_telemetry_processed_total',
  'mqtt_device_low_battery_total',
  'mqtt_guard_gps_processed_total',
  'mqtt_sensor_data_processed_total',
  'mqtt_sensor_critical_alert_total',
  'mqtt_critical_alert_processed_total',
  'mqtt_system_health_processed_total',
  'watchfloor_queue_depth',
  'watchfloor_queue_oldest_waiting_age_seconds',
  'watchfloor_redis_used_memory_bytes',
  'watchfloor_database_size_bytes',
  'watchfloor_command_breaker_state',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_p99_seconds',
];
const HISTOGRAMS = [
  'watchfloor_receipt_to_enqueued_seconds',
  'watchfloor_enqueued_to_committed_seconds',
  'watchfloor_committed_to_broadcast_seconds',
];

const urls = requireServiceUrls();
const siteId = uniqueId('site');
const guardId = uniqueId('guard');
/** The device, sensor and component of the other kinds: unknown ones are registered unassigned. */
const deviceId = uniqueId('prom-dev');
const sensorId = uniqueId('prom-sensor');
let workDir: string;
let prometheus: ChildProcess | undefined;
let prometheusLog = '';
let api: string;
let app: TestApp;
let pool: pg.Pool;
let publisher: MqttClient;

/** A GET on Prometheus's HTTP API; throws on anything but status "success". */
async function query<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${api}${pathAndQuery}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${pathAndQuery}: ${body.error}`);
  return body.data;
}

/** Every metric Watchfloor can expose: its registry, histograms with their series suffixes. */
function exposedMetricNames(): Set<string> {
  const names = new Set(['up']); // Prometheus's own per-target series, which the rules read.
  for (const metric of createMetrics().registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram' || type === 'summary') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    }
  }
  return names;
}

beforeAll(async () => {
  requireDebianTools(['prometheus', 'promtool']);
  pool = new pg.Pool({ connectionString: urls.databaseUrl, max: 2 });
  await createSiteWithGuard(pool, { siteId, guardId });
  const metricsPort = await freePort();
  app = await startTestApp({ METRICS_PORT: String(metricsPort) });

  // The shipped configuration as it is, with this app as every role's target
  // and a 1 s interval (15 s would make the test wait for its first scrape).
  workDir = mkdtempSync(path.join(tmpdir(), 'wf-prometheus-'));
  cpSync(path.join(DEPLOY, 'prometheus'), workDir, { recursive: true });
  const configFile = path.join(workDir, 'prometheus.yml');
  const shipped = readFileSync(configFile, 'utf8');
  const fast = shipped.replace(/^( {2}(scrape|evaluation)_interval:) 15s$/gm, '$1 1s');
  expect(fast.match(/ 1s$/gm)).toHaveLength(2);
  writeFileSync(configFile, fast);
  for (const role of ROLES) {
    writeFileSync(
      path.join(workDir, 'targets', `${role}.json`),
      JSON.stringify([{ targets: [`127.0.0.1:${metricsPort}`], labels: {} }]),
    );
  }
  const port = await freePort();
  api = `http://127.0.0.1:${port}/api/v1`;
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stderr!.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
  prometheus.stdout!.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
  await waitFor(
    () =>
      fetch(`http://127.0.0.1:${port}/-/ready`).then(
        (r) => r.ok,
        () => false,
      ),
    { timeoutMs: 30_000, intervalMs: 200, what: `Prometheus ready (log:\n${prometheusLog})` },
  );

  // One message of each kind through the pipeline, and one refused by validation,
  // so the labelled counters and the histograms have samples.
  await waitFor(() => app.logs.some((l) => l.msg === INGEST_READY), { what: 'the ingest' });
  publisher = await mqtt.connectAsync(urls.mqttUrl, {
    clientId: uniqueId('pub'),
    protocolVersion: 5,
    ...mqttPublisherOptions(),
  });
  const ts = Date.now();
  const messages: [topic: string, payload: object][] = [
    [`guard/${guardId}/gps`, { lat: 51.2206, lon: 4.4026, accuracy: 5 }],
    [`device/${deviceId}/telemetry`, { battery: 80 }],
    [`sensor/${sensorId}/reading`, { kind: 'temperature', value: 21.5 }],
    [`alert/${deviceId}/tamper`, { message: 'prometheus test' }],
    [`system/${deviceId}/health`, { status: 'ok' }],
    // Refused (an unknown field): counted by mqtt_subscriber_invalid_payload_total.
    [`guard/${guardId}/gps`, { lat: 51.2206, lon: 4.4026, accuracy: 5, altitude: 12 }],
  ];
  for (const [topic, payload] of messages) {
    const message = { ...payload, ts, msgId: uniqueId('m') };
    await publisher.publishAsync(topic, JSON.stringify(message), { qos: 1 });
  }
}, 180_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await publisher?.endAsync();
  await app?.stop();
  if (pool) {
    // Telemetry and readings go with their device and sensor (cascade), positions with the guard.
    await pool.query(`DELETE FROM alerts WHERE device_id = $1`, [deviceId]);
    await pool.query(`DELETE FROM system_health_reports WHERE component = $1`, [deviceId]);
    await pool.query(`DELETE FROM component_health WHERE component = $1`, [deviceId]);
    await pool.query(`DELETE FROM devices WHERE id = $1`, [deviceId]);
    await pool.query(`DELETE FROM sensors WHERE id = $1`, [sensorId]);
    await removeSite(pool, siteId);
    await pool.end();
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('deploy/prometheus against a running Watchfloor', () => {
  it('scrapes every role, up', async () => {
    const targets = await waitFor(
      async () => {
        const data = await query<{
          activeTargets: { labels: Record<string, string>; health: string; lastError: string }[];
        }>('/targets?state=active');
        const up = data.activeTargets.filter((t) => t.health === 'up');
        return up.length === ROLES.length ? data.activeTargets : false;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'every target up' },
    );
    expect(targets.map((t) => t.labels.role).sort()).toEqual([...ROLES].sort());
  });

  it('holds the named metrics and the latency histograms, with samples', async () => {
    const wanted = [...NAMED_METRICS, ...HISTOGRAMS.map((h) => `${h}_bucket`)];
    const names = await waitFor(
      async () => {
        const all = await query<string[]>('/label/__name__/values');
        return wanted.every((n) => all.includes(n)) ? all : false;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: `every named metric in Prometheus` },
    ).catch(async (error: Error) => {
      const all = await query<string[]>('/label/__name__/values');
      throw new Error(`${error.message}; missing: ${wanted.filter((n) => !all.includes(n))}`);
    });
    expect(names).toEqual(expect.arrayContaining(wanted));
    // The fix went through ingest and storage: both stages' histograms counted it.
    for (const histogram of HISTOGRAMS.slice(0, 2)) {
      await waitFor(
        async () => {
          const data = await query<{ result: { value: [number, string] }[] }>(
            `/query?query=${encodeURIComponent(`max(${histogram}_count{role="worker"})`)}`,
          );
          return Number(data.result[0]?.value[1] ?? 0) > 0;
        },
        { timeoutMs: 30_000, intervalMs: 500, what: `an observation in ${histogram}` },
      );
    }
  });

  it('loads every alerting rule and evaluates it without error', async () => {
    const rules = await waitFor(
      async () => {
        const data = await query<{
          groups: { rules: { name: string; health: string; lastError?: string }[] }[];
        }>('/rules?type=alert');
        const all = data.groups.flatMap((g) => g.rules);
        return all.length > 0 && all.every((r) => r.health !== 'unknown') ? all : false;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'every rule evaluated' },
    );
    expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
    expect(rules.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'WatchfloorRoleDown',
        'WatchfloorIngestRefusingBurst',
        'WatchfloorBacklogGrowing',
        'WatchfloorOldestJobWaiting',
        'WatchfloorCriticalLaneSlow',
        'WatchfloorCommandBreakerOpen',
        'WatchfloorRedisMemoryHigh',
      ]),
    );
  });
});

describe('promtool and the metric names', () => {
  const dir = path.join(DEPLOY, 'prometheus');

  it('passes promtool check config, check rules and the rules unit tests', () => {
    expect(runTool('promtool', ['check', 'config', 'prometheus.yml'], dir)).toMatch(/SUCCESS/);
    expect(runTool('promtool', ['check', 'rules', 'rules/watchfloor.rules.yml'], dir)).toMatch(
      /SUCCESS: 13 rules found/,
    );
    expect(runTool('promtool', ['test', 'rules', 'rules/watchfloor.rules.test.yml'], dir)).toMatch(
      /SUCCESS/,
    );
  });

  it('names in every rule and every dashboard query only metrics Watchfloor exposes', async () => {
    const exposed = exposedMetricNames();
    // The rules' expressions as Prometheus parsed them from the shipped file.
    const data = await query<{ groups: { rules: { query: string }[] }[] }>('/rules');
    const ruleExprs = data.groups.flatMap((g) => g.rules.map((r) => r.query));
    expect(ruleExprs).toHaveLength(13);

    const dashboard = JSON.parse(
      readFileSync(path.join(DEPLOY, 'grafana/watchfloor.json'), 'utf8'),
    );
    const dashboardExprs: string[] = [
      ...dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) =>
        (p.targets ?? []).map((t) => t.expr),
      ),
      ...dashboard.templating.list
        .filter((v: { type: string }) => v.type === 'query')
        .map((v: { query: { query: string } }) => v.query.query),
    ];
    expect(dashboardExprs.length).toBeGreaterThan(20);

    const unknown: string[] = [];
    for (const expr of [...ruleExprs, ...dashboardExprs]) {
      const names = promqlMetricNames(expr);
      expect(names.length, `no metric found in ${expr}`).toBeGreaterThan(0);
      for (const name of names) if (!exposed.has(name)) unknown.push(`${name} (in ${expr})`);
    }
    expect(unknown).toEqual([]);
  });
});
