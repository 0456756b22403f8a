import { type BrokerConnection, createUserEvent, type Logger, USER_TOPIC, type UserEvent } from '@ev/core';

/** The user events of this service, on the seed's `user_topic`. */
export async function newUserEvent(connection: BrokerConnection, logger: Logger): Promise<UserEvent> {
  const pusher = await connection.pusher(USER_TOPIC, { partitions: 4, logger });
  return createUserEvent(pusher, USER_TOPIC, { logger });
}
