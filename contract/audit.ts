/** The audit log as the admin page reads it. */

import type { EpochMs } from './time';

export interface AuditEntryDto {
  id: string;
  /** Epoch ms. */
  at: EpochMs;
  actorId: string | null;
  actorLabel: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntryDto[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}
