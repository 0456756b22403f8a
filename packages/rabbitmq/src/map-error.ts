import { BrokerRejectedError, BrokerUnavailableError, type EvError } from '@ev/core';

export const PROVIDER = 'rabbitmq';
export const scope = { provider: PROVIDER };

/**
 * Turns an amqplib or socket error into an @ev error whose text says what happened without echoing the
 * URL, user name or password (amqplib's own texts can contain them).
 */
export function mapConnectError(error: unknown, endpoint: string): EvError {
  const { code } = error as { code?: string | number };
  const text = String((error as Error)?.message ?? '');
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
    return new BrokerUnavailableError(`cannot reach RabbitMQ at ${endpoint} (${code})`, {
      ...scope,
      cause: error,
    });
  }
  if (code === 403 || /ACCESS.REFUSED|authentication|Login was refused/i.test(text)) {
    return new BrokerUnavailableError(`RabbitMQ at ${endpoint} refused the credentials`, {
      ...scope,
      retryable: false,
    });
  }
  if (code === 530 || /NOT_ALLOWED|vhost/i.test(text)) {
    return new BrokerUnavailableError(`RabbitMQ at ${endpoint} refused access to the virtual host`, {
      ...scope,
      retryable: false,
    });
  }
  return new BrokerUnavailableError(`cannot connect to RabbitMQ at ${endpoint}`, { ...scope, cause: error });
}

export function mapTopologyError(error: unknown, topic: string): EvError {
  const text = String((error as Error)?.message ?? '');
  if (/PRECONDITION_FAILED/.test(text)) {
    return new BrokerRejectedError(
      `topic "${topic}" exists on RabbitMQ with other settings than @ev declares (${text.replace(/^.*PRECONDITION_FAILED - /, '')})`,
      scope,
    );
  }
  return new BrokerRejectedError(`declaring topic "${topic}" failed`, { ...scope, cause: error });
}
