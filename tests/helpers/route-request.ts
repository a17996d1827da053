/**
 * Requests for calling Next route handlers directly (as Next calls them), with
 * a session cookie and our own Origin unless a test says otherwise.
 */

/** The origin (and Host) the test requests claim. */
export const ROUTE_ORIGIN = 'http://watchfloor.test';

export interface RouteRequestInit {
  method?: string;
  cookie?: string;
  /** null: no Origin header at all. */
  origin?: string | null;
  body?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/** A Request for `path` on the test origin. */
export function routeRequest(path: string, init: RouteRequestInit = {}): Request {
  const headers = new Headers({ host: 'watchfloor.test', ...init.headers });
  if (init.cookie) headers.set('cookie', init.cookie);
  if (init.origin !== null) headers.set('origin', init.origin ?? ROUTE_ORIGIN);
  let body: string | undefined;
  if (init.form) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
    body = new URLSearchParams(init.form).toString();
  } else if (init.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.body);
  }
  return new Request(`${ROUTE_ORIGIN}${path}`, { method: init.method ?? 'GET', headers, body });
}

/** The `{ params }` argument of a dynamic route with an `id` segment. */
export const idParams = (id: string) => ({ params: Promise.resolve({ id }) });
