import { BrokerRejectedError, BrokerUnavailableError, type EvError, isEvError } from '@ev/core';
import { ClientFailure } from './client/failure.js';

export const scope = { provider: 'kafka' };

/** The Kafka protocol error a client failure carries (`UNKNOWN_TOPIC_OR_PARTITION`), or ''. */
export function kafkaErrorType(error: unknown): string {
  return error instanceof ClientFailure ? error.type : '';
}

/** Whether Kafka or the client calls the failure passing: a later try may succeed. */
export function isRetriableKafkaError(error: unknown): boolean {
  return error instanceof ClientFailure && error.retriable;
}

/** Maps a client failure to an @ev error. Texts name the endpoint, never credentials. */
export function mapKafkaError(error: unknown, what: string, endpoint: string): EvError {
  if (isEvError(error)) return error; // mapped where it happened, with the detail known there
  const { kind, type, retriable } =
    error instanceof ClientFailure ? error : new ClientFailure('other', '', false, error);
  const options = { ...scope, cause: error };
  if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') {
    return new BrokerRejectedError(
      `${what}: Kafka refused it as too large (see the broker's message.max.bytes)`,
      options,
    );
  }
  if (kind === 'credentials') {
    return new BrokerUnavailableError(`Kafka at ${endpoint} refused the credentials`, {
      ...scope,
      retryable: false,
    });
  }
  if (type.endsWith('AUTHORIZATION_FAILED')) {
    return new BrokerRejectedError(`${what}: not authorized (${type})`, options);
  }
  if (kind === 'timeout') {
    return new BrokerUnavailableError(`${what}: Kafka at ${endpoint} did not answer in time`, options);
  }
  if (type) {
    return new BrokerRejectedError(`${what}: Kafka answered ${type}`, { ...options, retryable: retriable });
  }
  if (kind === 'unreachable') return new BrokerUnavailableError(`cannot reach Kafka at ${endpoint}`, options);
  return new BrokerUnavailableError(`${what} failed at ${endpoint}`, options);
}

/** A passing failure that lasted past the caller's time budget: the broker is not ready, not refusing. */
export function mapKafkaTimeout(error: unknown, what: string, endpoint: string, timeoutMs: number): EvError {
  const type = kafkaErrorType(error);
  const last = type ? `; its last answer was ${type}` : '';
  return new BrokerUnavailableError(
    `${what}: Kafka at ${endpoint} was not ready within ${timeoutMs} ms${last}`,
    { ...scope, cause: error },
  );
}
