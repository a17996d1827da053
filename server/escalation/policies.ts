/** Escalation policies as admins edit them: one per site and severity, plus a default per severity. */
import type pg from 'pg';

/** A pool or a transaction's client: the API saves a policy and its audit entry in one transaction. */
type Queryable = Pick<pg.Pool, 'query'>;
import { AppError } from '../errors';
import { type PolicyDto, type PolicyInput, stepsSchema } from '../../contract/escalation';

export class PolicyNotFoundError extends AppError {
  constructor(id: string) {
    super('POLICY_NOT_FOUND', `escalation policy ${id} does not exist`, 404);
  }
}

interface PolicyRow {
  id: string;
  site_id: string | null;
  severity: PolicyDto['severity'];
  enabled: boolean;
  steps: unknown;
  updated_at: Date;
  updated_by_email: string | null;
}

const SELECT = `SELECT p.id, p.site_id, p.severity, p.enabled, p.steps, p.updated_at, u.email AS updated_by_email
  FROM escalation_policies p LEFT JOIN users u ON u.id = p.updated_by`;

const toDto = (r: PolicyRow): PolicyDto => ({
  id: r.id,
  siteId: r.site_id,
  severity: r.severity,
  enabled: r.enabled,
  // Stored only after validation; parse again so a hand-edited row cannot reach screens malformed.
  steps: stepsSchema.catch([]).parse(r.steps),
  updatedAt: r.updated_at.getTime(),
  updatedBy: r.updated_by_email,
});

/** Every policy: defaults first, then by site, then by severity. */
export async function listPolicies(pool: pg.Pool): Promise<PolicyDto[]> {
  const { rows } = await pool.query<PolicyRow>(
    // The AlertSeverity enum type sorts in its declared order: critical first.
    `${SELECT} ORDER BY p.site_id NULLS FIRST, p.severity`,
  );
  return rows.map(toDto);
}

/** Refuses recipients that name a user or webhook that does not exist (they would never be told). */
async function assertRecipientsExist(db: Queryable, input: PolicyInput): Promise<void> {
  const recipients = input.steps.flatMap((s) => s.recipients);
  const userIds = recipients.flatMap((r) => (r.kind === 'user' ? [r.userId] : []));
  const webhookIds = recipients.flatMap((r) => (r.kind === 'webhook' ? [r.webhookId] : []));
  for (const [table, ids] of [
    ['users', userIds],
    ['webhooks', webhookIds],
  ] as const) {
    if (ids.length === 0) continue;
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM ${table} WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const unknown = [...new Set(ids)].filter((id) => !rows.some((r) => r.id === id));
    if (unknown.length) {
      const what = table === 'users' ? 'user' : 'webhook';
      throw new AppError('UNKNOWN_RECIPIENT', `unknown ${what} ${unknown.join(', ')}`, 422);
    }
  }
}

/** Creates or replaces the policy of (site, severity). Running escalations keep the steps they started with. */
export async function savePolicy(
  db: Queryable,
  input: PolicyInput,
  actorId: string,
): Promise<PolicyDto> {
  if (input.siteId) {
    const { rowCount } = await db.query(`SELECT 1 FROM sites WHERE id = $1`, [input.siteId]);
    if (!rowCount) throw new AppError('SITE_NOT_FOUND', `site ${input.siteId} does not exist`, 422);
  }
  await assertRecipientsExist(db, input);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO escalation_policies (site_id, severity, enabled, steps, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (site_id, severity) DO UPDATE
       SET enabled = EXCLUDED.enabled, steps = EXCLUDED.steps, updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING id`,
    [input.siteId, input.severity, input.enabled, JSON.stringify(input.steps), actorId],
  );
  return getPolicy(db, rows[0]!.id);
}

/** One policy. */
export async function getPolicy(db: Queryable, id: string): Promise<PolicyDto> {
  const { rows } = await db.query<PolicyRow>(`${SELECT} WHERE p.id = $1`, [id]);
  if (!rows[0]) throw new PolicyNotFoundError(id);
  return toDto(rows[0]);
}

/** Deletes a policy: its site falls back to the default of that severity. */
export async function deletePolicy(db: Queryable, id: string): Promise<PolicyDto> {
  const policy = await getPolicy(db, id);
  await db.query(`DELETE FROM escalation_policies WHERE id = $1`, [id]);
  return policy;
}
