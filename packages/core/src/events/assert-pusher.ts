import { InvalidArgumentError } from '../errors.js';
import type { Pusher } from '../pusher.js';
import { describeValue } from '../validation.js';

/**
 * The events take a pusher, not the promise of one: `connection.pusher(topic)` must be awaited first.
 * Checked when the events are made, so the mistake is named there instead of failing on the first send.
 */
export function assertPusher(pusher: unknown): asserts pusher is Pusher {
  const candidate = pusher as Partial<Pusher> | null | undefined;
  if (typeof (candidate as { then?: unknown } | null)?.then === 'function') {
    throw new InvalidArgumentError(
      'got a Promise where a Pusher belongs: await connection.pusher(topic) before making the events',
    );
  }
  if (
    typeof candidate?.send !== 'function' ||
    typeof candidate.sendWithKey !== 'function' ||
    typeof candidate.sendDelayAfter !== 'function'
  ) {
    throw new InvalidArgumentError(`expected a Pusher, got ${describeValue(pusher)}`);
  }
}
