import type { Int64 } from '../int64.js';
import { type Logger, silentLogger } from '../logger.js';
import type { Pusher, SendReceipt } from '../pusher.js';
import { assertPusher } from './assert-pusher.js';
import { type EventSendOptions, encodeEvent, int64Field, stringField } from './event-encoder.js';
import { EventTypes, encoders } from './wire.js';

/** The default topic of user events, and the message keys they use (sent as `<topic>:<key>`). */
export const USER_TOPIC = 'user_topic';
export const USER_SYNC_KEY = 'user.sync';
export const USER_ARCHIVE_KEY = 'user.archive';

/** User events: user sync, archive and delayed sync messages. Create one with `createUserEvent`. */
export interface UserEvent {
  /** Keyed by `<topic>:user.sync`, so user syncs keep their order. */
  sendSync(userId: Int64, action: string, options?: EventSendOptions): Promise<SendReceipt>;
  /** Unkeyed. */
  sendArchive(userId: Int64, data: string, options?: EventSendOptions): Promise<SendReceipt>;
  /**
   * A user sync delivered after `delayMs`. Unkeyed (delayed sends carry no key), so it has no order
   * relative to `sendSync`.
   */
  sendSyncDelay(
    userId: Int64,
    action: string,
    delayMs: number,
    options?: EventSendOptions,
  ): Promise<SendReceipt>;
  /** Closes the pusher. */
  close(): Promise<void>;
}

export interface EventOptions {
  /** Serialization failures are logged here. */
  logger?: Logger;
}

/**
 * User events sent through `pusher` to `topic` (default `user_topic`): `sendSync` is keyed by
 * `<topic>:user.sync` (the default key `user_topic:user.sync`), `sendArchive` and `sendSyncDelay` are
 * unkeyed. Closing it closes the pusher.
 */
export function createUserEvent(
  pusher: Pusher,
  topic: string = USER_TOPIC,
  options: EventOptions = {},
): UserEvent {
  assertPusher(pusher);
  const logger = options.logger ?? silentLogger;
  const syncKey = `${topic}:${USER_SYNC_KEY}`;

  const encodeSync = (userId: Int64, action: string, sendOptions?: EventSendOptions) =>
    encodeEvent(logger, EventTypes.UserSyncReq, userId, sendOptions, (messageId) =>
      encoders[EventTypes.UserSyncReq]({
        messageId,
        userId: int64Field(userId, 'userId'),
        action: stringField(action, 'action'),
      }),
    );

  return {
    async sendSync(userId, action, sendOptions) {
      const event = encodeSync(userId, action, sendOptions);
      return pusher.sendWithKey(syncKey, event.body, event.options);
    },
    async sendArchive(userId, data, sendOptions) {
      const event = encodeEvent(logger, EventTypes.UserArchiveReq, userId, sendOptions, (messageId) =>
        encoders[EventTypes.UserArchiveReq]({
          messageId,
          userId: int64Field(userId, 'userId'),
          data: stringField(data, 'data'),
        }),
      );
      return pusher.send(event.body, event.options);
    },
    async sendSyncDelay(userId, action, delayMs, sendOptions) {
      const event = encodeSync(userId, action, sendOptions);
      return pusher.sendDelayAfter(event.body, delayMs, event.options);
    },
    close: () => pusher.close(),
  };
}
