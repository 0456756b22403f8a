import { format } from 'node:util';
import type { Logger } from '../logger.js';

/**
 * Writes a client library's log lines to the user's logger at debug level, printf-style arguments
 * formatted and every known secret masked. Client libraries log retried requests at warn or error: noise
 * on a run that succeeds (what fails for good reaches the caller as a typed error, and `@ev` logs its own
 * lines for what an operator must see).
 */
export function clientLogLine(
  logger: Logger,
  fields: Record<string, unknown>,
  secrets: readonly (string | undefined)[] = [],
): (...args: unknown[]) => void {
  return (...args) => {
    let line = format(...args);
    for (const secret of secrets) if (secret) line = line.replaceAll(secret, '***');
    logger.debug(fields, line);
  };
}
