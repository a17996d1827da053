/**
 * The queue boundary is typed by task: these are compile-time tests. `npx tsc
 * --noEmit` checks this file (tsconfig.json includes tests/); each
 * `@ts-expect-error` fails the type check when the line under it compiles, so
 * a boundary that lets a wrong payload, a missing handler or a handler for
 * the wrong data through breaks the build. The functions holding the checks
 * are never run: at run time vitest only sees that they exist.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { TaskHandler, TaskHandlers } from '../../server/handlers/types';
import type { Enqueue } from '../../server/mqtt/ingest';
import type { JobDataOf } from '../../contract/job-data';
import type { TaskQueues } from '../../server/queues/task-queues';

const ID = '00000000-0000-4000-8000-000000000001';
const AT = Date.parse('2026-01-01T00:00:00.000Z');

describe('queue types', () => {
  it('derives each task’s job data from its schema', () => {
    expectTypeOf<JobDataOf<'escalate_alert'>>().toEqualTypeOf<{
      alertId: string;
      step: number;
      repeat: number;
    }>();
    expectTypeOf<JobDataOf<'deliver_webhook'>>().toEqualTypeOf<{ notificationId: string }>();
    // Not `unknown` or `any`, which would let every payload through.
    expectTypeOf<unknown>().not.toExtend<JobDataOf<'process_guard_gps'>>();
    expectTypeOf<JobDataOf<'process_guard_gps'>>().not.toBeAny();
  });

  it('refuses to enqueue a payload that is not its task’s', () => {
    const calls = (queues: TaskQueues, enqueue: Enqueue) => {
      void queues.enqueue('send_escalation_email', 'mail-1', { notificationId: ID });
      void queues.enqueue('escalate_alert', 'esc-1', { alertId: ID, step: 0, repeat: 0 });
      void queues.enqueue('maintain_history', 'm-1', {});
      // @ts-expect-error another task's data: escalate_alert needs { alertId, step, repeat }
      void queues.enqueue('escalate_alert', 'esc-2', { notificationId: ID });
      // @ts-expect-error a field of the wrong type
      void queues.enqueue('escalate_alert', 'esc-3', { alertId: ID, step: '0', repeat: 0 });
      // @ts-expect-error a missing field (receivedAt)
      void enqueue('process_guard_status', 'k1', {
        messageKey: 'k1',
        guardId: 'g1',
        status: 'on_duty',
        note: null,
        reportedAt: AT,
      });
      void enqueue('process_guard_status', 'k2', {
        messageKey: 'k2',
        guardId: 'g1',
        // @ts-expect-error a value outside the schema's enum
        status: 'asleep',
        note: null,
        reportedAt: AT,
        receivedAt: AT,
      });
      // @ts-expect-error data where the scheduler's job carries none
      void queues.enqueue('maintain_history', 'm-2', { days: 3 });
      // @ts-expect-error a task without a route
      void queues.enqueue('process_ghost', 'g-1', {});
    };
    expectTypeOf(calls).returns.toBeVoid();
  });

  it('refuses a handler table that misses a task or has one without a route', () => {
    const tables = (handlers: TaskHandlers) => {
      const { deliver_webhook: _omitted, ...allButOne } = handlers;
      // @ts-expect-error deliver_webhook has no handler
      const missing: TaskHandlers = allButOne;
      const extra: TaskHandlers = {
        ...handlers,
        // @ts-expect-error process_ghost has no route
        process_ghost: handlers.maintain_history,
      };
      return [missing, extra];
    };
    expectTypeOf(tables).returns.toEqualTypeOf<TaskHandlers[]>();
  });

  it('refuses a handler for another task’s data', () => {
    const tables = (
      handlers: TaskHandlers,
      gps: TaskHandler<JobDataOf<'process_guard_gps'>>,
      notify: TaskHandler<JobDataOf<'send_escalation_email'>>,
    ) => {
      const right: TaskHandlers = { ...handlers, process_guard_gps: gps, deliver_webhook: notify };
      // @ts-expect-error a GPS handler cannot take sensor readings
      const wrong: TaskHandlers = { ...handlers, process_sensor_data: gps };
      // @ts-expect-error a notification handler cannot take an escalation step
      const alsoWrong: TaskHandlers = { ...handlers, escalate_alert: notify };
      return [right, wrong, alsoWrong];
    };
    expectTypeOf(tables).returns.toEqualTypeOf<TaskHandlers[]>();
  });
});
