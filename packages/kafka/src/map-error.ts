import { BrokerRejectedError, BrokerUnavailableError, type EvError, isEvError } from '@ev/core';

export const scope = { provider: 'kafka' };

/** kafkajs error names and Kafka protocol error types, read without depending on kafkajs's classes. */
function describe(error: unknown): { name: string; type: string; code: string } {
  const e = (error ?? {}) as {
    name?: string;
    type?: string;
    code?: string;
    cause?: unknown;
    errors?: unknown[];
  };
  // Topic creation fails with one error per topic: the first that is not "already exists" tells.
  const perTopic = e.errors?.find((inner) => (inner as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS');
  const inner = (e.cause ?? perTopic ?? {}) as { type?: string; code?: string };
  return {
    name: String(e.name ?? ''),
    type: String(e.type ?? inner.type ?? ''),
    code: String(e.code ?? inner.code ?? ''),
  };
}

/** The Kafka protocol error a kafkajs failure carries (`UNKNOWN_TOPIC_OR_PARTITION`), or ''. */
export function kafkaErrorType(error: unknown): string {
  return describe(error).type;
}

/** Maps a kafkajs failure to an @ev error. Texts name the endpoint, never credentials. */
export function mapKafkaError(error: unknown, what: string, endpoint: string): EvError {
  if (isEvError(error)) return error; // mapped where it happened, with the detail known there
  const { name, type, code } = describe(error);
  const options = { ...scope, cause: error };
  if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') {
    return new BrokerRejectedError(
      `${what}: Kafka refused it as too large (see the broker's message.max.bytes)`,
      options,
    );
  }
  if (name === 'KafkaJSSASLAuthenticationError' || type === 'SASL_AUTHENTICATION_FAILED') {
    return new BrokerUnavailableError(`Kafka at ${endpoint} refused the credentials`, {
      ...scope,
      retryable: false,
    });
  }
  if (type.endsWith('AUTHORIZATION_FAILED')) {
    return new BrokerRejectedError(`${what}: not authorized (${type})`, options);
  }
  if (name === 'KafkaJSRequestTimeoutError') {
    return new BrokerUnavailableError(`${what}: Kafka at ${endpoint} did not answer in time`, options);
  }
  if (type) {
    return new BrokerRejectedError(`${what}: Kafka answered ${type}`, {
      ...options,
      retryable: isRetriableKafkaError(error),
    });
  }
  if (
    name === 'KafkaJSConnectionError' ||
    name === 'KafkaJSNumberOfRetriesExceeded' ||
    code.startsWith('E')
  ) {
    return new BrokerUnavailableError(`cannot reach Kafka at ${endpoint}`, options);
  }
  return new BrokerUnavailableError(`${what} failed at ${endpoint}`, options);
}

/**
 * Whether Kafka or kafkajs calls the failure passing (a broker still loading its metadata, a leader or
 * controller moving, a dropped connection). Topic creation fails with one error per topic: it is passing
 * when each of them is, or says the topic already exists.
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const e = (error ?? {}) as { name?: string; retriable?: boolean; errors?: unknown[]; cause?: unknown };
  // kafkajs gave up after retries of its own: whether another try can help is the last error's to say.
  if (e.name === 'KafkaJSNumberOfRetriesExceeded') return isRetriableKafkaError(e.cause);
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    return e.errors.every(
      (inner) => (inner as { type?: string }).type === 'TOPIC_ALREADY_EXISTS' || isRetriableKafkaError(inner),
    );
  }
  return e.retriable === true;
}

/** A passing failure that lasted past the caller's time budget: the broker is not ready, not refusing. */
export function mapKafkaTimeout(error: unknown, what: string, endpoint: string, timeoutMs: number): EvError {
  const { type } = describe(error);
  const last = type ? `; its last answer was ${type}` : '';
  return new BrokerUnavailableError(
    `${what}: Kafka at ${endpoint} was not ready within ${timeoutMs} ms${last}`,
    {
      ...scope,
      cause: error,
    },
  );
}
