import { connect } from 'node:net';
import { BrokerUnavailableError } from '../errors.js';
import type { ValidationScope } from '../validation.js';
import type { BrokerUrl } from './broker-url.js';

/**
 * Resolves once one of the URL's hosts accepts a TCP connection (closed at once), else rejects with a
 * BrokerUnavailableError within `timeoutMs` per host. For a client that connects lazily (RocketMQ's
 * `startup()` with no topic yet talks to nobody): without it an unreachable broker would only show on the
 * first send.
 */
export async function assertReachable(
  url: BrokerUrl,
  timeoutMs: number,
  scope: ValidationScope,
): Promise<void> {
  for (const host of url.hosts) {
    if (await accepts(host, timeoutMs)) return;
  }
  throw new BrokerUnavailableError(`cannot reach ${url.endpoint} within ${timeoutMs} ms`, scope);
}

function accepts(host: string, timeoutMs: number): Promise<boolean> {
  const colon = host.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect({
      host: host.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
      port: Number(host.slice(colon + 1)),
    });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
