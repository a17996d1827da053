'use client';
/**
 * Who was told about an alert and when: each firing (step, reminder), its
 * channel and recipient, sent / failed / cancelled / skipped, how late, and
 * how the escalation ended (who acknowledged). Text only: recipients and
 * errors are rendered as text nodes.
 */
import type { EscalationTimelineDto, TimelineEntryDto } from '@/contract/escalation';

const STATUS_LABELS: Record<TimelineEntryDto['status'], string> = {
  pending: 'sending',
  sent: 'sent',
  failed: 'failed',
  cancelled: 'cancelled',
  skipped: 'skipped',
};

const time = (epochMs: number) =>
  new Date(epochMs).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

const stepName = (step: number, repeat: number) =>
  `Step ${step + 1}${repeat > 0 ? ` · reminder ${repeat}` : ''}`;

/** The timeline as a list; `compact` for the alert feed. */
export function EscalationTimeline({ timeline }: { timeline: EscalationTimelineDto }) {
  if (!timeline.startedAt) {
    return (
      <p className="wf-timeline__none" data-testid="escalation-timeline">
        No escalation policy applies to this alert.
      </p>
    );
  }
  return (
    <ol className="wf-timeline" data-testid="escalation-timeline">
      {timeline.entries.map((e) => (
        <li
          key={e.id}
          className={`wf-timeline__entry wf-timeline__entry--${e.status}`}
          data-status={e.status}
          data-step={e.step}
        >
          <span className="wf-timeline__time">{time(e.sentAt ?? e.firedAt)}</span>
          <span className="wf-timeline__step">{stepName(e.step, e.repeat)}</span>
          <span className="wf-timeline__channel">
            {e.channel === 'email' ? 'E-mail' : 'Webhook'}
          </span>
          <span className="wf-timeline__recipient">{e.recipient}</span>
          <span className={`wf-timeline__status wf-timeline__status--${e.status}`}>
            {STATUS_LABELS[e.status]}
          </span>
          {e.lateMs >= 1000 && (
            <span className="wf-timeline__late">{Math.round(e.lateMs / 1000)} s late</span>
          )}
          {e.error && e.status !== 'sent' && <span className="wf-timeline__error">{e.error}</span>}
        </li>
      ))}
      {timeline.next && (
        <li
          className={`wf-timeline__entry wf-timeline__entry--${timeline.endedAt ? 'cancelled' : 'pending'}`}
          data-status={timeline.endedAt ? 'cancelled' : 'scheduled'}
          data-step={timeline.next.step}
        >
          <span className="wf-timeline__time">{time(timeline.next.dueAt)}</span>
          <span className="wf-timeline__step">
            {stepName(timeline.next.step, timeline.next.repeat)}
          </span>
          <span className="wf-timeline__status">
            {timeline.endedAt ? `cancelled (${timeline.endReason})` : 'scheduled'}
          </span>
        </li>
      )}
      {timeline.acknowledgedBy && (
        <li className="wf-timeline__entry wf-timeline__entry--ack" data-status="acknowledged">
          <span className="wf-timeline__time">{time(timeline.acknowledgedBy.at)}</span>
          <span className="wf-timeline__step">Acknowledged by {timeline.acknowledgedBy.name}</span>
        </li>
      )}
    </ol>
  );
}
