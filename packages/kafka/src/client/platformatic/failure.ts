import {
  AuthenticationError,
  MultipleErrors,
  NetworkError,
  ProtocolError,
  TimeoutError,
  UserError,
} from '@platformatic/kafka';
import { ClientFailure } from '../failure.js';

/**
 * Reads a @platformatic/kafka failure. A call it retried fails with every attempt's error gathered in a
 * MultipleErrors: the first that carries a Kafka error tells what happened, else the last one, and the
 * whole is passing when each attempt's failure is.
 */
export function describePlatformaticError(error: unknown): ClientFailure {
  if (isCredentialsFailure(error)) return new ClientFailure('credentials', '', false, error);
  if (error instanceof MultipleErrors && error.errors.length > 0) {
    const attempts = (error.errors as unknown[]).map(describePlatformaticError);
    const failures = attempts.filter((attempt) => attempt.type !== 'TOPIC_ALREADY_EXISTS');
    if (failures.length === 0) return new ClientFailure('answer', 'TOPIC_ALREADY_EXISTS', false, error);
    const telling = failures.find((attempt) => attempt.type !== '') ?? failures.at(-1)!;
    const retriable = failures.every((attempt) => attempt.retriable);
    return new ClientFailure(telling.kind, telling.type, retriable, error);
  }
  // The client (2.12) answers UNKNOWN_TOPIC_OR_PARTITION in a metadata response with an error of its own,
  // known only by its text; on a broker whose metadata has not caught up with a new topic, it passes.
  if (error instanceof UserError && error.message.startsWith('Unknown topic ')) {
    return new ClientFailure('answer', 'UNKNOWN_TOPIC_OR_PARTITION', true, error);
  }
  if (error instanceof ProtocolError) {
    const type = String(error.apiId ?? '');
    if (type === 'SASL_AUTHENTICATION_FAILED') return new ClientFailure('credentials', type, false, error);
    return new ClientFailure('answer', type, error.canRetry === true, error);
  }
  if (error instanceof TimeoutError) return new ClientFailure('timeout', '', true, error);
  // Not passing when the client itself is closed.
  if (error instanceof NetworkError)
    return new ClientFailure('unreachable', '', error.canRetry !== false, error);
  return new ClientFailure('other', '', false, error);
}

/**
 * Whether the broker refused the credentials. The client reports that as the cause of a failed
 * connection, which it calls passing and retries: the refusal is found wherever it sits.
 */
export function isCredentialsFailure(error: unknown): boolean {
  if (error instanceof AuthenticationError) return true;
  if (!(error instanceof Error)) return false;
  const inner = error instanceof AggregateError ? (error.errors as unknown[]) : [];
  return [error.cause, ...inner].some(isCredentialsFailure);
}
