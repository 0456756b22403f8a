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

/** The client's default port for an endpoint without one (plain gRPC over HTTP/2). */
const DEFAULT_PORT = 80;

function answers(endpoint: string, timeoutMs: number): Promise<boolean> {
  const match = /^(.*):(\d{1,5})$/.exec(endpoint);
  const host = match ? match[1]! : endpoint;
  const port = match ? Number(match[2]) : DEFAULT_PORT;
  return new Promise((resolve) => {
    let socket: ReturnType<typeof connect>;
    try {
      socket = connect({ host, port });
    } catch {
      resolve(false); // a port out of range: nothing can answer there
      return;
    }
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
