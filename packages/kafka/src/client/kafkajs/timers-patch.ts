import { createRequire } from 'node:module';

interface RequestQueue {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/**
 * kafkajs 2.2.4, its last release, arms a timer with a negative delay after every request it answers
 * (`throttledUntil - Date.now()` while never throttled), which Node 24 reports on the user's console as a
 * TimeoutNegativeWarning (kafkajs issue 1751). This is its scheduling method with the delay kept at 1 ms
 * or more, which is what Node does with a negative delay anyway. Only that release is patched.
 */
export function patchKafkajsTimers(): void {
  const require = createRequire(import.meta.url);
  if ((require('kafkajs/package.json') as { version: string }).version !== '2.2.4') return;
  const { prototype } = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueue };
  prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue) {
    if (this.throttleCheckTimeoutId) return;
    let delayMs = this.throttledUntil - Date.now();
    if (this.pending.length > 0 && delayMs <= 0) delayMs = 10; // kafkajs's interval for queued requests
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      Math.max(delayMs, 1),
    );
  };
}
