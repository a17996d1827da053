/** POST /api/auth/logout: ends the session and clears its cookie (JSON, or a redirect for forms). */
import { authSettings } from '@/server/auth/auth-settings';
import { cookieNames, readCookie, serializeCookie } from '@/server/auth/cookies';
import { logout } from '@/server/auth/login';
import { originProblem } from '@/server/auth/origin';
import { ForbiddenError } from '@/server/errors';
import { apiHandler } from '@/server/http/api-handler';
import { webContext } from '@/server/http/web-context';
import { CHANNEL_EVENTS } from '@/server/realtime/channel-events';

export const POST = apiHandler(async (request: Request) => {
  const { config, db, publish } = webContext();
  const settings = authSettings(config);
  // Logout CSRF would only annoy, but the rule is simple: every mutation checks Origin.
  const problem = originProblem((name) => request.headers.get(name), settings.origins, {
    requireOrigin: true,
  });
  if (problem) throw new ForbiddenError(problem, 'ORIGIN_REFUSED');
  const names = cookieNames(settings.cookies);
  const token = readCookie(request.headers.get('cookie'), names.session);
  if (token) {
    const user = await logout(db.pool, settings, token);
    // The live screens of this session drop at once, on every web node (not at the next sweep).
    if (user)
      publish({ type: CHANNEL_EVENTS.credentialsChanged, payload: { principalId: user.id } });
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  headers.append('set-cookie', serializeCookie(names.session, '', 0, settings.cookies));
  const form = (request.headers.get('content-type') ?? '').startsWith(
    'application/x-www-form-urlencoded',
  );
  if (form) {
    headers.set('location', '/login');
    return new Response(null, { status: 303, headers });
  }
  return Response.json({ ok: true }, { headers });
});
