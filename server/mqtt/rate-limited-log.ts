/**
 * Logs refusals at most `perWindow` times per reason per window, then once a
 * summary of how many were suppressed: a device spraying garbage must not
 * flood the logs.
 */
import type { Logger } from '../logger';

export function createRateLimitedWarn(logger: Logger, perWindow = 10, windowMs = 10_000) {
  const windows = new Map<string, { start: number; count: number }>();
  return function warn(
    key: string,
    fields: Record<string, unknown>,
    message: string,
    now = Date.now(),
  ) {
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (w && w.count > perWindow) {
        logger.warn(
          { reason: key, suppressed: w.count - perWindow },
          'suppressed repeated warnings',
        );
      }
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    if (w.count <= perWindow) logger.warn(fields, message);
  };
}
