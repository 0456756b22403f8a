import { connect } from 'node:net';
import { BrokerUnavailableError } from '../errors.js';
import type { ValidationScope } from '../validation.js';
import type { BrokerAddress, BrokerUrl } from './broker-url.js';

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
  for (const address of url.addresses) {
    if (await accepts(address, timeoutMs)) return;
  }
  throw new BrokerUnavailableError(`cannot reach ${url.endpoint} within ${timeoutMs} ms`, scope);
}

function accepts({ host, port }: BrokerAddress, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
