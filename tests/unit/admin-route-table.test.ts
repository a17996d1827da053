/**
 * The admin page's route table is the route table: every task of
 * server/queues/routes.ts in order, its queue, both priorities, and a handler
 * file that exists.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handlerFileOf, routeRows } from '../../server/admin/queue-inspector';
import { TASK_NAMES, TASK_ROUTES, toBullPriority } from '../../server/queues/routes';

const root = path.join(__dirname, '../..');

describe('admin route rows', () => {
  const rows = routeRows(
    new Map([['process_guard_gps', { completed: 7, failed: 2, p95Ms: 25, completedLast5Min: 3 }]]),
  );

  it('lists every route of server/queues/routes.ts, entry for entry and in order', () => {
    expect(rows.map((r) => [r.task, r.queue, r.priority, r.bullPriority, r.description])).toEqual(
      Object.entries(TASK_ROUTES).map(([task, route]) => [
        task,
        route.queue,
        route.priority,
        toBullPriority(route.priority),
        route.description,
      ]),
    );
  });

  it.each(TASK_NAMES)('names an existing handler file for %s', (task) => {
    expect(existsSync(path.join(root, handlerFileOf(task))), handlerFileOf(task)).toBe(true);
  });

  it('carries the last hour of a task and zeros for a task with no jobs', () => {
    expect(rows.find((r) => r.task === 'process_guard_gps')).toMatchObject({
      processedLastHour: 7,
      failedLastHour: 2,
      p95Ms: 25,
    });
    expect(rows.find((r) => r.task === 'publish_mqtt')).toMatchObject({
      processedLastHour: 0,
      failedLastHour: 0,
      p95Ms: null,
    });
  });
});
