/**
 * A Mosquitto of a test's own, on a free port with persistence in a temp dir,
 * rendered from deploy/mosquitto/watchfloor.conf.template with the committed
 * ACL (deploy/mosquitto/acl) and fresh passwords: a test may stop and start it
 * without touching the shared broker other developers' runs use.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { renderMosquittoConfig, wantedAcl } from '../../scripts/stack/mosquitto';
import { ensureSelfSignedCert } from '../../scripts/stack/tls-cert';
import {
  devicePassword,
  loadOrCreateMqttCredentials,
  passwordFileLines,
  type MqttCredentials,
} from '../../scripts/stack/mqtt-credentials';
import { waitFor } from './wait-for';
import { freePort, portOpen } from './ports';

export interface PrivateMosquitto {
  url: string;
  /** The TLS listener (self-signed certificate: trust `caFile`). */
  tlsUrl: string;
  caFile: string;
  credentials: MqttCredentials;
  /** The broker password of a device id (its username). */
  devicePassword(deviceId: string): string;
  /** Env overrides that point an app at this broker with its own users. */
  appEnv(): Record<string, string>;
  start(): Promise<void>;
  /** SIGTERM (the broker saves its persistence file) and waits for the exit. */
  stop(): Promise<void>;
  /** Stops it and removes the temp dir. */
  dispose(): Promise<void>;
}

export interface PrivateMosquittoOptions {
  /** Edits the rendered configuration (a test of one setting's effect). */
  configure?(config: string): string;
  /** The ACL lets the simulator's user publish for any device, as the local stack's does. */
  simulator?: boolean;
}

/** Writes the config, password file (hashed) and ACL; `deviceIds` become broker users. */
export async function createPrivateMosquitto(
  deviceIds: string[],
  options: PrivateMosquittoOptions = {},
): Promise<PrivateMosquitto> {
  const which = spawnSync('which', ['mosquitto']);
  if (which.status !== 0) throw new Error('mosquitto is not installed: apt-get install mosquitto');
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-mosquitto-'));
  const port = await freePort();
  const tlsPort = await freePort();
  const tls = ensureSelfSignedCert(dir);
  const credentials = loadOrCreateMqttCredentials(dir);
  const passwordFile = path.join(dir, 'passwd');
  const aclFile = path.join(dir, 'acl');
  const config = path.join(dir, 'mosquitto.conf');
  writeFileSync(passwordFile, passwordFileLines(credentials, deviceIds), { mode: 0o600 });
  const hashed = spawnSync('mosquitto_passwd', ['-U', passwordFile]);
  if (hashed.status !== 0) throw new Error(`mosquitto_passwd failed: ${hashed.stderr.toString()}`);
  const acl = options.simulator
    ? wantedAcl(credentials)
    : readFileSync(path.join(__dirname, '../../deploy/mosquitto/acl'), 'utf8');
  writeFileSync(aclFile, acl, { mode: 0o600 });
  // As root, Mosquitto switches to its own OS user: the files and dir must be that user's.
  const asRoot = process.getuid?.() === 0;
  const osUser = asRoot ? 'mosquitto' : userInfo().username;
  if (asRoot) {
    const { uid, gid } = userIds(osUser);
    for (const file of [dir, passwordFile, aclFile, tls.certFile, tls.keyFile])
      chownSync(file, uid, gid);
  }
  chmodSync(dir, 0o700);
  const rendered = renderMosquittoConfig({
    PORT: String(port),
    BIND_ADDRESS: '127.0.0.1',
    TLS_PORT: String(tlsPort),
    TLS_BIND_ADDRESS: '127.0.0.1',
    TLS_CERT_FILE: tls.certFile,
    TLS_KEY_FILE: tls.keyFile,
    PASSWORD_FILE: passwordFile,
    ACL_FILE: aclFile,
    USER: osUser,
    DATA_DIR: dir,
    LOG_FILE: path.join(dir, 'mosquitto.log'),
    PID_FILE: path.join(dir, 'mosquitto.pid'),
  });
  writeFileSync(config, options.configure ? options.configure(rendered) : rendered);

  let child: ChildProcess | null = null;
  const broker: PrivateMosquitto = {
    url: `mqtt://127.0.0.1:${port}`,
    tlsUrl: `mqtts://127.0.0.1:${tlsPort}`,
    caFile: tls.certFile,
    credentials,
    devicePassword: (id) => devicePassword(credentials.deviceSecret, id),
    appEnv: () => ({
      MQTT_URL: broker.url,
      MQTT_USERNAME: credentials.ingest.username,
      MQTT_PASSWORD: credentials.ingest.password,
      MQTT_COMMAND_USERNAME: credentials.commands.username,
      MQTT_COMMAND_PASSWORD: credentials.commands.password,
    }),
    async start() {
      if (child) return;
      const proc = spawn('mosquitto', ['-c', config], { stdio: 'ignore' });
      child = proc;
      proc.once('exit', () => {
        if (child === proc) child = null;
      });
      await waitFor(() => (child === null ? Promise.reject(logTail(dir)) : portOpen(port)), {
        timeoutMs: 15_000,
        intervalMs: 50,
        what: `private Mosquitto on port ${port}`,
      });
    },
    async stop() {
      const proc = child;
      if (!proc) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      await exited;
      child = null;
    },
    async dispose() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return broker;
}

function userIds(name: string): { uid: number; gid: number } {
  const out = spawnSync('id', ['-u', name]);
  const outG = spawnSync('id', ['-g', name]);
  if (out.status !== 0) throw new Error(`no OS user ${name} for Mosquitto`);
  return { uid: Number(out.stdout.toString().trim()), gid: Number(outG.stdout.toString().trim()) };
}

function logTail(dir: string): Error {
  let log = '';
  try {
    log = readFileSync(path.join(dir, 'mosquitto.log'), 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    // No log yet.
  }
  return new Error(`private Mosquitto exited at start; log:\n${log}`);
}
