/** Escalation policies as admins edit them: one per site and severity, plus a default per severity. */
import type pg from 'pg';
import { AppError } from '../errors';
import type { PolicyDto } from './escalation-dto';
import { stepsSchema, type PolicyInput } from './policy-schema';

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
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by_email,
});

/** Every policy: defaults first, then by site, then by severity. */
export async function listPolicies(pool: pg.Pool): Promise<PolicyDto[]> {
  const { rows } = await pool.query<PolicyRow>(
    `${SELECT} ORDER BY p.site_id NULLS FIRST, array_position(ARRAY['critical','high','medium','low'], p.severity::text)`,
  );
  return rows.map(toDto);
}

/** Creates or replaces the policy of (site, severity). Running escalations keep the steps they started with. */
export async function savePolicy(
  pool: pg.Pool,
  input: PolicyInput,
  actorId: string,
): Promise<PolicyDto> {
  if (input.siteId) {
    const { rowCount } = await pool.query(`SELECT 1 FROM sites WHERE id = $1`, [input.siteId]);
    if (!rowCount) throw new AppError('SITE_NOT_FOUND', `site ${input.siteId} does not exist`, 422);
  }
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO escalation_policies (site_id, severity, enabled, steps, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (site_id, severity) DO UPDATE
       SET enabled = EXCLUDED.enabled, steps = EXCLUDED.steps, updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING id`,
    [input.siteId, input.severity, input.enabled, JSON.stringify(input.steps), actorId],
  );
  return getPolicy(pool, rows[0]!.id);
}

/** One policy. */
export async function getPolicy(pool: pg.Pool, id: string): Promise<PolicyDto> {
  const { rows } = await pool.query<PolicyRow>(`${SELECT} WHERE p.id = $1`, [id]);
  if (!rows[0]) throw new PolicyNotFoundError(id);
  return toDto(rows[0]);
}

/** Deletes a policy: its site falls back to the default of that severity. */
export async function deletePolicy(pool: pg.Pool, id: string): Promise<PolicyDto> {
  const policy = await getPolicy(pool, id);
  await pool.query(`DELETE FROM escalation_policies WHERE id = $1`, [id]);
  return policy;
}
