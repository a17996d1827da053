/** GET /api/auth/me: the logged-in user (or wall kiosk) and its sites; 401 without a session. */
import { requireUser } from '@/server/auth/request-auth';
import { apiHandler, json } from '@/server/http/api-handler';

export const GET = apiHandler(async (request: Request) => {
  const user = await requireUser(request);
  return json({ user });
});
