import { format } from 'node:util';
import type { Logger } from '@ev/core';

/**
 * The rocketmq client's logger interface (printf-style arguments), routed into ours at debug level.
 * Without it the client writes files under the home directory; at its own levels it warns about every
 * retried request, noise on a run that succeeds (what fails for good reaches the caller as a typed
 * error). Any known secret is masked in the text.
 */
export function createClientLogger(logger: Logger, secrets: string[]) {
  const fields = { provider: 'rocketmq', client: 'rocketmq-client-nodejs' };
  const text = (args: unknown[]) => {
    let line = format(...args);
    for (const secret of secrets) if (secret) line = line.replaceAll(secret, '***');
    return line;
  };
  return {
    debug: (...args: unknown[]) => logger.debug(fields, text(args)),
    info: (...args: unknown[]) => logger.debug(fields, text(args)),
    warn: (...args: unknown[]) => logger.debug(fields, text(args)),
    error: (...args: unknown[]) => logger.debug(fields, text(args)),
    close: () => {},
  };
}
