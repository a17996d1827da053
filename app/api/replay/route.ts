/**
 * GET /api/replay?guards=g1,g2&from=<ms>&to=<ms>: stored paths for history replay
 * (epoch ms, as every time of the contract; ISO 8601 is still read: links and
 * scripts from before, contract/time.ts).
 * Each fix is shown only if the user may see the site the guard belonged to
 * when it was taken (a guard moved between sites brings no history along),
 * and each user may ask a bounded number of times a minute.
 */
import { z } from 'zod';
import { ID_PATTERN } from '@/contract/ids';
import { epochMsParamSchema } from '@/contract/time';
import { requireUser } from '@/server/auth/request-auth';
import { replayGuardPaths } from '@/server/guards/history';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

const querySchema = z.object({
  guards: z
    .string()
    .transform((raw) => [...new Set(raw.split(',').filter(Boolean))])
    .pipe(z.array(z.string().regex(ID_PATTERN)).min(1).max(20)),
  from: epochMsParamSchema,
  to: epochMsParamSchema,
});

export const GET = apiHandler(async (request: Request) => {
  const user = await requireUser(request);
  const { db, replayLimiter } = webContext();
  await replayLimiter.consume(user.id);
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  // Replay scans history: the read replica when there is one.
  const paths = await db.read((pool) =>
    replayGuardPaths(pool, user, { guardIds: query.guards, from: query.from, to: query.to }),
  );
  return json({ paths });
});
