/**
 * Who may read /metrics and /healthz/details (every component and advisory by
 * name: a map of the deployment). Not the public:
 *
 * - on the internal ops port (METRICS_PORT, never exposed): everyone there;
 * - on the public port: a request carrying `Authorization: Bearer <METRICS_TOKEN>`
 *   (Prometheus sends it with `authorization: { credentials_file: ... }`);
 * - with no token configured: development and tests only; production answers 401.
 *
 * /healthz itself stays public for load balancers and says only ok, degraded or down.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config';

/** Decides for one request. */
export type OpsAccess = (req: IncomingMessage) => boolean;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The rule for a listener: `internal` for the ops port. */
export function opsAccess(
  config: Pick<Config, 'METRICS_TOKEN' | 'NODE_ENV'>,
  { internal }: { internal: boolean },
): OpsAccess {
  if (internal) return () => true;
  const token = config.METRICS_TOKEN;
  if (!token) return () => config.NODE_ENV !== 'production';
  const expected = digest(token);
  return (req) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    // Hashes compared, so the comparison takes the same time whatever the length.
    return !!match && timingSafeEqual(digest(match[1]!.trim()), expected);
  };
}
