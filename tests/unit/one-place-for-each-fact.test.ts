/**
 * DESIGN.md: queue names and priorities live only in server/queues/routes.ts,
 * socket event names, enums, id patterns and thresholds only in contract/, and
 * env is read only in server/config.ts. This fails when a second place appears.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../server/queues/routes';
import * as admin from '../../contract/admin';
import * as alerts from '../../contract/alerts';
import * as audit from '../../contract/audit';
import * as charts from '../../contract/charts';
import * as commandRequest from '../../contract/command-request';
import * as commands from '../../contract/commands';
import * as devices from '../../contract/devices';
import * as escalation from '../../contract/escalation';
import * as fleetRules from '../../contract/fleet-rules';
import * as guards from '../../contract/guards';
import * as health from '../../contract/health';
import * as ids from '../../contract/ids';
import * as jobData from '../../contract/job-data';
import * as screen from '../../contract/screen';
import * as sensors from '../../contract/sensors';
import * as socketEvents from '../../contract/socket-events';
import * as storableText from '../../contract/storable-text';
import * as thresholds from '../../contract/thresholds';
import * as time from '../../contract/time';
import * as topics from '../../contract/topics';
import * as users from '../../contract/users';

/** Every file of contract/, as a module: the enums and patterns below are found in them. */
const CONTRACT: Record<string, Record<string, unknown>> = {
  'contract/admin.ts': admin,
  'contract/alerts.ts': alerts,
  'contract/audit.ts': audit,
  'contract/charts.ts': charts,
  'contract/command-request.ts': commandRequest,
  'contract/commands.ts': commands,
  'contract/devices.ts': devices,
  'contract/escalation.ts': escalation,
  'contract/fleet-rules.ts': fleetRules,
  'contract/guards.ts': guards,
  'contract/health.ts': health,
  'contract/ids.ts': ids,
  'contract/job-data.ts': jobData,
  'contract/screen.ts': screen,
  'contract/sensors.ts': sensors,
  'contract/socket-events.ts': socketEvents,
  'contract/storable-text.ts': storableText,
  'contract/thresholds.ts': thresholds,
  'contract/time.ts': time,
  'contract/topics.ts': topics,
  'contract/users.ts': users,
};

/** Each named export of the contract that passes `is`, with the file that defines it. */
function contractExports<T>(is: (name: string, value: unknown) => value is T) {
  return Object.entries(CONTRACT).flatMap(([home, module]) =>
    Object.entries(module).flatMap(([name, value]) =>
      is(name, value) ? [{ name, home, value }] : [],
    ),
  );
}

/** An enum: an exported UPPER_CASE list of at least two strings (`['a', 'b'] as const`). */
const ENUMS = contractExports(
  (name, value): value is readonly string[] =>
    /^[A-Z][A-Z0-9_]*$/.test(name) &&
    Array.isArray(value) &&
    value.length > 1 &&
    value.every((v) => typeof v === 'string'),
);
/** Enums built from others by spreading them: written out nowhere, not even at home. */
const COMPOSED = new Set(['ALERT_TYPES']);

const PATTERNS = contractExports((_name, value): value is RegExp => value instanceof RegExp);

const root = join(__dirname, '../..');
const SOURCE_DIRS = ['contract', 'app', 'components', 'server', 'scripts', 'prisma'];

function sourceFiles(dir: string): string[] {
  const full = join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(full);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(full, name);
    if (name === 'generated' || name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(relative(root, path));
    return /\.(ts|tsx)$/.test(name) ? [relative(root, path)] : [];
  });
}

const files = SOURCE_DIRS.flatMap(sourceFiles);

/** The text as a pattern that matches only itself. */
const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

function filesContaining(pattern: RegExp): string[] {
  return files.filter((file) => pattern.test(readFileSync(join(root, file), 'utf8')));
}

