/**
 * Telling "PostgreSQL cannot be reached" apart from every other database
 * error, so the HTTP layer answers 503 DATABASE_UNAVAILABLE (try again) rather
 * than a 500, or worse a 404 because a lookup that failed looked like a miss.
 */

/** Socket-level failures of the TCP connection to PostgreSQL. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * SQLSTATEs of a server that is going away or not taking connections: class 08
 * (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect
 * now), 53300 (too many connections).
 */
const SERVER_GONE = /^(08...|57P0[123]|53300)$/;

/** pg and pg-pool report a lost or never-made connection with these messages (no code). */
const CONNECTION_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/** Whether the error means the database cannot be reached now (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GONE.test(code))) return true;
  if (CONNECTION_MESSAGES.some((m) => error.message.includes(m))) return true;
  // Node tries each address of "localhost" in turn and reports them together.
  return error instanceof AggregateError && error.errors.some(isDatabaseUnavailable);
}
