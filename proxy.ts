/**
 * Next.js proxy (Next 16's name for middleware), for pages: a fresh CSP nonce
 * per request (Next puts it on its own scripts, so no other inline script
 * runs), the redirect to /login without a session, and `/wall?token=...`
 * turning a kiosk token into an HttpOnly cookie. API routes and sockets do
 * their own authentication (server/auth/request-auth.ts, socket-auth.ts).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { authSettings } from '@/server/auth/auth-settings';
import { cookieNames, serializeCookie } from '@/server/auth/cookies';
import { resolvePrincipal } from '@/server/auth/principal';
import { webContext } from '@/server/http/web-context';
import { pageContentSecurityPolicy } from '@/server/security/headers';
import { pageAccess } from '@/server/security/page-access';
import { tileImageSources } from '@/server/realtime/screen-settings';

/** Kiosk cookies live as long as a wall display is left running: a year; revocation ends them. */
const KIOSK_COOKIE_SECONDS = 365 * 24 * 3600;

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { config, db } = webContext();
  const settings = authSettings(config);
  const { pathname, searchParams } = request.nextUrl;

  // /wall?token=...: keep the token in an HttpOnly cookie and drop it from the address bar.
  const kioskToken = searchParams.get('token');
  if ((pathname === '/wall' || pathname.startsWith('/wall/')) && kioskToken) {
    const clean = request.nextUrl.clone();
    clean.searchParams.delete('token');
    const response = NextResponse.redirect(clean, 303);
    response.headers.append(
      'set-cookie',
      serializeCookie(
        cookieNames(settings.cookies).kiosk,
        kioskToken,
        KIOSK_COOKIE_SECONDS,
        settings.cookies,
      ),
    );
    return response;
  }

  const principal = await resolvePrincipal(db.pool, settings, {
    cookieHeader: request.headers.get('cookie'),
  });
  const decision = pageAccess(pathname, principal);
  if (decision === 'login') {
    const login = new URL('/login', request.url);
    login.searchParams.set('next', `${pathname}${request.nextUrl.search}`);
    return NextResponse.redirect(login, 303);
  }
  // A 403, not a redirect: the page exists, this user may not open it (issue 6: supervisors on /admin).
  if (decision === 'forbidden') {
    return new NextResponse('403 Forbidden: this page needs the admin role.\n', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = pageContentSecurityPolicy(nonce, {
    development: config.NEXT_DEV,
    upgradeInsecure: config.NODE_ENV === 'production' && !config.LOCAL_DEMO,
    imgSources: tileImageSources(config.MAP_TILE_URL),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: [
    // Pages only: not the API, Next's static files, or files with an extension.
    // Prefetches too: a forged prefetch header must not skip the login redirect.
    '/((?!api|_next/static|_next/image|favicon.ico|icon.svg|socket.io).*)',
  ],
};
