/** JSON logs through pino: one line per event, never a payload dump. */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Creates the process logger (stdout unless a destination is given, as tests do). */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const options = { level, base: { pid: process.pid, ...base } };
  return destination ? pino(options, destination) : pino(options);
}
