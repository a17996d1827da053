'use client';
/** The "Who was told" disclosure of an alert in the feed: the timeline, loaded when opened. */
import { useState } from 'react';
import type { AlertDto } from '@/contract/alerts';
import { EscalationTimeline } from './escalation-timeline';
import { useTimeline } from './use-timeline';

export function AlertEscalation({ alert }: { alert: AlertDto }) {
  const [open, setOpen] = useState(false);
  // The alert's own changes (escalated, acknowledged, resolved) mean a new timeline.
  const version = `${alert.status}|${alert.escalatedAt ?? ''}`;
  const { timeline, error } = useTimeline(open ? alert.id : null, version);
  return (
    <div className="wf-alert__escalation">
      <button
        type="button"
        className="wf-link"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? 'Hide who was told' : 'Who was told'}
      </button>
      {open && error && <p className="wf-alert__error">{error}</p>}
      {open && timeline && <EscalationTimeline timeline={timeline} />}
    </div>
  );
}
