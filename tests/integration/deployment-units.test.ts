/**
 * What an operator installs (README "Deploying"): the systemd units verify and
 * carry the restart policy and hardening, the environment template is
 * documented line by line and judged by `npm run check:config -- --env-file`,
 * and the production build of the server runs under plain node: no tsx
 * loader, only production dependencies.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerRun, resourcesOfConfig, type RegisteredRun } from '../../scripts/lib/run-registry';
import { buildServerBundle, ROLE_NODE_FLAGS, SERVER_BUNDLE } from '../../scripts/lib/server-bundle';
import type { Role } from '../../contract/charts';
import { CONFIG_VARIABLES, loadConfig } from '../../server/config';
import { randomBytes } from 'node:crypto';
import { generateFernetKey } from '../../server/security/fernet';
import { requireDebianTools, runTool } from '../helpers/debian-tools';
import { freePort } from '../helpers/ports';
import { mqttServerCredentials, requireServiceUrls, uniqueId } from '../helpers/services';
import { waitFor } from '../helpers/wait-for';

const ROOT = path.resolve(__dirname, '../..');
const SYSTEMD = path.join(ROOT, 'deploy/systemd');
const TEMPLATE = path.join(ROOT, 'deploy/watchfloor.env.example');
const ROLE_UNITS: Record<Role, string> = {
  web: 'watchfloor-web.service',
  ingest: 'watchfloor-ingest.service',
  worker: 'watchfloor-worker.service',
};
const urls = requireServiceUrls();

/** `npm run check:config -- --env-file <file>`, as an operator runs it. */
function checkConfig(file: string) {
  const result = spawnSync('npm', ['run', '-s', 'check:config', '--', '--env-file', file], {
    cwd: ROOT,
    encoding: 'utf8',
    // Only what npm and node need: the file must carry the rest.
    env: { PATH: process.env.PATH, HOME: process.env.HOME } as unknown as NodeJS.ProcessEnv,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/systemd', () => {
  const units = readdirSync(SYSTEMD).map((name) => path.join(SYSTEMD, name));

  beforeAll(() => requireDebianTools(['systemd-analyze']));

  it('has one unit per role and a target, and systemd-analyze verify has nothing to say', () => {
    expect(readdirSync(SYSTEMD).sort()).toEqual(
      [...Object.values(ROLE_UNITS), 'watchfloor.target'].sort(),
    );
    // A warning (an unknown key, a typo) is printed but exits 0: silence is the pass.
    expect(runTool('systemd-analyze', ['verify', ...units])).toBe('');
  });

  it.each(Object.entries(ROLE_UNITS))(
    'runs the %s role with the restart policy and hardening',
    (role, unit) => {
      const text = readFileSync(path.join(SYSTEMD, unit), 'utf8');
      for (const line of [
        `Environment=ROLES=${role}`,
        ['ExecStart=/usr/bin/node', ...ROLE_NODE_FLAGS[role as Role], 'dist/server.mjs'].join(' '),
        'Restart=always',
        'RestartSec=10s',
        'PrivateTmp=true',
        'NoNewPrivileges=true',
        'ProtectSystem=strict',
        'CapabilityBoundingSet=',
      ]) {
        expect(text.split('\n')).toContain(line);
      }
      // A flag this node does not know would stop the unit at every start (node exits 9).
      const flagsCheck = spawnSync('/usr/bin/node', [...ROLE_NODE_FLAGS[role as Role], '-e', ''], {
        encoding: 'utf8',
      });
      expect(flagsCheck.stderr).toBe('');
      expect(flagsCheck.status).toBe(0);
      // systemd's own score, 0 (locked down) to 10 (exposed): these stay in its "OK" band.
      const report = runTool('systemd-analyze', [
        'security',
        '--offline=true',
        path.join(SYSTEMD, unit),
      ]);
      const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(report)?.[1]);
      expect(exposure).toBeLessThanOrEqual(2);
    },
  );
});

