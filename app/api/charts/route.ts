/** GET /api/charts: the last 15 minutes of chart samples, so a reload shows history at once. */
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';

export const GET = apiHandler(async (request: Request) => {
  await requireUser(request);
  return json(webContext().chartHistory());
});
