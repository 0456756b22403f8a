import type { OrderEvent, SendReceipt, UserEvent } from '@ev/core';
import { newMessageId } from '@ev/core';
import { createResponder, type MockBehaviour } from './behaviour.js';

/** One recorded call of an event mock: the method and its arguments as given. */
export interface EventCall<Method extends string = string> {
  method: Method;
  args: unknown[];
}

/** The names of the methods of T. */
export type Methods<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T] &
  string;

export type EventMock<T> = T & {
  readonly calls: EventCall<Methods<T>>[];
  /** The recorded calls of one method. */
  callsOf(method: Methods<T>): EventCall<Methods<T>>[];
};

function createEventMock<T>(
  methods: readonly Methods<T>[],
  behaviour: MockBehaviour<EventCall<Methods<T>>, SendReceipt> | undefined,
): EventMock<T> {
  const calls: EventCall<Methods<T>>[] = [];
  const respond = createResponder(behaviour, () => ({ messageId: newMessageId() }));
  let sends = 0;
  const mock: Record<string, unknown> = {
    calls,
    callsOf: (method: Methods<T>) => calls.filter((call) => call.method === method),
  };
  for (const method of methods) {
    mock[method] = (...args: unknown[]) => {
      const call = { method, args };
      calls.push(call);
      if (method === 'close') return Promise.resolve();
      return respond(call, sends++);
    };
  }
  return mock as EventMock<T>;
}

/**
 * A mock of `UserEvent` that records its calls (`calls`, `callsOf(method)`) and resolves each send with a
 * receipt carrying a fresh message id, unless `behaviour` says otherwise. `close()` always resolves.
 */
export function mockUserEvent(
  behaviour?: MockBehaviour<EventCall<Methods<UserEvent>>, SendReceipt>,
): EventMock<UserEvent> {
  return createEventMock<UserEvent>(['sendSync', 'sendArchive', 'sendSyncDelay', 'close'], behaviour);
}

/** A mock of `OrderEvent`, like `mockUserEvent`: records its calls and answers with `behaviour`. */
export function mockOrderEvent(
  behaviour?: MockBehaviour<EventCall<Methods<OrderEvent>>, SendReceipt>,
): EventMock<OrderEvent> {
  return createEventMock<OrderEvent>(['sendSync', 'sendNotify', 'close'], behaviour);
}