describe('deploy/watchfloor.env.example', () => {
  const template = readFileSync(TEMPLATE, 'utf8');
  const lines = template.split('\n');
  const assignments = lines
    .map((line, index) => ({ line, index, name: /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] }))
    .filter((a) => a.name);

  it('documents every line and names only variables the server reads', () => {
    expect(assignments.length).toBeGreaterThan(20);
    for (const { index, name } of assignments) {
      // The line above is a comment, or another setting under the same comment.
      let above = index - 1;
      while (/^[A-Z][A-Z0-9_]*=/.test(lines[above]!)) above--;
      expect(lines[above], `${name} has no comment above it`).toMatch(/^# \S/);
      expect(CONFIG_VARIABLES.includes(name!) || /^PG[A-Z]+$/.test(name!), name).toBe(true);
    }
    expect(assignments.map((a) => a.name)).not.toContain('ROLES');
  });

  it('is refused by check:config, naming each placeholder left to fill', () => {
    const { status, output } = checkConfig(TEMPLATE);
    expect(status).toBe(1);
    const placeholders = assignments.filter((a) => /<[^<>@]+>/.test(a.line)).map((a) => a.name);
    expect(placeholders.length).toBeGreaterThanOrEqual(6);
    for (const name of placeholders) expect(output).toContain(`${name}: still a placeholder`);
  });

  it('passes check:config once filled in, and a misspelt variable fails it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wf-env-'));
    try {
      // The project's database, with the password beside the URL as the template says.
      const db = new URL(urls.databaseUrl);
      const password = decodeURIComponent(db.password);
      db.password = '';
      const filled = template
        .replace('<output of npm run keygen>', generateFernetKey())
        .replace(
          '<output of npm run keygen -- --session-secret>',
          randomBytes(48).toString('base64url'),
        )
        .replace(/^DATABASE_URL=.*$/m, `DATABASE_URL=${db.href}`)
        .replace('PGPASSWORD=<database password>', `PGPASSWORD=${password}`)
        .replace(/<[^<>@]+password>/g, 'Xy7pQ2mN9vR4tL8k');
      const file = path.join(dir, 'watchfloor.env');
      writeFileSync(file, filled);
      const ok = checkConfig(file);
      expect(ok.output).toContain('configuration OK for production');
      expect(ok.status).toBe(0);

      writeFileSync(file, `${filled}\nMQTT_SESION_EXPIRY_S=60\n`);
      const typo = checkConfig(file);
      expect(typo.status).toBe(1);
      expect(typo.output).toContain('MQTT_SESION_EXPIRY_S: unknown variable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the production build of the server', () => {
  let child: ChildProcess | undefined;
  let run: RegisteredRun | undefined;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    await run?.release();
  });

  it('bundles with production dependencies only and starts under plain node', async () => {
    const { externals } = await buildServerBundle();
    expect(externals).toContain('next');
    expect(externals).not.toContain('tsx');

    const metricsPort = await freePort();
    const id = uniqueId('wft-bundle');
    const env: Record<string, string> = {
      WATCHFLOOR_ENV: 'test',
      // Pages need `next build` (the e2e suite's); the roles without them prove the bundle.
      ROLES: 'ingest,worker',
      METRICS_PORT: String(metricsPort),
      DATABASE_URL: urls.databaseUrl,
      REDIS_URL: urls.redisUrl,
      MQTT_URL: urls.mqttUrl,
      QUEUE_PREFIX: id,
      EVENT_CHANNEL_PREFIX: `${id}:events`,
      MQTT_CLIENT_ID: id,
      MQTT_SHARE_GROUP: id,
      MQTT_INGEST_CONNECTIONS: '1',
      MQTT_SESSION_EXPIRY_S: '60',
      ...mqttServerCredentials(),
    };
    const config = loadConfig(env);
    run = await registerRun(
      {
        redisUrl: urls.redisUrl,
        mqtt: { url: urls.mqttUrl, username: config.MQTT_USERNAME, password: config.MQTT_PASSWORD },
      },
      { id, kind: 'integration', ...resourcesOfConfig(config) },
    );
    // Plain node with the ingest unit's flags, no loader, nothing inherited (NODE_OPTIONS could smuggle tsx in).
    const server = spawn('/usr/bin/node', [...ROLE_NODE_FLAGS.ingest, SERVER_BUNDLE], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = server;
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const health = await waitFor(
      async () => {
        if (server.exitCode !== null)
          throw new Error(`the bundle exited ${server.exitCode}:\n${output}`);
        const response = await fetch(`http://127.0.0.1:${metricsPort}/healthz`).catch(() => null);
        if (!response?.ok) return false;
        return (await response.json()) as { status: string };
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the bundled server healthy' },
    );
    expect(health.status).toBe('ok');
    expect(output).toContain('"msg":"watchfloor started"');
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('watchfloor_queue_depth');

    server.kill('SIGTERM');
    const code = await new Promise((resolve) => server.once('exit', resolve));
    expect(code).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});
