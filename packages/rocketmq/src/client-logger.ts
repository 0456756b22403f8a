import { format } from 'node:util';
import type { Logger } from '@ev/core';

/**
 * The rocketmq client's logger interface (printf-style arguments), routed into ours. Without it the
 * client writes files under the home directory. Any known secret is masked in the text.
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
    warn: (...args: unknown[]) => logger.warn(fields, text(args)),
    error: (...args: unknown[]) => logger.error(fields, text(args)),
    close: () => {},
  };
}
