/** The alert lifecycle calls from the browser; errors carry the server's message. */
import type { AlertDto } from '@/contract/alerts';

async function post(url: string, body: unknown): Promise<AlertDto> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = (await response.json().catch(() => null)) as {
    alert?: AlertDto;
    error?: { message?: string };
  } | null;
  if (!response.ok || !data?.alert) {
    throw new Error(data?.error?.message ?? `the server answered ${response.status}`);
  }
  return data.alert;
}

/** Acknowledges the alert as the logged-in user. */
export function acknowledge(id: string): Promise<AlertDto> {
  return post(`/api/alerts/${encodeURIComponent(id)}/acknowledge`, {});
}

/** Resolves the alert with the given reason. */
export function resolve(id: string, reason: string): Promise<AlertDto> {
  return post(`/api/alerts/${encodeURIComponent(id)}/resolve`, { reason });
}
