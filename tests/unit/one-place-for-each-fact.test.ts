/**
 * DESIGN.md: queue names and priorities live only in server/queues/routes.ts,
 * socket event names, enums, id patterns and thresholds only in contract/, and
 * env is read only in server/config.ts. This fails when a second place appears.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../server/queues/routes';
import {
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  DERIVED_ALERT_TYPES,
  DEVICE_ALERT_TYPES,
} from '../../contract/alerts';
import { GUARD_DUTY_STATUSES } from '../../contract/guards';
import { HEALTH_STATUSES } from '../../contract/health';
import { ID_PATTERN, MESSAGE_ID_PATTERN, METRIC_NAME_PATTERN } from '../../contract/ids';
import { SENSOR_KINDS } from '../../contract/sensors';
import { SERVER_EVENTS } from '../../contract/socket-events';
import * as thresholds from '../../contract/thresholds';

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

  it.each(Object.values(SERVER_EVENTS))(
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

  // An enum written out again: all its values, in order, as one list of string literals.
  const listing = (values: readonly string[]) =>
    new RegExp(values.map((v) => `['"\`]${v}['"\`]`).join('\\s*[,|]\\s*'));

  it('recognizes an enum written out again (so the checks below can fail)', () => {
    expect(listing(ALERT_SEVERITIES).test(`const s = ['critical', 'high', 'medium', 'low'];`)).toBe(
      true,
    );
    expect(listing(ALERT_SEVERITIES).test(`type S = 'critical' | 'high' | 'medium' | 'low';`)).toBe(
      true,
    );
    expect(listing(ALERT_SEVERITIES).test(`const s = ['critical', 'high'];`)).toBe(false);
  });

  it.each([
    ['alert severities', 'contract/alerts.ts', ALERT_SEVERITIES],
    ['alert statuses', 'contract/alerts.ts', ALERT_STATUSES],
    ['device alert types', 'contract/alerts.ts', DEVICE_ALERT_TYPES],
    ['derived alert types', 'contract/alerts.ts', DERIVED_ALERT_TYPES],
    ['duty statuses', 'contract/guards.ts', GUARD_DUTY_STATUSES],
    ['health statuses', 'contract/health.ts', HEALTH_STATUSES],
    ['sensor kinds', 'contract/sensors.ts', SENSOR_KINDS],
  ] as const)('lists the %s only in %s', (_what, home, values) => {
    expect(filesContaining(listing(values))).toEqual([home]);
  });

  it.each([ID_PATTERN, MESSAGE_ID_PATTERN, METRIC_NAME_PATTERN])(
    'writes the pattern %s only in contract/ids.ts',
    (pattern) => {
      const literal = new RegExp(pattern.source.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'));
      expect(filesContaining(literal)).toEqual(['contract/ids.ts']);
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
