'use client';
/** The admin header's connection pill: live or reconnecting, and the time of the figures shown. */
import { formatTime } from './format';

/** `at`: when the figures on screen were read (ISO); null while loading. */
export function LivePill({ connected, at }: { connected: boolean; at: number | null }) {
  return (
    <div
      className={`wf-conn wf-conn--${connected ? 'live' : 'reconnecting'}`}
      role="status"
      data-connection={connected ? 'live' : 'reconnecting'}
      title={at ? `Figures of ${formatTime(at)}` : 'Loading'}
    >
      <span className="wf-conn__dot" aria-hidden="true" />
      <span className="wf-conn__label">{connected ? 'Live' : 'Reconnecting'}</span>
    </div>
  );
}
