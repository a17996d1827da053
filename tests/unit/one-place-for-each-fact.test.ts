/**
 * DESIGN.md: queue names and priorities live only in server/queues/routes.ts,
 * socket event names only in contract/socket-events.ts, and env is read only
 * in server/config.ts. This fails when a second place appears.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../server/queues/routes';
import { SERVER_EVENTS } from '../../contract/socket-events';

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
});
