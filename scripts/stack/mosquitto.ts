/**
 * The project-local Mosquitto: deploy/mosquitto/watchfloor.conf.template rendered
 * into .data/mosquitto/mosquitto.conf, bound to 127.0.0.1 at the port of
 * LOCAL_SERVICE_DEFAULTS.mqttUrl.
 */
import { chmodSync, chownSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { LOCAL_SERVICE_DEFAULTS } from '../../server/config';
import { DEMO_GUARDS, DEMO_SITES } from '../../prisma/seed-data';
import { DEVICE_TOPIC_KINDS } from '../../contract/topics';
import { MQTT_MAX_PACKET_BYTES } from '../../server/mqtt/topics';
import { simulatedDeviceIds } from '../simulator/devices';
import { ensureSelfSignedCert } from './tls-cert';
import {
  loadOrCreateMqttCredentials,
  passwordFileLines,
  type MqttCredentials,
} from './mqtt-credentials';
import { REPO_ROOT, serviceDir } from './dirs';
import { isRoot, run } from './exec';
import { pidDaemon } from './pid-daemon';
import { hostPort, type Log, type ServiceHandle } from './types';

/** Mosquitto drops root for this user; its persistence file must be writable by it. */
const OS_USER = 'mosquitto';
const TEMPLATE = path.join(REPO_ROOT, 'deploy', 'mosquitto', 'watchfloor.conf.template');
const ACL = path.join(REPO_ROOT, 'deploy', 'mosquitto', 'acl');
/**
 * Local stacks only (never deploy/): the simulator and benchmarks publish for
 * many invented devices over a few connections, so their user may write under any id.
 */
const SIMULATOR_ACL = (username: string) =>
  `\n# Local stack only (scripts/stack/mosquitto.ts): the device simulator.\nuser ${username}\n` +
  Object.keys(DEVICE_TOPIC_KINDS)
    .map((root) => `topic write ${root}/#\n`)
    .join('');

function mosquittoPaths() {
  const root = serviceDir('mosquitto', OS_USER);
  return {
    root,
    config: path.join(root, 'mosquitto.conf'),
    passwordFile: path.join(root, 'passwd'),
    aclFile: path.join(root, 'acl'),
    pidFile: path.join(root, 'mosquitto.pid'),
    logFile: path.join(root, 'mosquitto.log'),
  };
}

function localPort(): number {
  return hostPort(LOCAL_SERVICE_DEFAULTS.mqttUrl, 1883).port;
}

/** The local broker's TLS listener: the port after the plain one. */
export function localTlsPort(): number {
  return localPort() + 1;
}

function localMosquitto() {
  const paths = mosquittoPaths();
  return pidDaemon({
    service: 'mosquitto',
    label: 'Mosquitto',
    processName: 'mosquitto',
    urlVariable: 'MQTT_URL',
    url: LOCAL_SERVICE_DEFAULTS.mqttUrl,
    port: localPort(),
    dataDir: paths.root,
    pidFile: paths.pidFile,
    logFile: paths.logFile,
  });
}

/**
 * Fills the template's placeholders; throws on one left unknown so a typo cannot ship.
 * MAX_PACKET_SIZE comes from the code (MQTT_MAX_PACKET_BYTES), so broker and ingest agree.
 */
export function renderMosquittoConfig(given: Record<string, string>): string {
  const values: Record<string, string> = {
    MAX_PACKET_SIZE: String(MQTT_MAX_PACKET_BYTES),
    ...given,
  };
  return readFileSync(TEMPLATE, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${TEMPLATE}: no value for {{${key}}}`);
    return value;
  });
}

/** The local broker's credentials (created on first use), for the env of the server, tests and simulator. */
export function localMqttCredentials(): MqttCredentials {
  return loadOrCreateMqttCredentials(mosquittoPaths().root);
}

/**
 * Opens and closes one real MQTT connection; true when the broker answered.
 * A broker that refuses the (missing) credentials is up: that is all a probe asks.
 */
export async function connectMqtt(
  url: string,
  auth?: { username: string; password: string },
): Promise<boolean> {
  try {
    const client = await mqtt.connectAsync(url, {
      connectTimeout: 2000,
      reconnectPeriod: 0,
      clientId: `watchfloor-stack-probe-${process.pid}-${Date.now()}`,
      ...auth,
    });
    await client.endAsync();
    return true;
  } catch (error) {
    // CONNACK 4/5 (MQTT 3.1.1) or 134/135 (MQTT 5): bad credentials / not authorized.
    const code = (error as { code?: number }).code;
    if (code === 4 || code === 5 || code === 134 || code === 135) return true;
    throw error;
  }
}

/** The ACL the local broker should run with: the committed one plus the simulator's user. */
export function wantedAcl(credentials: MqttCredentials): string {
  return readFileSync(ACL, 'utf8') + SIMULATOR_ACL(credentials.simulator.username);
}

/** Every device of the demo's simulator is a broker user of its own, as real devices are. */
function demoDeviceIds(): string[] {
  return simulatedDeviceIds(
    DEMO_SITES.map((s) => s.id),
    DEMO_GUARDS.map((g) => g.id),
  );
}

/** The usernames of a password file (hashed or not: the name is before the first ':'). */
function passwordFileUsers(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.includes(':'))
    .map((line) => line.slice(0, line.indexOf(':')))
    .sort();
}

/** True when the running broker lacks a user the code now needs (it reads the file only at start). */
function passwordsOutdated(paths: ReturnType<typeof mosquittoPaths>): boolean {
  try {
    const wanted = passwordFileLines(loadOrCreateMqttCredentials(paths.root), demoDeviceIds());
    return (
      passwordFileUsers(readFileSync(paths.passwordFile, 'utf8')).join('\n') !==
      passwordFileUsers(wanted).join('\n')
    );
  } catch {
    return true;
  }
}

/** True when the running broker's ACL is not the committed one (it reads it only at start). */
function aclOutdated(paths: ReturnType<typeof mosquittoPaths>): boolean {
  try {
    return (
      readFileSync(paths.aclFile, 'utf8') !== wantedAcl(loadOrCreateMqttCredentials(paths.root))
    );
  } catch {
    return true;
  }
}

/** Writes the hashed password file and the ACL, readable by the broker's OS user only. */
async function writeAuthFiles(paths: ReturnType<typeof mosquittoPaths>): Promise<MqttCredentials> {
  const credentials = loadOrCreateMqttCredentials(paths.root);
  writeFileSync(paths.passwordFile, passwordFileLines(credentials, demoDeviceIds()), {
    mode: 0o600,
  });
  // Hashes every plaintext line in place (PBKDF2-SHA512): the broker never sees a plain password file.
  await run('mosquitto_passwd', ['-U', paths.passwordFile]);
  writeFileSync(paths.aclFile, wantedAcl(credentials), { mode: 0o600 });
  const owner = statSync(paths.root);
  for (const file of [paths.passwordFile, paths.aclFile]) {
    chownSync(file, owner.uid, owner.gid);
    chmodSync(file, 0o600);
  }
  return credentials;
}

/** Reuses or starts the local Mosquitto and waits until it accepts an MQTT connection. */
export async function startLocalMosquitto(log: Log): Promise<ServiceHandle> {
  const daemon = localMosquitto();
  const paths = mosquittoPaths();
  // A broker started before authentication existed would still take anonymous clients,
  // and one started with an older ACL or fewer device users would refuse what the code
  // now needs: restart it.
  if (
    daemon.runningPid() !== null &&
    (!readFileSync(paths.config, 'utf8').includes('\nallow_anonymous false') ||
      aclOutdated(paths) ||
      passwordsOutdated(paths))
  ) {
    log('restarting Mosquitto with the current passwords and ACL');
    await daemon.stop(log);
  }
  const { ingest } = localMqttCredentials();
  return daemon.startOrReuse(
    log,
    () => startMosquitto(paths),
    () => connectMqtt(daemon.spec.url, ingest),
  );
}

/** Writes the passwords, ACL, certificate and config, and starts the broker as a daemon. */
async function startMosquitto(paths: ReturnType<typeof mosquittoPaths>): Promise<void> {
  await writeAuthFiles(paths);
  const tls = ensureSelfSignedCert(paths.root);
  const owner = statSync(paths.root);
  for (const file of [tls.certFile, tls.keyFile]) {
    chownSync(file, owner.uid, owner.gid);
    chmodSync(file, 0o600);
  }
  writeFileSync(
    paths.config,
    renderMosquittoConfig({
      PASSWORD_FILE: paths.passwordFile,
      ACL_FILE: paths.aclFile,
      PORT: String(localPort()),
      BIND_ADDRESS: '127.0.0.1',
      TLS_PORT: String(localTlsPort()),
      TLS_BIND_ADDRESS: '127.0.0.1',
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
      USER: isRoot() ? OS_USER : userInfo().username,
      DATA_DIR: paths.root,
      LOG_FILE: paths.logFile,
      PID_FILE: paths.pidFile,
    }),
  );
  chownSync(paths.config, owner.uid, owner.gid);
  await run('mosquitto', ['-c', paths.config, '-d']);
}

/** Stops the local Mosquitto if it runs; SIGTERM makes it save its persistence file. */
export function stopLocalMosquitto(log: Log): Promise<boolean> {
  return localMosquitto().stop(log);
}

/** Whether the local Mosquitto runs, and where. */
export function localMosquittoStatus(): Promise<{ running: boolean; detail: string }> {
  return localMosquitto().status();
}
