import { connect } from 'node:net';
import { BrokerUnavailableError } from '@ev/core';
import { scope } from './map-error.js';

/**
 * Opens and closes a TCP connection to the first endpoint that answers. The client's `startup()` with no
 * topic yet talks to nobody, so without this an unreachable proxy would only show on the first send.
 */
export async function assertReachable(endpoints: string, timeoutMs: number): Promise<void> {
  for (const endpoint of endpoints.split(';')) {
    if (await answers(endpoint, timeoutMs)) return;
  }
  throw new BrokerUnavailableError(`cannot reach RocketMQ at ${endpoints} within ${timeoutMs} ms`, scope);
}

function answers(endpoint: string, timeoutMs: number): Promise<boolean> {
  const separator = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, separator);
  const port = Number(endpoint.slice(separator + 1));
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
