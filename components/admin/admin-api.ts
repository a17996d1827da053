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

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as
    (T & { error?: { code: string; message: string } }) | null;
  if (!response.ok || !body) {
    const error = body?.error ?? {
      code: 'HTTP_ERROR',
      message: `request failed (${response.status})`,
    };
    throw new AdminApiError(error.code, error.message, response.status);
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
