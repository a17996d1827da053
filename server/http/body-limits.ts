/**
 * What each API route accepts as a request body: its byte cap and content
 * types. One table for both places that enforce it: the HTTP entry
 * (server/http/body-gate.ts, before Next.js reads a byte) and the route's own
 * reader (server/http/read-body.ts). Larger bodies get 413, other types 415.
 */

/** A route's body rule. */
export interface BodyRule {
  /** Bytes on the wire after any transfer coding, i.e. what the route would read. */
  maxBytes: number;
  /** Media types (lower case, without parameters) the route parses. */
  types: readonly string[];
}

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Login runs before authentication: an email, a password and a `next` path fit in 8 KiB. */
export const LOGIN_BODY: BodyRule = { maxBytes: 8 * 1024, types: [JSON_TYPE, FORM_TYPE] };
/** Logout reads no body; the sign-out form posts an empty one. */
export const LOGOUT_BODY: BodyRule = { maxBytes: 1024, types: [JSON_TYPE, FORM_TYPE] };
/** Every other API route: JSON, at most 64 KiB (the largest, a user with 1,000 sites, fits). */
export const API_BODY: BodyRule = { maxBytes: 64 * 1024, types: [JSON_TYPE] };

const BY_PATH: Record<string, BodyRule> = {
  '/api/auth/login': LOGIN_BODY,
  '/api/auth/logout': LOGOUT_BODY,
};

/**
 * The rule of a path. Pages take no bodies of their own, so any path without a
 * rule of its own gets the API default: an oddly spelled path (`/%61pi/...`,
 * `//api/...`) is still capped.
 */
export function bodyRuleFor(pathname: string): BodyRule {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // A malformed escape: look it up as it is (it gets the default).
  }
  return BY_PATH[path.replace(/\/{2,}/g, '/').replace(/\/+$/, '')] ?? API_BODY;
}

/** `Application/JSON; charset=utf-8` -> `application/json`; '' when absent. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
