/**
 * GET /api/admin/audit?limit=50&before=<cursor>&action=user&actor=ana&from=<ms>&to=<ms>:
 * the audit log, newest first, one page at a time (`nextCursor` fetches the next). Admins only.
 * `from` and `to` are epoch ms, as every time of the contract; ISO 8601 is still
 * read (links and scripts from before, contract/time.ts).
 */
import { z } from 'zod';
import { epochMsParamSchema } from '@/contract/time';
import { listAudit } from '@/server/audit/audit-log';
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

const querySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z
      .string()
      .regex(/^\d{1,19}$/, 'a cursor from a previous page')
      .optional(),
    action: z
      .string()
      .regex(/^[a-z_]+(\.[a-z_]+)*$/, 'an action like user.create, or a family like user')
      .max(64)
      .optional(),
    /** A user id, or part of the actor's label (email, "cli", "system"). */
    actor: z.string().trim().min(1).max(254).optional(),
    from: epochMsParamSchema.optional(),
    to: epochMsParamSchema.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from < q.to, {
    message: '"from" must be before "to"',
    path: ['from'],
  });

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request, { roles: ['admin'] });
  const { actor, ...query } = querySchema.parse(
    Object.fromEntries(new URL(request.url).searchParams),
  );
  const byId = actor !== undefined && z.uuid().safeParse(actor).success;
  // Browsing: the read replica when there is one.
  const page = await webContext().db.read((pool) =>
    listAudit(pool, {
      ...query,
      actorId: byId ? actor : undefined,
      actor: byId ? undefined : actor,
    }),
  );
  return json(page);
});
