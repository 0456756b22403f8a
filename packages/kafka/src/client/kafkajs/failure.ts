import { ClientFailure } from '../failure.js';

interface KafkajsError {
  name?: string;
  type?: string;
  code?: string;
  retriable?: boolean;
  cause?: unknown;
  errors?: unknown[];
}

/** Reads a kafkajs failure by its error name and Kafka error type, without depending on its classes. */
export function describeKafkajsError(error: unknown): ClientFailure {
  const e = (error ?? {}) as KafkajsError;
  // kafkajs gave up after retries of its own: the last error tells what happened.
  if (e.name === 'KafkaJSNumberOfRetriesExceeded' && e.cause !== undefined) {
    const last = describeKafkajsError(e.cause);
    return new ClientFailure(
      last.kind === 'other' ? 'unreachable' : last.kind,
      last.type,
      last.retriable,
      error,
    );
  }
  // Topic creation fails with one error per topic: those that are not "already exists" tell, and the
  // whole is passing when each of them is.
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    const failures = e.errors
      .filter((inner) => (inner as KafkajsError).type !== 'TOPIC_ALREADY_EXISTS')
      .map(describeKafkajsError);
    if (failures.length > 0) {
      const first = failures[0]!;
      return new ClientFailure(
        first.kind,
        first.type,
        failures.every((f) => f.retriable),
        error,
      );
    }
  }
  const type = String(e.type ?? (e.cause as KafkajsError | undefined)?.type ?? '');
  const name = String(e.name ?? '');
  const retriable = e.retriable === true;
  if (name === 'KafkaJSSASLAuthenticationError' || type === 'SASL_AUTHENTICATION_FAILED') {
    return new ClientFailure('credentials', type, false, error);
  }
  if (name === 'KafkaJSRequestTimeoutError') return new ClientFailure('timeout', type, true, error);
  if (type) return new ClientFailure('answer', type, retriable, error);
  if (
    name === 'KafkaJSConnectionError' ||
    name === 'KafkaJSNumberOfRetriesExceeded' ||
    String(e.code ?? '').startsWith('E')
  ) {
    return new ClientFailure('unreachable', '', retriable, error);
  }
  return new ClientFailure('other', '', retriable, error);
}
