import { type BrokerConnection, createUserEvent, type Logger, USER_TOPIC, type UserEvent } from '@ev/core';

/** The user events of this service, on the default `user_topic` with 4 partitions. */
export async function newUserEvent(connection: BrokerConnection, logger: Logger): Promise<UserEvent> {
  const pusher = await connection.pusher(USER_TOPIC, { partitions: 4, logger });
  return createUserEvent(pusher, USER_TOPIC, { logger });
}
