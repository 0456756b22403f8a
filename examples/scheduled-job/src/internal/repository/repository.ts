import { type BrokerConnection, connect, type Logger } from '@ev/core';
import { newOrderEvent } from './event/order-event.js';
import { newUserEvent } from './event/user-event.js';
import type { OrderEventType, UserEventType } from './repository-types.js';

/** Owns the event senders and closes them before the process exits. */
export interface Repository {
  readonly userEvent: UserEventType;
  readonly orderEvent: OrderEventType;
  close(): Promise<void>;
}

export async function newRepository(brokerUrl: string, logger: Logger): Promise<Repository> {
  const connection: BrokerConnection = await connect(brokerUrl, { logger });
  try {
    const userEvent = await newUserEvent(connection, logger);
    const orderEvent = await newOrderEvent(connection, logger);
    return {
      userEvent,
      orderEvent,
      async close() {
        // Each close settles that event's in-flight sends; then the shared connection goes.
        await Promise.all([userEvent.close(), orderEvent.close()]);
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
