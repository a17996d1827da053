/**
 * The login endpoint's request handling, kept out of the route file: accepts a
 * JSON body (API clients) or a form post (the /login page works without
 * JavaScript), answers JSON or a 303 redirect accordingly. The body is read
 * through the capped reader (8 KiB, JSON or url-encoded form only).
 */
import { z } from 'zod';
import { AppError, ForbiddenError } from '../errors';
import { FORM_TYPE, LOGIN_BODY, mediaType } from '../http/body-limits';
import { readFields } from '../http/read-body';
import { webContext } from '../http/web-context';
import { CLIENT_ADDRESS_HEADER } from '../security/client-address';
import { authSettings } from './auth-settings';
import { cookieNames, serializeCookie } from './cookies';
import { login } from './login';
import { originProblem } from './origin';

const loginSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
  next: z.string().max(2000).optional(),
});

/** Control characters (browsers strip tabs and newlines from URLs) and backslashes (read as "/"). */
const UNSAFE_IN_PATH = /[\u0000-\u001f\u007f\\]/;
/** A stand-in origin: `next` must resolve on it, i.e. stay on whatever origin served the login. */
const SELF = 'http://watchfloor.invalid';

/**
 * Only a local path may follow a login: never an open redirect to another site.
 * `next` is resolved against our own origin and must stay on it; control
 * characters and backslashes are refused, raw or percent-encoded, since
 * browsers drop or rewrite them and `/%09/x` would otherwise become `//x`.
 */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return '/';
  }
  if (UNSAFE_IN_PATH.test(next) || UNSAFE_IN_PATH.test(decoded) || decoded.startsWith('//'))
    return '/';
  let url: URL;
  try {
    url = new URL(next, SELF);
  } catch {
    return '/';
  }
  if (url.origin !== SELF) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith('/login') || path.startsWith('/api/')) return '/';
  return path;
}

function isForm(request: Request): boolean {
  return mediaType(request.headers.get('content-type')) === FORM_TYPE;
}

function redirect(request: Request, path: string, setCookie?: string): Response {
  const headers = new Headers({ location: path, 'cache-control': 'no-store' });
  if (setCookie) headers.append('set-cookie', setCookie);
  return new Response(null, { status: 303, headers });
}

/** POST /api/auth/login. */
export async function handleLogin(request: Request): Promise<Response> {
  const { config, db, loginLimiter } = webContext();
  const settings = authSettings(config);
  const problem = originProblem((name) => request.headers.get(name), settings.origins, {
    requireOrigin: true,
  });
  if (problem) throw new ForbiddenError(problem, 'ORIGIN_REFUSED');

  const form = isForm(request);
  // Capped before anything is parsed: this route answers the unauthenticated world.
  const fields = await readFields(request, LOGIN_BODY);
  const input = form
    ? loginSchema.safeParse(fields)
    : { success: true as const, data: loginSchema.parse(fields) };
  if (!input.success) {
    return redirect(request, `/login?error=invalid`);
  }
  const { email, password, next } = input.data;
  const target = safeNextPath(next);
  try {
    const result = await login(
      { pool: db.pool, limiter: loginLimiter, settings },
      { email, password, address: request.headers.get(CLIENT_ADDRESS_HEADER) || null },
    );
    const cookie = serializeCookie(
      cookieNames(settings.cookies).session,
      result.token,
      (result.expiresAt.getTime() - Date.now()) / 1000,
      settings.cookies,
    );
    if (form) return redirect(request, target, cookie);
    const response = Response.json(
      { user: result.user },
      { headers: { 'cache-control': 'no-store' } },
    );
    response.headers.append('set-cookie', cookie);
    return response;
  } catch (error) {
    if (!form || !(error instanceof AppError)) throw error;
    const code = ['TOO_MANY_ATTEMPTS', 'LOGIN_BUSY'].includes(error.code)
      ? 'throttled'
      : 'credentials';
    return redirect(request, `/login?error=${code}&next=${encodeURIComponent(target)}`);
  }
}
