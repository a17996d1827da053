/**
 * User management for admins (page, API and CLI): create, change role, sites,
 * name or password, delete. A changed role, password or site list ends the
 * user's sessions, so a demoted user loses access at once.
 */
import type pg from 'pg';
import { z } from 'zod';
import { recordAudit, type AuditInput } from '../audit/audit-log';
import { withTransaction } from '../db/transaction';
import { AppError } from '../errors';
import { deleteUserSessions } from '../auth/sessions';
import { type Role, USER_ROLES, type UserDto } from '../../contract/users';
import { assertAnotherAdminRemains } from './admin-lockout';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';

/**
 * Where escalation e-mails go when the login email is not a mailbox anyone
 * reads (a shared duty phone's address, a team list). Null (or empty) clears it.
 */
const notificationEmail = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
  z
    .email('must be an e-mail address, or empty for the login email')
    .max(254)
    .transform((e) => e.toLowerCase())
    .nullable(),
);

const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(256);

export const createUserSchema = z
  .object({
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase()),
    name: z.string().trim().min(1).max(120),
    role: z.enum(USER_ROLES),
    password,
    siteIds: z.array(z.string().min(1).max(100)).max(1000).default([]),
    notificationEmail: notificationEmail.default(null),
  })
  .refine((u) => !u.password.toLowerCase().includes(u.email), {
    message: 'must not contain the email address',
    path: ['password'],
  });

export const updateUserSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    role: z.enum(USER_ROLES),
    password,
    siteIds: z.array(z.string().min(1).max(100)).max(1000),
    disabled: z.boolean(),
    notificationEmail,
  })
  .partial()
  .strict();

export type CreateUserInput = z.infer<typeof createUserSchema>;
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

const SELECT = `SELECT u.id, u.email, u.name, u.role, u.created_at, u.last_login_at, u.disabled_at, u.notification_email,
  ARRAY(SELECT site_id FROM user_sites WHERE user_id = u.id ORDER BY site_id) AS site_ids FROM users u`;

interface Row {
  id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
  last_login_at: Date | null;
  disabled_at: Date | null;
  notification_email: string | null;
  site_ids: string[];
}

const toDto = (r: Row): UserDto => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  siteIds: r.site_ids,
  createdAt: r.created_at.getTime(),
  lastLoginAt: r.last_login_at?.getTime() ?? null,
  disabledAt: r.disabled_at?.getTime() ?? null,
  notificationEmail: r.notification_email,
});

/** Every user, by email. */
export async function listUsers(pool: pg.Pool): Promise<UserDto[]> {
  const { rows } = await pool.query<Row>(`${SELECT} ORDER BY u.email`);
  return rows.map(toDto);
}

/** One user, or a 404 AppError. */
export async function getUser(db: Pick<pg.Pool, 'query'>, id: string): Promise<UserDto> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE u.id = $1`, [id]);
  if (!rows[0]) throw new AppError('USER_NOT_FOUND', 'no such user', 404);
  return toDto(rows[0]);
}

async function setSites(client: pg.PoolClient, userId: string, siteIds: string[]): Promise<void> {
  const unique = [...new Set(siteIds)];
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM sites WHERE id = ANY($1)`, [
    unique,
  ]);
  const unknown = unique.filter((id) => !rows.some((r) => r.id === id));
  if (unknown.length) throw new AppError('UNKNOWN_SITE', `unknown site ${unknown.join(', ')}`, 422);
  await client.query(`DELETE FROM user_sites WHERE user_id = $1`, [userId]);
  if (unique.length) {
    await client.query(`INSERT INTO user_sites (user_id, site_id) SELECT $1, unnest($2::text[])`, [
      userId,
      unique,
    ]);
  }
}

/** The audit entry of a change, written in the change's own transaction. */
export type AuditOf<T> = (result: T) => AuditInput;

/** Creates a user; a taken email is a 409. */
export async function createUser(
  pool: pg.Pool,
  input: CreateUserInput,
  audit?: AuditOf<UserDto>,
): Promise<UserDto> {
  const passwordHash = await hashPassword(input.password);
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO users (id, email, name, role, password_hash, notification_email)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [input.email, input.name, input.role, passwordHash, input.notificationEmail],
    );
    if (!rows[0]) throw new AppError('EMAIL_TAKEN', 'a user with this email exists', 409);
    await setSites(client, rows[0].id, input.siteIds);
    const user = await getUser(client, rows[0].id);
    if (audit) await recordAudit(client, audit(user));
    return user;
  });
}

/** Whether the change ends the user's current access (their sessions are ended). */
export function changesAccess(input: UpdateUserInput): boolean {
  return !!(input.role || input.password || input.siteIds || input.disabled);
}

/**
 * Applies the given changes; ends the user's sessions when access changed.
 * Refuses (409 LAST_ADMIN) to demote or disable the last active admin.
 */
export async function updateUser(
  pool: pg.Pool,
  id: string,
  input: UpdateUserInput,
  audit?: AuditOf<UserDto>,
): Promise<UserDto> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const user = await withTransaction(pool, async (client) => {
    if ((input.role && input.role !== 'admin') || input.disabled) {
      await assertAnotherAdminRemains(client, id);
    }
    const { rowCount } = await client.query(
      `UPDATE users SET name = COALESCE($2, name), role = COALESCE($3::"UserRole", role),
         password_hash = COALESCE($4, password_hash),
         disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at
                            WHEN $5 THEN COALESCE(disabled_at, now()) ELSE NULL END,
         notification_email = CASE WHEN $6::boolean THEN $7 ELSE notification_email END
       WHERE id = $1`,
      [
        id,
        input.name ?? null,
        input.role ?? null,
        passwordHash,
        input.disabled ?? null,
        // null is a value here (clear it), so "given" travels apart from the value.
        input.notificationEmail !== undefined,
        input.notificationEmail ?? null,
      ],
    );
    if (!rowCount) throw new AppError('USER_NOT_FOUND', 'no such user', 404);
    // In the same transaction: no moment where the change is visible and the
    // old sessions still work (a demoted admin's request in flight would then
    // pass as a viewer's, 403, instead of ending, 401).
    if (changesAccess(input)) await deleteUserSessions(client, id);
    if (input.siteIds) await setSites(client, id, input.siteIds);
    const user = await getUser(client, id);
    if (audit) await recordAudit(client, audit(user));
    return user;
  });
  return user;
}

/** Deletes a user (their sessions go with them); never the last active admin. */
export async function deleteUser(
  pool: pg.Pool,
  id: string,
  audit?: AuditOf<UserDto>,
): Promise<UserDto> {
  return withTransaction(pool, async (client) => {
    const user = await getUser(client, id);
    await assertAnotherAdminRemains(client, id);
    await client.query(`DELETE FROM users WHERE id = $1`, [id]);
    if (audit) await recordAudit(client, audit(user));
    return user;
  });
}

/** The id and hash behind an email, for login, and whether the account is disabled. */
export async function findCredentials(
  pool: pg.Pool,
  email: string,
): Promise<{ id: string; passwordHash: string; disabled: boolean } | null> {
  const { rows } = await pool.query<{ id: string; password_hash: string; disabled: boolean }>(
    `SELECT id, password_hash, disabled_at IS NOT NULL AS disabled FROM users WHERE email = $1`,
    [email.trim().toLowerCase()],
  );
  const row = rows[0];
  return row ? { id: row.id, passwordHash: row.password_hash, disabled: row.disabled } : null;
}

/** Records a successful login (shown to admins as "last login"). */
export async function recordLogin(pool: pg.Pool, id: string): Promise<void> {
  await pool.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [id]);
}
