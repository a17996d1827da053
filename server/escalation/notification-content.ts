/**
 * What every notification says, whatever the channel: what happened, who,
 * where (with a link to the live map), since when, how late this step is,
 * and where to acknowledge. E-mail renders it as text and HTML; webhooks send
 * it as JSON. Device text (the alert's message) is escaped in HTML, never markup.
 * Times leave here as ISO 8601 text: people read the e-mails, and the webhook
 * body is an API of its own for receivers elsewhere, ISO since it was first
 * published (the contract's epoch ms are between our own processes and screens).
 */
import type pg from 'pg';
import { getAlert } from '../alerts/queries';
import type { AlertDto } from '../../contract/alerts';
import type { NotificationRow } from './notifications';

export interface NotificationContent {
  id: string;
  alert: AlertDto;
  siteName: string | null;
  guardName: string | null;
  step: number;
  repeat: number;
  dueAt: string;
  lateSeconds: number;
  acknowledgeUrl: string;
  mapUrl: string;
}

/** Loads what a notification needs; null when the alert is gone. */
export async function loadContent(
  pool: pg.Pool,
  row: NotificationRow,
  publicUrl: string,
): Promise<NotificationContent | null> {
  const alert = await getAlert(pool, row.alert_id);
  if (!alert) return null;
  const { rows } = await pool.query<{ site: string | null; guard: string | null }>(
    `SELECT (SELECT name FROM sites WHERE id = $1) AS site, (SELECT name FROM guards WHERE id = $2) AS guard`,
    [alert.siteId, alert.guardId],
  );
  const base = publicUrl.replace(/\/+$/, '');
  return {
    id: row.id,
    alert,
    siteName: rows[0]?.site ?? null,
    guardName: rows[0]?.guard ?? null,
    step: row.step,
    repeat: row.repeat,
    dueAt: row.due_at.toISOString(),
    lateSeconds: Math.round(row.late_ms / 1000),
    acknowledgeUrl: `${base}/alerts/${alert.id}`,
    mapUrl: `${base}/?alert=${alert.id}`,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

const label = (type: string) => type.replace(/_/g, ' ').toUpperCase();

/** A time people read anywhere: the server cannot know the reader's zone, so UTC, said so. */
const utc = (epochMs: number) =>
  `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** The subject line. */
export function subject(c: NotificationContent): string {
  const who = c.guardName ?? c.alert.guardId ?? c.alert.deviceId ?? 'unknown';
  const again = c.repeat > 0 ? ` (reminder ${c.repeat})` : '';
  return `[${c.alert.severity.toUpperCase()}] ${label(c.alert.type)} · ${who} · ${c.siteName ?? 'no site'}${again}`;
}

/** Facts as label/value lines, shared by the text and HTML bodies. */
function facts(c: NotificationContent): [string, string][] {
  const where = c.alert.location
    ? `${c.siteName ?? 'no site'} (${c.alert.location.lat.toFixed(5)}, ${c.alert.location.lon.toFixed(5)})`
    : (c.siteName ?? 'no site');
  const lines: [string, string][] = [
    ['What', `${label(c.alert.type)} (${c.alert.severity})`],
    ['Who', c.guardName ?? c.alert.guardId ?? `device ${c.alert.deviceId ?? 'unknown'}`],
    ['Where', where],
    ['Since', `${utc(c.alert.raisedAt)} (still ${c.alert.status})`],
    ['Step', `${c.step + 1}${c.repeat ? `, reminder ${c.repeat}` : ''}`],
  ];
  if (c.lateSeconds > 0) lines.push(['Late', `this step is ${c.lateSeconds} s late`]);
  if (c.alert.message) lines.push(['Message', c.alert.message]);
  return lines;
}

/** Plain-text body. */
export function textBody(c: NotificationContent): string {
  return [
    `${label(c.alert.type)}: nobody has acknowledged this alert yet.`,
    '',
    ...facts(c).map(([k, v]) => `${k}: ${v}`),
    '',
    `Map: ${c.mapUrl}`,
    `Acknowledge: ${c.acknowledgeUrl}`,
    '',
  ].join('\n');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** HTML body: the same facts, escaped, with the two links as buttons. */
export function htmlBody(c: NotificationContent): string {
  const rows = facts(c)
    .map(
      ([k, v]) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
    )
    .join('');
  const link = (href: string, text: string) =>
    `<a href="${escapeHtml(href)}" style="display:inline-block;padding:8px 14px;margin-right:8px;background:#b3261e;color:#fff;text-decoration:none;border-radius:4px">${text}</a>`;
  return `<!doctype html><html><body style="font-family:sans-serif">
<h2 style="color:#b3261e">${escapeHtml(label(c.alert.type))}: not acknowledged</h2>
<table>${rows}</table>
<p>${link(c.acknowledgeUrl, 'Acknowledge')}${link(c.mapUrl, 'Show on the map')}</p>
</body></html>`;
}

/** The JSON a webhook receives. */
export function webhookPayload(c: NotificationContent, sentAt: number) {
  return {
    id: c.id,
    event: 'alert.escalation',
    step: c.step,
    repeat: c.repeat,
    dueAt: c.dueAt,
    lateSeconds: c.lateSeconds,
    sentAt: iso(sentAt),
    summary: subject(c),
    alert: {
      id: c.alert.id,
      type: c.alert.type,
      severity: c.alert.severity,
      status: c.alert.status,
      message: c.alert.message,
      site: c.alert.siteId ? { id: c.alert.siteId, name: c.siteName } : null,
      guard: c.alert.guardId ? { id: c.alert.guardId, name: c.guardName } : null,
      deviceId: c.alert.deviceId,
      location: c.alert.location,
      // ISO 8601 like dueAt and sentAt: the receiver's document has one form of a time.
      raisedAt: iso(c.alert.raisedAt),
    },
    links: { acknowledge: c.acknowledgeUrl, map: c.mapUrl },
  };
}
