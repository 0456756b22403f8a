import { BrokerRejectedError, BrokerUnavailableError, type EvError } from '@ev/core';

export const PROVIDER = 'rocketmq';
export const scope = { provider: PROVIDER };

/** gRPC status codes the client surfaces when the proxy is away or slow. */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * Maps a rocketmq-client-nodejs failure to an @ev error. RocketMQ status codes are five digits
 * (40402 topic not found, 42900 too many requests, 5xxxx server errors); gRPC codes are small.
 */
export function mapRocketMQError(error: unknown, what: string, endpoint: string): EvError {
  const code = Number((error as { code?: unknown })?.code);
  const options = { ...scope, cause: error };
  if (code === GRPC_UNAVAILABLE)
    return new BrokerUnavailableError(`cannot reach RocketMQ at ${endpoint}`, options);
  if (code === GRPC_DEADLINE_EXCEEDED) {
    return new BrokerUnavailableError(`${what}: RocketMQ at ${endpoint} did not answer in time`, options);
  }
  if (code === 40402 || code === 40401)
    return new BrokerRejectedError(`${what}: RocketMQ does not know the topic`, options);
  if (code === 40100 || code === 40300)
    return new BrokerUnavailableError(`RocketMQ at ${endpoint} refused the credentials`, {
      ...scope,
      retryable: false,
    });
  if (code === 42900)
    return new BrokerUnavailableError(`${what}: RocketMQ is busy (too many requests)`, options);
  if (error instanceof TypeError) return new BrokerRejectedError(`${what}: ${error.message}`, options);
  if (code >= 40000 && code < 50000)
    return new BrokerRejectedError(`${what}: RocketMQ refused it (code ${code})`, options);
  return new BrokerUnavailableError(`${what} failed at ${endpoint}`, options);
}
