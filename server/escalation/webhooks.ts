/**
 * Webhooks as admins manage them, and their delivery log. The secret is
 * generated here and shown once (on create); listings never include it.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { AppError } from '../errors';
import { checkWebhookUrl, type TargetPolicy } from './webhook-target';
import type { WebhookDto, WebhookDeliveryDto } from '../../contract/escalation';

/** A pool or a transaction's client: the API changes a webhook and audits it in one transaction. */
type Queryable = Pick<pg.Pool, 'query'>;

export class WebhookNotFoundError extends AppError {
  constructor(id: string) {
    super('WEBHOOK_NOT_FOUND', `webhook ${id} does not exist`, 404);
  }
}

export const createWebhookSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  url: z.string().trim().min(1).max(2000),
});
export const updateWebhookSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    url: z.string().trim().min(1).max(2000).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');

interface WebhookRow {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  created_at: Date;
  last_at: Date | null;
  last_ok: boolean | null;
  last_status: number | null;
}

const SELECT = `
  SELECT w.id, w.name, w.url, w.enabled, w.created_at, d.at AS last_at, d.ok AS last_ok, d.status_code AS last_status
  FROM webhooks w
  LEFT JOIN LATERAL (SELECT at, ok, status_code FROM webhook_deliveries
                     WHERE webhook_id = w.id ORDER BY id DESC LIMIT 1) d ON true`;

const toDto = (r: WebhookRow): WebhookDto => ({
  id: r.id,
  name: r.name,
  url: r.url,
  enabled: r.enabled,
  createdAt: r.created_at.getTime(),
  lastDelivery: r.last_at
    ? { at: r.last_at.getTime(), ok: !!r.last_ok, statusCode: r.last_status }
    : null,
});

/** Every webhook, by name. */
export async function listWebhooks(pool: pg.Pool): Promise<WebhookDto[]> {
  const { rows } = await pool.query<WebhookRow>(`${SELECT} ORDER BY w.name, w.id`);
  return rows.map(toDto);
}

/** Creates a webhook with a fresh secret; the secret is returned this once. */
export async function createWebhook(
  db: Queryable,
  input: z.infer<typeof createWebhookSchema>,
  policy: TargetPolicy,
): Promise<{ webhook: WebhookDto; secret: string }> {
  checkWebhookUrl(input.url, policy);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO webhooks (name, url, secret) VALUES ($1, $2, $3) RETURNING id`,
    [input.name, input.url, secret],
  );
  return { webhook: await getWebhook(db, rows[0]!.id), secret };
}

/** One webhook (without its secret). */
export async function getWebhook(db: Queryable, id: string): Promise<WebhookDto> {
  const { rows } = await db.query<WebhookRow>(`${SELECT} WHERE w.id = $1`, [id]);
  if (!rows[0]) throw new WebhookNotFoundError(id);
  return toDto(rows[0]);
}

/** Renames, re-targets, enables or disables a webhook. */
export async function updateWebhook(
  db: Queryable,
  id: string,
  input: z.infer<typeof updateWebhookSchema>,
  policy: TargetPolicy,
): Promise<WebhookDto> {
  if (input.url) checkWebhookUrl(input.url, policy);
  const result = await db.query(
    `UPDATE webhooks SET name = COALESCE($2, name), url = COALESCE($3, url), enabled = COALESCE($4, enabled)
     WHERE id = $1`,
    [id, input.name ?? null, input.url ?? null, input.enabled ?? null],
  );
  if (result.rowCount === 0) throw new WebhookNotFoundError(id);
  return getWebhook(db, id);
}

/** Deletes a webhook (its deliveries go with it; notifications keep their label). */
export async function deleteWebhook(db: Queryable, id: string): Promise<WebhookDto> {
  const webhook = await getWebhook(db, id);
  await db.query(`DELETE FROM webhooks WHERE id = $1`, [id]);
  return webhook;
}

/** What a delivery needs: URL and secret (worker side only). */
export async function webhookTarget(
  db: Pick<pg.Pool, 'query'>,
  id: string,
): Promise<{ id: string; name: string; url: string; secret: string; enabled: boolean } | null> {
  const { rows } = await db.query(
    `SELECT id, name, url, secret, enabled FROM webhooks WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Appends one delivery attempt to the log. */
export async function recordDelivery(
  db: Pick<pg.Pool, 'query'>,
  d: {
    webhookId: string;
    notificationId: string;
    alertId: string;
    attempt: number;
    ok: boolean;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, notification_id, alert_id, attempt, ok, status_code, latency_ms, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      d.webhookId,
      d.notificationId,
      d.alertId,
      d.attempt,
      d.ok,
      d.statusCode,
      d.latencyMs,
      d.error?.slice(0, 500) ?? null,
    ],
  );
}

/** The latest delivery attempts, newest first (optionally of one webhook). */
export async function listDeliveries(
  pool: pg.Pool,
  webhookId: string | null,
  limit = 100,
): Promise<WebhookDeliveryDto[]> {
  const { rows } = await pool.query(
    `SELECT d.id::text, d.webhook_id, w.name AS webhook_name, d.notification_id, d.alert_id, d.attempt, d.at,
            d.ok, d.status_code, d.latency_ms, d.error
     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
     WHERE ($1::uuid IS NULL OR d.webhook_id = $1) ORDER BY d.id DESC LIMIT $2`,
    [webhookId, Math.min(Math.max(limit, 1), 500)],
  );
  return rows.map((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    webhookName: r.webhook_name,
    notificationId: r.notification_id,
    alertId: r.alert_id,
    attempt: r.attempt,
    at: (r.at as Date).getTime(),
    ok: r.ok,
    statusCode: r.status_code,
    latencyMs: r.latency_ms,
    error: r.error,
  }));
}
