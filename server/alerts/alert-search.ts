/**
 * Searching alerts for the feed's filters and history (GET /api/alerts), a page
 * at a time. Pages are keyed on (raised_at, id), newest first, so alerts raised
 * while someone pages through never shift or repeat what the next page holds.
 */
import type pg from 'pg';
import { AppError } from '../errors';
import type { AlertDto, AlertSeverity, AlertStatus } from '../../contract/alerts';
import type { EpochMs } from '../../contract/time';
import { alertSelect, toAlertDto, type AlertRow } from './queries';

export interface AlertSearch {
  severities?: AlertSeverity[];
  statuses?: AlertStatus[];
  siteIds?: string[];
  /** The caller's visible sites; 'all' for admins. Sites outside it (and no site) are never returned. */
  visibleSiteIds: string[] | 'all';
  /** Raised at or after. */
  from?: EpochMs;
  /** Raised before. */
  to?: EpochMs;
  /** From a previous page's nextCursor: continue after its last alert. */
  cursor?: string;
  limit: number;
}

export interface AlertPage {
  alerts: AlertDto[];
  /** Pass back as `cursor` for the next page; null when this was the last. */
  nextCursor: string | null;
}

interface Position {
  /** raised_at in microseconds since the epoch: a Date (ms) would lose the order of close alerts. */
  raisedUs: string;
  id: string;
}

const CURSOR = /^(\d{1,20})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function encodeCursor(position: Position): string {
  return Buffer.from(`${position.raisedUs}.${position.id}`).toString('base64url');
}

export class InvalidCursorError extends AppError {
  constructor() {
    super('INVALID_CURSOR', 'cursor is not one this server gave out: start again without it', 400);
  }
}

/** Reads a cursor this module wrote; anything else is the caller's mistake. */
function decodeCursor(cursor: string): Position {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError();
  return { raisedUs: match[1]!, id: match[2]! };
}

/** One page of alerts matching every given filter, newest raised first. */
export async function searchAlerts(pool: pg.Pool, search: AlertSearch): Promise<AlertPage> {
  const visible = search.visibleSiteIds === 'all' ? null : search.visibleSiteIds;
  const after = search.cursor ? decodeCursor(search.cursor) : null;
  // One row more than asked tells whether another page exists.
  const { rows } = await pool.query<AlertRow & { raised_us: string }>(
    `${alertSelect('(extract(epoch FROM a.raised_at) * 1000000)::bigint::text AS raised_us,')}
     WHERE ($1::text[] IS NULL OR a.severity::text = ANY($1))
       AND ($2::text[] IS NULL OR a.status::text = ANY($2))
       AND ($3::text[] IS NULL OR a.site_id = ANY($3))
       AND ($4::text[] IS NULL OR a.site_id = ANY($4))
       AND ($5::timestamptz IS NULL OR a.raised_at >= $5)
       AND ($6::timestamptz IS NULL OR a.raised_at < $6)
       AND ($7::bigint IS NULL
            OR (a.raised_at, a.id) < (to_timestamp(0) + $7::bigint * interval '1 microsecond', $8::uuid))
     ORDER BY a.raised_at DESC, a.id DESC LIMIT $9`,
    [
      search.severities?.length ? search.severities : null,
      search.statuses?.length ? search.statuses : null,
      search.siteIds?.length ? search.siteIds : null,
      visible,
      // The SQL edge of times (server/db/epoch-ms.ts): a Date is a timestamptz parameter.
      search.from === undefined ? null : new Date(search.from),
      search.to === undefined ? null : new Date(search.to),
      after?.raisedUs ?? null,
      after?.id ?? null,
      search.limit + 1,
    ],
  );
  const page = rows.slice(0, search.limit);
  const last = page[page.length - 1];
  return {
    alerts: page.map(toAlertDto),
    nextCursor:
      rows.length > search.limit && last
        ? encodeCursor({ raisedUs: last.raised_us, id: last.id })
        : null,
  };
}
