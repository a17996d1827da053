/**
 * Next.js proxy (Next 16's name for middleware), for pages: a fresh CSP nonce
 * per request (Next puts it on its own scripts, so no other inline script
 * runs), the redirect to /login without a session, and `/wall?token=...`
 * turning a kiosk token into an HttpOnly cookie. API routes and sockets do
 * their own authentication (server/auth/request-auth.ts, socket-auth.ts).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { authSettings } from '@/server/auth/auth-settings';
import { resolvePrincipal } from '@/server/auth/principal';
import { webContext } from '@/server/http/web-context';
import { pageContentSecurityPolicy } from '@/server/security/headers';
import { KIOSK_LINK_PARAM, kioskLinkCookie } from '@/server/security/kiosk-link';
import { pageAccess } from '@/server/security/page-access';
import { tileImageSources } from '@/server/realtime/screen-settings';

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { config, db } = webContext();
  const settings = authSettings(config);
  const { pathname, searchParams } = request.nextUrl;

  // /wall?token=...: checked first, swapped for an HttpOnly cookie only when it is live,
  // and dropped from the address bar either way (server/security/kiosk-link.ts).
  const kioskToken = searchParams.get(KIOSK_LINK_PARAM);
  if ((pathname === '/wall' || pathname.startsWith('/wall/')) && kioskToken !== null) {
    const clean = request.nextUrl.clone();
    clean.searchParams.delete(KIOSK_LINK_PARAM);
    const response = NextResponse.redirect(clean, 303);
    response.headers.set('referrer-policy', 'no-referrer');
    const cookie = await kioskLinkCookie(db.pool, settings, kioskToken);
    if (cookie) response.headers.append('set-cookie', cookie);
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
    // Pages only: not the API, Next's static files, or public/ (icons, sounds, the manifest:
    // a kiosk browser fetches the manifest without credentials).
    // Prefetches too: a forged prefetch header must not skip the login redirect.
    '/((?!api|_next/static|_next/image|favicon.ico|icons/|sounds/|manifest.webmanifest|socket.io).*)',
  ],
};
