/**
 * What the escalation screens receive (alert timeline, admin page). Types
 * only: browsers import this file type-only.
 */
import type { AlertSeverity } from '../../contract/alerts';
import type { EscalationStep } from './policy-schema';

export interface TimelineEntryDto {
  id: string;
  step: number;
  repeat: number;
  channel: 'email' | 'webhook';
  recipient: string;
  status: 'pending' | 'sent' | 'failed' | 'cancelled' | 'skipped';
  dueAt: string;
  firedAt: string;
  lateMs: number;
  sentAt: string | null;
  attempts: number;
  error: string | null;
}

export interface EscalationTimelineDto {
  alertId: string;
  /** null: no policy applied to this alert. */
  startedAt: string | null;
  steps: EscalationStep[];
  entries: TimelineEntryDto[];
  /** The firing that is due next (running), or that acknowledgement cancelled (ended). */
  next: { step: number; repeat: number; dueAt: string } | null;
  endedAt: string | null;
  /** acknowledged, resolved, completed */
  endReason: string | null;
  acknowledgedBy: { name: string; at: string } | null;
}

export interface PolicyDto {
  id: string;
  siteId: string | null;
  severity: AlertSeverity;
  enabled: boolean;
  steps: EscalationStep[];
  updatedAt: string;
  updatedBy: string | null;
}
