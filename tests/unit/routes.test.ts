import { describe, expect, it } from 'vitest';
import {
  TASK_NAMES,
  TASK_ROUTES,
  URGENT_QUEUES,
  routeFor,
  toBullPriority,
} from '../../server/queues/routes';
import { TOPIC_KINDS } from '../../server/mqtt/topics';

describe('route table', () => {
  it('sends guard GPS to high_priority at priority 8', () => {
    expect(routeFor('process_guard_gps')).toMatchObject({ queue: 'high_priority', priority: 8 });
  });

  it('maps priority 10 to BullMQ 1 (highest) and 0 to 11', () => {
    expect(toBullPriority(10)).toBe(1);
    expect(toBullPriority(8)).toBe(3);
    expect(toBullPriority(0)).toBe(11);
  });

  it('rejects priorities outside 0-10', () => {
    expect(() => toBullPriority(11)).toThrow(RangeError);
    expect(() => toBullPriority(-1)).toThrow(RangeError);
    expect(() => toBullPriority(2.5)).toThrow(RangeError);
  });

  it('throws for a task without a route', () => {
    expect(() => routeFor('process_nothing')).toThrow(/no route/);
  });

  it('keeps the urgent lanes to alerts and their escalation: no bulk task waits there or ahead of them', () => {
    const urgent: readonly string[] = URGENT_QUEUES;
    const inUrgentLanes = TASK_NAMES.filter((t) => urgent.includes(routeFor(t).queue)).sort();
    expect(inUrgentLanes).toEqual([
      'deliver_webhook',
      'escalate_alert',
      'process_device_alert',
      'send_escalation_email',
    ]);
    expect(routeFor('send_escalation_email').queue).toBe('notifications');
    expect(routeFor('deliver_webhook').queue).toBe('notifications');
  });

  it('gives every topic kind a routed task', () => {
    for (const kind of TOPIC_KINDS) expect(TASK_ROUTES).toHaveProperty(kind.task);
  });
});
