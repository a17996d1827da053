'use client';
import type { ConnectionState } from '@/components/realtime/use-live-state';
import { CONNECTION_LABELS } from '@/components/realtime/connection-status';

/** The header's connection pill; the colour is never the only cue (label and tooltip too). */
export function ConnectionIndicator({ status, detail }: ConnectionState) {
  return (
    <div
      className={`wf-conn wf-conn--${status}`}
      role="status"
      aria-live="polite"
      data-connection={status}
      title={detail ?? 'Receiving live updates'}
    >
      <span className="wf-conn__dot" aria-hidden="true" />
      <span className="wf-conn__label">{CONNECTION_LABELS[status]}</span>
    </div>
  );
}
