/** A real pino logger whose lines a unit test reads back, parsed. */
import { createLogger, type Logger } from '../../server/logger';

/** The logger and every line it wrote (info and above). */
export function captureLogs(): { lines: Record<string, unknown>[]; logger: Logger } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    'info',
    {},
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  return { lines, logger };
}
