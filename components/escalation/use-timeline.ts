'use client';
/** Reads an alert's escalation timeline; reads again when `version` changes (the alert moved on). */
import { useEffect, useState } from 'react';
import type { EscalationTimelineDto } from '@/contract/escalation';
import type { AlertDto } from '@/contract/alerts';

export interface TimelineState {
  alert: AlertDto | null;
  timeline: EscalationTimelineDto | null;
  error: string | null;
}

/** `alertId` null: nothing to read. */
export function useTimeline(alertId: string | null, version = ''): TimelineState {
  const [state, setState] = useState<TimelineState>({ alert: null, timeline: null, error: null });
  useEffect(() => {
    if (!alertId) return;
    const request = new AbortController();
    fetch(`/api/alerts/${encodeURIComponent(alertId)}/escalation`, {
      cache: 'no-store',
      credentials: 'same-origin',
      signal: request.signal,
    })
      .then(async (res) => {
        const body = (await res.json()) as {
          alert?: AlertDto;
          timeline?: EscalationTimelineDto;
          error?: { message: string };
        };
        if (!res.ok || !body.timeline) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
        setState({ alert: body.alert ?? null, timeline: body.timeline, error: null });
      })
      .catch((err: Error) => {
        if (err.name !== 'AbortError') setState((s) => ({ ...s, error: err.message }));
      });
    return () => request.abort();
  }, [alertId, version]);
  return state;
}
