/** GET /api/replay?guards=g1,g2&from=ISO&to=ISO: stored paths for history replay. */
import { z } from 'zod';
import { canSeeSite, requireUser } from '@/server/auth/request-auth';
import { ValidationError } from '@/server/errors';
import { listGuardPaths } from '@/server/guards/history';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

/** A replay covers at most a day: longer ranges belong in a report, not on a map. */
const MAX_RANGE_MS = 24 * 3600_000;

const querySchema = z.object({
  guards: z
    .string()
    .transform((raw) => [...new Set(raw.split(',').filter(Boolean))])
    .pipe(
      z
        .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/))
        .min(1)
        .max(20),
    ),
  from: z.iso.datetime({ offset: true }).transform((t) => new Date(t)),
  to: z.iso.datetime({ offset: true }).transform((t) => new Date(t)),
});

export const GET = apiHandler(async (request: Request) => {
  const user = await requireUser(request);
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const span = query.to.getTime() - query.from.getTime();
  if (span <= 0 || span > MAX_RANGE_MS) {
    throw new ValidationError('the range must run forwards and span at most 24 hours');
  }
  const { pool } = webContext().db;
  // Only guards of sites the user may see: the others are silently left out.
  const { rows } = await pool.query<{ id: string; site_id: string | null }>(
    'SELECT id, site_id FROM guards WHERE id = ANY($1::text[])',
    [query.guards],
  );
  const visible = rows.filter((row) => canSeeSite(user, row.site_id)).map((row) => row.id);
  const paths =
    visible.length === 0 ? [] : await listGuardPaths(pool, { ...query, guardIds: visible });
  return json({ paths });
});
