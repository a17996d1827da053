/**
 * CSRF defence beside SameSite=Strict: a state-changing request (and a socket
 * handshake) must come from our own origin. Browsers send Origin on every
 * cross-origin request and on same-origin POSTs, so a missing Origin on a
 * mutation is refused too (Sec-Fetch-Site: same-origin is accepted instead).
 */

export interface OriginPolicy {
  /** Explicit allow-list (PUBLIC_ORIGINS); empty: the request's own Host. */
  allowedOrigins: string[];
}

type HeaderGetter = (name: string) => string | null | undefined;

/** Whether an Origin value is ours: listed, or the same host:port the request was sent to. */
export function isAllowedOrigin(
  origin: string,
  host: string | null | undefined,
  policy: OriginPolicy,
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (policy.allowedOrigins.length > 0) return policy.allowedOrigins.includes(parsed.origin);
  return !!host && parsed.host === host.toLowerCase();
}

/**
 * Why a request fails the origin check, or null when it passes.
 * requireOrigin: refuse a request with no Origin (mutations); handshakes
 * without Origin (non-browser clients) are judged by their credentials alone.
 */
export function originProblem(
  header: HeaderGetter,
  policy: OriginPolicy,
  { requireOrigin }: { requireOrigin: boolean },
): string | null {
  const origin = header('origin');
  if (!origin) {
    if (!requireOrigin || header('sec-fetch-site') === 'same-origin') return null;
    return 'no Origin header on a state-changing request';
  }
  return isAllowedOrigin(origin, header('host'), policy) ? null : `origin ${origin} is not allowed`;
}
