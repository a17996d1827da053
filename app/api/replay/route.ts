/**
 * GET /api/replay?guards=g1,g2&from=ISO&to=ISO: stored paths for history replay.
 * Each fix is shown only if the user may see the site the guard belonged to
 * when it was taken (a guard moved between sites brings no history along),
 * and each user may ask a bounded number of times a minute.
 */
import { z } from 'zod';
import { requireUser } from '@/server/auth/request-auth';
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
  const { db, replayLimiter } = webContext();
  await replayLimiter.consume(user.id);
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const span = query.to.getTime() - query.from.getTime();
  if (span <= 0 || span > MAX_RANGE_MS) {
    throw new ValidationError('the range must run forwards and span at most 24 hours');
  }
  // Replay scans history: the read replica when there is one.
  const paths = await db.read((pool) =>
    listGuardPaths(pool, { ...query, guardIds: query.guards, siteIds: user.siteIds }),
  );
  return json({ paths });
});
