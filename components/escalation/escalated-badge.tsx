/** "Escalated": a step of the alert's escalation beyond the first has fired. */
import type { AlertDto } from '@/contract/alerts';

export function EscalatedBadge({ alert }: { alert: Pick<AlertDto, 'escalatedAt'> }) {
  if (!alert.escalatedAt) return null;
  return (
    <span
      className="wf-escalated"
      data-testid="escalated"
      title={`Escalated at ${new Date(alert.escalatedAt).toISOString()}`}
    >
      Escalated
    </span>
  );
}
