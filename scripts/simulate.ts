/**
 * `npm run simulate -- --guards N --rate R [--mix realistic|gps] [--qos 1]
 *   [--auth device|bulk] [--connections 4] [--alert-every S] [--garbage-per-second G] [--duration S]`
 * Simulates the seeded sites' devices until Ctrl-C (or --duration).
 *
 * --auth device (default): every device connects as itself (MQTT_DEVICE_SECRET) and
 * answers commands; the broker must know each one (the local stack provisions the demo's).
 * --auth bulk: --connections connections as the local-only simulator user, for
 * benchmark scale (thousands of invented devices); commands are not answered.
 *
 * npm runs it with tsx as a loader (node --import tsx), not the tsx CLI: the
 * CLI's signal relay killed it on Ctrl-C before it could stop cleanly.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../server/config';
import { listGuards } from '../server/guards/queries';
import { listSites } from '../server/sites/queries';
import { withLocalStackCredentials } from './lib/local-stack-env';
import { simulatorAuthFromEnv } from './simulator/auth-from-env';
import { startSimulator } from './simulator/simulator';

const { values } = parseArgs({
  options: {
    guards: { type: 'string', default: '12' },
    rate: { type: 'string', default: '1' },
    qos: { type: 'string', default: '1' },
    auth: { type: 'string', default: 'device' },
    connections: { type: 'string', default: '4' },
    mix: { type: 'string', default: 'realistic' },
    'alert-every': { type: 'string', default: '120' },
    'garbage-per-second': { type: 'string', default: '0.2' },
    duration: { type: 'string' },
  },
});

function positiveNumber(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
  const [sites, knownGuards] = await Promise.all([listSites(pool), listGuards(pool)]);
  await pool.end();

  const qos = Number(values.qos);
  if (qos !== 0 && qos !== 1 && qos !== 2) throw new Error('--qos must be 0, 1 or 2');
  const mix = values.mix;
  if (mix !== 'realistic' && mix !== 'gps') throw new Error('--mix must be realistic or gps');
  const authMode = values.auth;
  if (authMode !== 'device' && authMode !== 'bulk')
    throw new Error('--auth must be device or bulk');
  // Beside the local stack its credentials need no exporting; a broker elsewhere needs them set.
  const auth = simulatorAuthFromEnv(
    authMode,
    withLocalStackCredentials(process.env),
    Math.round(positiveNumber('connections', values.connections)),
  );
  const guards = Math.round(positiveNumber('guards', values.guards));
  const rate = positiveNumber('rate', values.rate);
  const sim = await startSimulator({
    mqttUrl: config.MQTT_URL,
    auth,
    sites,
    knownGuards,
    guards,
    rate,
    qos,
    mix,
    alertEverySeconds: positiveNumber('alert-every', values['alert-every']),
    garbagePerSecond: Number(values['garbage-per-second']) || 0,
  });
  console.log(
    `simulating ${guards} guards at ${rate} fix/s each (${guards * rate} msg/s) on ${sites.length} sites, ${authMode} auth`,
  );

  let last = sim.stats();
  const report = setInterval(() => {
    const s = sim.stats();
    console.log(
      `published ${s.published} (+${((s.published - last.published) / 5).toFixed(0)}/s), acknowledged ${s.acknowledged}, failed ${s.failed}, commands answered ${s.commandsAnswered}`,
    );
    last = s;
  }, 5000);

  const stop = async () => {
    clearInterval(report);
    const s = await sim.stop();
    console.log(
      `stopped: published ${s.published}, acknowledged ${s.acknowledged}, failed ${s.failed}`,
    );
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (values.duration)
    setTimeout(() => void stop(), positiveNumber('duration', values.duration) * 1000);
}

main().catch((error: Error) => {
  console.error(`simulator failed: ${error.message}`);
  process.exit(1);
});
