import type { OrderEvent, UserEvent } from '@ev/core';

// The repository's fields are typed by these aliases, so a test can put
// a mock (mockUserEvent / mockOrderEvent from @ev/testing) where the real event goes.
export type UserEventType = UserEvent;
export type OrderEventType = OrderEvent;
