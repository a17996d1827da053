/**
 * Security headers. The static ones go on every response of the web node
 * (pages, API, /healthz, /metrics, Socket.IO polling); pages get their CSP with a
 * per-request nonce from the Next proxy (proxy.ts), which replaces the strict
 * default set here.
 */

export interface HeaderSettings {
  /** HSTS only when browsers reach us over HTTPS (production). */
  hsts: boolean;
}

/** Nothing may load, frame or run: right for JSON, metrics and health answers. */
const DEFAULT_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Header name -> value for every response. */
export function staticSecurityHeaders({ hsts }: HeaderSettings): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': DEFAULT_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'cross-origin-opener-policy': 'same-origin',
  };
  // Two years, the preload list's minimum; subdomains too, since cookies are host-only anyway.
  if (hsts) headers['strict-transport-security'] = 'max-age=63072000; includeSubDomains';
  return headers;
}

/**
 * The page CSP: scripts only with this request's nonce (Next.js puts it on its
 * own scripts) and what they load ('strict-dynamic'); no inline event handlers,
 * no eval outside development. Inline styles are allowed (React style props,
 * Leaflet, charts): styles cannot run code, scripts are what a CSP must stop.
 */
export function pageContentSecurityPolicy(
  nonce: string,
  {
    development,
    upgradeInsecure,
    imgSources = [],
  }: {
    development: boolean;
    upgradeInsecure: boolean;
    /** Extra image origins, e.g. the map tile server (MAP_TILE_URL). */
    imgSources?: string[];
  },
): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' blob: data:", ...imgSources].join(' '),
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (upgradeInsecure) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}
