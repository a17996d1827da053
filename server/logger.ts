/**
 * Logs through pino: one line per event, never a payload dump. JSON, or for a
 * person at a terminal (`npm run demo`) pino-pretty's colourised lines, run as
 * a pino transport (a worker thread) so the event loop never formats them.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** pino-pretty's settings: one line per event, local time, no pid/host/service noise. */
const PRETTY = {
  target: 'pino-pretty',
  options: {
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
  },
};

/** Creates the process logger (stdout unless a destination is given, as tests do). */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  destination?: DestinationStream,
  format: 'json' | 'pretty' = 'json',
): Logger {
  const options = { level, base: { pid: process.pid, ...base } };
  if (destination) return pino(options, destination);
  return format === 'pretty' ? pino({ ...options, transport: PRETTY }) : pino(options);
}
