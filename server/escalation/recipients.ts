/**
 * Who a step's recipients are, right now: supervisors of the alert's site,
 * admins, named users (their notification address, else their login e-mail),
 * plain addresses, and enabled webhooks. Disabled users are never told.
 */
import type pg from 'pg';
import type { NotificationChannel, Recipient } from '../../contract/escalation';

export interface ResolvedRecipient {
  channel: NotificationChannel;
  /** The address, or the webhook id: with the step, the notification's unique key. */
  recipient: string;
  label: string;
  webhookId: string | null;
}

type Queryable = Pick<pg.Pool, 'query'>;

const USERS = `SELECT lower(COALESCE(u.notification_email, u.email)) AS address, u.name FROM users u`;

async function users(db: Queryable, where: string, params: unknown[]) {
  const { rows } = await db.query<{ address: string; name: string }>(
    `${USERS} WHERE u.disabled_at IS NULL AND ${where} ORDER BY address`,
    params,
  );
  return rows.map((r) => ({
    channel: 'email' as const,
    recipient: r.address,
    label: `${r.name} <${r.address}>`,
    webhookId: null,
  }));
}

async function resolveOne(
  db: Queryable,
  recipient: Recipient,
  siteId: string | null,
): Promise<ResolvedRecipient[]> {
  switch (recipient.kind) {
    case 'site_supervisors':
      // An alert with no site belongs to nobody's site: admins stand in, so it still reaches someone.
      if (!siteId) return users(db, `u.role = 'admin'`, []);
      return users(
        db,
        `u.role = 'supervisor' AND EXISTS (SELECT 1 FROM user_sites s WHERE s.user_id = u.id AND s.site_id = $1)`,
        [siteId],
      );
    case 'admins':
      return users(db, `u.role = 'admin'`, []);
    case 'user':
      return users(db, `u.id = $1`, [recipient.userId]);
    case 'email':
      return [
        {
          channel: 'email',
          recipient: recipient.address.toLowerCase(),
          label: recipient.address.toLowerCase(),
          webhookId: null,
        },
      ];
    case 'webhook': {
      const { rows } = await db.query<{ id: string; name: string }>(
        `SELECT id, name FROM webhooks WHERE id = $1 AND enabled`,
        [recipient.webhookId],
      );
      return rows.map((w) => ({
        channel: 'webhook' as const,
        recipient: w.id,
        label: `webhook ${w.name}`,
        webhookId: w.id,
      }));
    }
  }
}

/** Every recipient of a step, once each (an admin who also supervises the site gets one e-mail). */
export async function resolveRecipients(
  db: Queryable,
  recipients: readonly Recipient[],
  siteId: string | null,
): Promise<ResolvedRecipient[]> {
  const seen = new Map<string, ResolvedRecipient>();
  for (const recipient of recipients) {
    for (const r of await resolveOne(db, recipient, siteId)) {
      seen.set(`${r.channel}|${r.recipient}`, r);
    }
  }
  return [...seen.values()];
}