describe('one place for each fact', () => {
  it('finds the source files it checks', () => {
    expect(files).toContain('server/queues/routes.ts');
  });

  // Some queue names are ordinary words too ("critical" is also a severity), so
  // this looks for them where a queue is named: a queue field or argument, a
  // BullMQ Queue/Worker/QueueEvents, or a cast to QueueName.
  const namedAsQueue = (queue: string) => {
    const quoted = `['"\`]${queue}['"\`]`;
    return new RegExp(
      `(queue\\w*\\s*[:=(,]\\s*${quoted}|new (Queue|Worker|QueueEvents)\\(\\s*${quoted}|${quoted}\\s*as\\s+QueueName)`,
      'i',
    );
  };

  it('recognizes a queue named in a queue field (so the check below can fail)', () => {
    expect(namedAsQueue('critical').test(`{ queue: 'critical' }`)).toBe(true);
    expect(namedAsQueue('critical').test(`new Worker('critical', work)`)).toBe(true);
    expect(namedAsQueue('critical').test(`severity: 'critical'`)).toBe(false);
  });

  it.each(QUEUE_NAMES)('names queue "%s" only in server/queues/routes.ts', (queue) => {
    expect(filesContaining(namedAsQueue(queue))).toEqual(['server/queues/routes.ts']);
  });

  it('sets priorities only in server/queues/routes.ts', () => {
    expect(filesContaining(/\bpriority\s*:\s*\d/)).toEqual(['server/queues/routes.ts']);
  });

  it.each(Object.values(socketEvents.SERVER_EVENTS))(
    'names socket event "%s" only in contract/socket-events.ts',
    (event) => {
      expect(filesContaining(new RegExp(`['"\`]${event}['"\`]`))).toEqual([
        'contract/socket-events.ts',
      ]);
    },
  );

  it('reads process.env in the server only in server/config.ts', () => {
    const readers = filesContaining(/process\.env/).filter((f) => f.startsWith('server/'));
    expect(readers).toEqual(['server/config.ts']);
  });

  it('reads every file of contract/ for its enums and patterns', () => {
    expect(Object.keys(CONTRACT).sort()).toEqual(
      files.filter((f) => f.startsWith('contract/')).sort(),
    );
  });

  it('finds the enums the contract names (so the checks below have something to check)', () => {
    expect(ENUMS.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'ALERT_SEVERITIES',
        'ALERT_STATUSES',
        'ALERT_TYPES',
        'DEVICE_ALERT_TYPES',
        'DERIVED_ALERT_TYPES',
        'GUARD_DUTY_STATUSES',
        'HEALTH_STATUSES',
        'SENSOR_KINDS',
        'COMMAND_TARGET_KINDS',
        'COMMAND_TYPES',
        'COMMAND_STATUSES',
        'COMMAND_ACK_RESULTS',
        'BREAKER_STATES',
        'NOTIFICATION_CHANNELS',
        'NOTIFICATION_STATUSES',
        'RECIPIENT_KINDS',
        'USER_ROLES',
        'PRINCIPAL_KINDS',
        'RETENTION_MODES',
        'JOB_STATES',
        'DEVICE_STATES',
        'PROCESS_STATES',
      ]),
    );
    expect(PATTERNS.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'ID_PATTERN',
        'MESSAGE_ID_PATTERN',
        'MESSAGE_KEY_PATTERN',
        'METRIC_NAME_PATTERN',
      ]),
    );
  });

  // An enum written out again: all its values, in order, as one list of string
  // literals (an array or a union), and the whole list: a longer list that holds
  // these values among others is another fact (topic roots are not target kinds).
  const listing = (values: readonly string[]) => {
    const literal = (v: string) => `['"\`]${escapeRegExp(v)}['"\`]`;
    const separator = '\\s*[,|]\\s*';
    return new RegExp(
      `(?<!['"\`]${separator})${values.map(literal).join(separator)}(?!${separator}['"\`])`,
    );
  };

  it('recognizes an enum written out again (so the checks below can fail)', () => {
    const severities = listing(alerts.ALERT_SEVERITIES);
    expect(severities.test(`const s = ['critical', 'high', 'medium', 'low'];`)).toBe(true);
    expect(severities.test(`type S = 'critical' | 'high' | 'medium' | 'low';`)).toBe(true);
    expect(severities.test(`type S =\n  | 'critical'\n  | 'high'\n  | 'medium'\n  | 'low';`)).toBe(
      true,
    );
    expect(severities.test(`const s = ['critical', 'high'];`)).toBe(false);
    expect(listing(['guard', 'device']).test(`['guard', 'device', 'sensor']`)).toBe(false);
    expect(listing(['guard', 'device']).test(`['alert', 'guard', 'device']`)).toBe(false);
  });

  it.each(ENUMS.map((e): [string, string, readonly string[]] => [e.name, e.home, e.value]))(
    'lists %s only in %s',
    (name, home, values) => {
      expect(filesContaining(listing(values))).toEqual(COMPOSED.has(name) ? [] : [home]);
    },
  );

  it.each(PATTERNS.map((p): [string, string, RegExp] => [p.name, p.home, p.value]))(
    'writes %s only in %s',
    (_name, home, pattern) => {
      expect(filesContaining(new RegExp(escapeRegExp(pattern.source)))).toEqual([home]);
    },
  );

  it.each(Object.keys(thresholds))(
    'defines threshold %s only in contract/thresholds.ts',
    (name) => {
      expect(filesContaining(new RegExp(`\\bconst\\s+${name}\\b`))).toEqual([
        'contract/thresholds.ts',
      ]);
    },
  );
});
