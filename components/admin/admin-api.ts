/** Fetch helpers of the admin page: JSON in and out, the server's error message surfaced. */

/** An API error with the server's stable code. */
export class AdminApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

interface Issue {
  path: string;
  message: string;
}

/** "password: at least 12 characters; email: invalid email address" from validation issues. */
function describeIssues(details: unknown): string | null {
  if (!Array.isArray(details) || details.length === 0) return null;
  return (details as Issue[])
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');
}

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as
    (T & { error?: { code: string; message: string; details?: unknown } }) | null;
  if (!response.ok || !body) {
    const error = body?.error ?? {
      code: 'HTTP_ERROR',
      message: `request failed (${response.status})`,
    };
    // Validation failures name each field, so a form can say what to fix.
    const message = describeIssues(error.details) ?? error.message;
    throw new AdminApiError(error.code, message, response.status);
  }
  return body;
}

/** GET a JSON resource. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return parse<T>(await fetch(path, { signal, cache: 'no-store', credentials: 'same-origin' }));
}

/** POST a JSON body (or DELETE with none). */
export async function sendJson<T>(path: string, body: unknown, method = 'POST'): Promise<T> {
  return parse<T>(
    await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}
