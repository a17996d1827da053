/**
 * The one place where errors become HTTP responses: named errors keep their
 * status and code, validation issues are listed, an unreachable database is a
 * 503 (retry later), anything else is a 500 with no stack trace (the stack
 * goes to the log).
 */
import { z } from 'zod';
import { isDatabaseUnavailable } from '../db/unavailable';
import { AppError } from '../errors';
import { webContext } from './web-context';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** JSON response helper. */
export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/** Turns any thrown value into the error response. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return json(
      {
        error: { code: error.code, message: error.message, details: error.details },
      } satisfies ErrorBody,
      error.status,
    );
  }
  if (error instanceof z.ZodError) {
    const details = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return json({ error: { code: 'VALIDATION_FAILED', message: 'invalid request', details } }, 422);
  }
  if (isDatabaseUnavailable(error)) {
    logError('warn', error, 'api: database unavailable');
    return json(
      {
        error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable; try again' },
      } satisfies ErrorBody,
      503,
    );
  }
  logError('error', error, 'api error');
  return json({ error: { code: 'INTERNAL', message: 'internal error' } } satisfies ErrorBody, 500);
}

function logError(level: 'warn' | 'error', error: unknown, message: string): void {
  try {
    webContext().logger[level](
      { err: (error as Error)?.message, stack: (error as Error)?.stack },
      message,
    );
  } catch {
    // No context (not started through the custom server): nothing to log to.
  }
}

/** Wraps a route handler so every error takes the one path above. */
export function apiHandler<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Reads and validates the query string; a bad parameter is a 400 naming each problem. */
export function readQuery<T>(request: Request, schema: z.ZodType<T>): T {
  const result = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const summary = details.map((d) => `${d.path || 'query'}: ${d.message}`).join('; ');
  throw new AppError('INVALID_QUERY', `invalid query: ${summary}`, 400, details);
}

/** Reads and validates a JSON body: the one capped reader, server/http/read-body.ts. */
export { readJson } from './read-body';
