/**
 * What `stack clean` counts as provably dead by name, the README's command
 * lines as the README check reads them, and where the scripts' broker
 * credentials come from beside the local stack.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLocalBroker, withLocalStackCredentials } from '../../scripts/lib/local-stack-env';
import { DATABASE_NAMES, deadByName, PREFIX_NAMES } from '../../scripts/stack/clean';
import { readmeCommands } from '../helpers/readme-commands';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-05T08:00:00Z');
const time36 = (ms: number) => ms.toString(36);

describe('stack clean: dead by name', () => {
  const older = 6 * HOUR;
  it('takes timed test and benchmark prefixes older than the age, never younger ones', () => {
    const old = time36(NOW - 7 * HOUR);
    const fresh = time36(NOW - 5 * HOUR);
    expect(deadByName(`wfbench-${old}`, PREFIX_NAMES, older, NOW)).toBe(true);
    expect(deadByName(`wfbench-${fresh}`, PREFIX_NAMES, older, NOW)).toBe(false);
    expect(deadByName(`wft-t-${old}-a1b2c3`, PREFIX_NAMES, older, NOW)).toBe(true);
    expect(deadByName(`wfz-z-${fresh}-a1b2c3`, PREFIX_NAMES, older, NOW)).toBe(false);
    expect(deadByName(`wf_migrate_${old}_a1b2c3`, DATABASE_NAMES, older, NOW)).toBe(true);
    expect(deadByName(`wfreadme-${old}-a1b2c3`, PREFIX_NAMES, older, NOW)).toBe(true);
  });

  it('takes pid-named runs only when that process is gone', () => {
    expect(deadByName(`e2e_${process.pid}_a1b2c3d4`, PREFIX_NAMES, older, NOW)).toBe(false);
    // Above any pid_max: no such process.
    expect(deadByName('e2e_99999999_a1b2c3d4', DATABASE_NAMES, older, NOW)).toBe(true);
  });

  it('never takes the deployment’s names or the test databases', () => {
    for (const name of ['wf', 'wfbench', 'bull', 'watchfloor_test', 'watchfloor_test_feed']) {
      expect(deadByName(name, PREFIX_NAMES, 0, NOW)).toBe(false);
      expect(deadByName(name, DATABASE_NAMES, 0, NOW)).toBe(false);
    }
  });
});

describe('README command lines', () => {
  it('reads shell blocks only, drops comments and expands alternatives', () => {
    const markdown = [
      '```sh',
      'npm start        # the server',
      'ROLES=web npm start',
      'npm run stack -- up|down   # services',
      '```',
      '```json',
      '{ "type": "locate" }',
      '```',
    ].join('\n');
    expect(readmeCommands(markdown)).toEqual([
      'npm start',
      'ROLES=web npm start',
      'npm run stack -- up',
      'npm run stack -- down',
    ]);
  });

  it('joins a line ending in a backslash to the next, as the shell does', () => {
    const markdown = [
      '```',
      'A=1 \\',
      '  B=2 npm run soak -- --minutes 5',
      'npm start',
      '```',
    ].join('\n');
    expect(readmeCommands(markdown)).toEqual(['A=1 B=2 npm run soak -- --minutes 5', 'npm start']);
  });
});

describe('broker credentials beside the local stack', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-creds-'));
  const file = path.join(dir, 'credentials.json');
  writeFileSync(
    file,
    JSON.stringify({
      ingest: { username: 'watchfloor-ingest', password: 'i' },
      commands: { username: 'watchfloor-commands', password: 'c' },
      simulator: { username: 'watchfloor-simulator', password: 's' },
      deviceSecret: 'd',
    }),
  );

  it('knows the local broker by its loopback URL and port', () => {
    expect(isLocalBroker(undefined)).toBe(true);
    expect(isLocalBroker('mqtt://127.0.0.1:51883')).toBe(true);
    expect(isLocalBroker('mqtt://localhost:51883')).toBe(true);
    expect(isLocalBroker('mqtt://127.0.0.1:1883')).toBe(false);
    expect(isLocalBroker('mqtts://broker.example:51883')).toBe(false);
  });

  it('fills in only what is missing, and nothing for a broker elsewhere', () => {
    const env: Record<string, string | undefined> = { MQTT_SIMULATOR_PASSWORD: 'mine' };
    const filled = withLocalStackCredentials(env, file);
    expect(filled.MQTT_SIMULATOR_USERNAME).toBe('watchfloor-simulator');
    expect(filled.MQTT_SIMULATOR_PASSWORD).toBe('mine');
    expect(filled.MQTT_USERNAME).toBe('watchfloor-ingest');
    expect(filled.MQTT_DEVICE_SECRET).toBe('d');
    const remote: Record<string, string | undefined> = { MQTT_URL: 'mqtts://broker.example:8883' };
    const elsewhere = withLocalStackCredentials(remote, file);
    expect(elsewhere.MQTT_USERNAME).toBeUndefined();
    expect(withLocalStackCredentials({}, path.join(dir, 'missing.json'))).toEqual({});
  });
});
