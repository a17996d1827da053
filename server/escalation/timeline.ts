/** An alert's escalation timeline: who was told, when, how it went, and how it ended. */
import type pg from 'pg';
import { type EscalationTimelineDto, stepsSchema } from '../../contract/escalation';
import type { NotificationRow } from './notifications';

/** The timeline, oldest firing first. */
export async function escalationTimeline(
  pool: pg.Pool,
  alertId: string,
): Promise<EscalationTimelineDto> {
  const [escalation, notifications, ack] = await Promise.all([
    pool.query(`SELECT * FROM alert_escalations WHERE alert_id = $1`, [alertId]),
    pool.query<NotificationRow>(
      `SELECT * FROM escalation_notifications WHERE alert_id = $1
       ORDER BY due_at, step, repeat, channel, recipient_label`,
      [alertId],
    ),
    pool.query<{ name: string; at: Date }>(
      `SELECT u.name, a.acknowledged_at AS at FROM alerts a JOIN users u ON u.id = a.acknowledged_by
       WHERE a.id = $1 AND a.acknowledged_at IS NOT NULL`,
      [alertId],
    ),
  ]);
  const e = escalation.rows[0];
  const parsed = e ? stepsSchema.safeParse(e.steps) : null;
  return {
    alertId,
    startedAt: e ? (e.started_at as Date).getTime() : null,
    steps: parsed?.success ? parsed.data : [],
    entries: notifications.rows.map((n) => ({
      id: n.id,
      step: n.step,
      repeat: n.repeat,
      channel: n.channel,
      recipient: n.recipient_label,
      status: n.status,
      dueAt: n.due_at.getTime(),
      firedAt: n.fired_at.getTime(),
      lateMs: n.late_ms,
      sentAt: n.sent_at?.getTime() ?? null,
      attempts: n.attempts,
      error: n.error,
    })),
    next:
      e && e.next_step !== null && e.next_due_at
        ? { step: e.next_step, repeat: e.next_repeat, dueAt: (e.next_due_at as Date).getTime() }
        : null,
    endedAt: e?.ended_at ? (e.ended_at as Date).getTime() : null,
    endReason: e?.end_reason ?? null,
    acknowledgedBy: ack.rows[0] ? { name: ack.rows[0].name, at: ack.rows[0].at.getTime() } : null,
  };
}
