import { describe, expect, it } from 'vitest';
import { createPusher, type DriverReceipt, type OutgoingMessage } from '../src/adapter/index.js';
import {
  AbortError,
  InvalidArgumentError,
  NotSupportedError,
  OverloadedError,
  type PusherCapabilities,
  PusherClosedError,
  type SendOptions,
  TimeoutError,
} from '../src/index.js';
import { TEST_LIMITS } from './limits-fixture.js';

const capabilities: PusherCapabilities = {
  keyOrdering: true,
  partitions: 1,
  maxPayloadBytes: 1024,
  delay: { supported: true, maxDelayMs: 10_000, precisionMs: 1, durable: true, needsRelay: false },
};

/** A driver whose publishes the test settles by hand, like a broker answering late. */
function manualDriver() {
  const pending: Array<{
    message: OutgoingMessage;
    resolve: (r: DriverReceipt) => void;
    reject: (e: unknown) => void;
  }> = [];
  let closed = 0;
  return {
    pending,
    closedCount: () => closed,
    driver: {
      provider: 'test',
      topic: 't',
      capabilities,
      limits: TEST_LIMITS,
      publish: (message: OutgoingMessage) =>
        new Promise<DriverReceipt>((resolve, reject) => pending.push({ message, resolve, reject })),
      close: async () => {
        closed += 1;
      },
    },
  };
}

const payload = new Uint8Array([1, 2, 3]);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createPusher', () => {
  it('resolves only when the driver confirms, with a time-ordered message id header', async () => {
    const { driver, pending } = manualDriver();
    const pusher = createPusher(driver);
    let settled = false;
    const sending = pusher.send(payload).then((receipt) => {
      settled = true;
      return receipt;
    });
    await tick();
    expect(settled).toBe(false);
    pending[0]!.resolve({ partition: 0, offset: '7' });
    const receipt = await sending;
    expect(receipt).toMatchObject({ partition: 0, offset: '7' });
    expect(pending[0]!.message.headers['ev-message-id']).toBe(receipt.messageId);
    expect(receipt.messageId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('sends a zero delay as an ordinary message and a positive one with its due time', async () => {
    const { driver, pending } = manualDriver();
    const pusher = createPusher(driver);
    void pusher.sendDelayAfter(payload, 0);
    const before = Date.now();
    void pusher.sendDelayAfter(payload, 500);
    await tick();
    expect(pending[0]!.message.deliverAt).toBeUndefined();
    expect(pending[1]!.message.delayMs).toBe(500);
    expect(pending[1]!.message.deliverAt).toBeGreaterThanOrEqual(before + 500);
  });

  it('rejects with AbortError when the caller aborts, and close still waits for the broker', async () => {
    const { driver, pending, closedCount } = manualDriver();
    const pusher = createPusher(driver);
    const controller = new AbortController();
    const sending = pusher.send(payload, { signal: controller.signal });
    await tick();
    controller.abort(new Error('caller gave up'));
    await expect(sending).rejects.toBeInstanceOf(AbortError);
    const closing = pusher.close();
    await tick();
    expect(closedCount()).toBe(0);
    pending[0]!.resolve({});
    await closing;
    expect(closedCount()).toBe(1);
  });

  it('rejects an already aborted signal before publishing', async () => {
    const { driver, pending } = manualDriver();
    const pusher = createPusher(driver);
    await expect(pusher.send(payload, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(pending).toHaveLength(0);
  });

  it('times out with TimeoutError when the broker does not answer', async () => {
    const { driver } = manualDriver();
    const pusher = createPusher(driver, { sendTimeoutMs: 50 });
    const error = await pusher.send(payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).code).toBe('TIMEOUT');
  });

  it('caps in-flight sends and serves waiting callers in call order', async () => {
    const { driver, pending } = manualDriver();
    const pusher = createPusher(driver, { maxInFlight: 2 });
    const sends = ['a', 'b', 'c', 'd'].map((key) => pusher.sendWithKey(key, payload));
    await tick();
    expect(pending.map((p) => p.message.key)).toEqual(['a', 'b']);
    pending[1]!.resolve({});
    await tick();
    expect(pending.map((p) => p.message.key)).toEqual(['a', 'b', 'c']);
    pending[0]!.resolve({});
    await tick();
    expect(pending.map((p) => p.message.key)).toEqual(['a', 'b', 'c', 'd']);
    for (const p of pending.slice(2)) p.resolve({});
    await Promise.all(sends);
  });

  it('rejects a caller at once with OverloadedError when maxQueued callers already wait', async () => {
    const { driver, pending } = manualDriver();
    const pusher = createPusher(driver, { maxInFlight: 1, maxQueued: 2 });
    const sends = ['a', 'b', 'c'].map((key) => pusher.sendWithKey(key, payload));
    await expect(pusher.sendWithKey('d', payload)).rejects.toBeInstanceOf(OverloadedError);
    await tick();
    expect(pending.map((p) => p.message.key)).toEqual(['a']);
    pending[0]!.resolve({});
    await tick();
    pending[1]!.resolve({});
    await tick();
    pending[2]!.resolve({});
    await Promise.all(sends);
    expect(pending.map((p) => p.message.key)).toEqual(['a', 'b', 'c']);
  });

  it('times out each send of the default timeout no earlier than its own deadline, in call order', async () => {
    const { driver } = manualDriver();
    const pusher = createPusher(driver, { sendTimeoutMs: 100 });
    const timedOut: Array<{ key: string; afterMs: number }> = [];
    const sendAt = async (key: string, delayMs: number) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const calledAt = performance.now();
      await pusher.sendWithKey(key, payload).catch((error: unknown) => {
        expect(error).toBeInstanceOf(TimeoutError);
        timedOut.push({ key, afterMs: performance.now() - calledAt });
      });
    };
    await Promise.all([sendAt('a', 0), sendAt('b', 30), sendAt('c', 60)]);
    expect(timedOut.map((t) => t.key)).toEqual(['a', 'b', 'c']);
    for (const { afterMs } of timedOut) expect(afterMs).toBeGreaterThanOrEqual(99);
  });

  it('skips waiters that gave up, and serves the rest in call order', async () => {
    const { driver, pending } = manualDriver();
    const pusher = createPusher(driver, { maxInFlight: 1 });
    const first = pusher.sendWithKey('first', payload);
    const gaveUp = Array.from({ length: 3000 }, (_, i) =>
      pusher.sendWithKey(`quitter-${i}`, payload, { timeoutMs: 20 }).catch((error: unknown) => error),
    );
    const last = pusher.sendWithKey('last', payload);
    const errors = await Promise.all(gaveUp);
    expect(errors.every((error) => error instanceof TimeoutError)).toBe(true);
    pending[0]!.resolve({});
    await first;
    await tick();
    expect(pending.map((p) => p.message.key)).toEqual(['first', 'last']);
    pending[1]!.resolve({});
    await last;
  });

  it('settles in-flight sends before closing the driver, once, and rejects later sends', async () => {
    const { driver, pending, closedCount } = manualDriver();
    const pusher = createPusher(driver);
    const sending = pusher.send(payload);
    await tick();
    const first = pusher.close();
    const second = pusher.close();
    expect(first).toBe(second);
    await expect(pusher.send(payload)).rejects.toBeInstanceOf(PusherClosedError);
    pending[0]!.resolve({});
    await sending;
    await first;
    expect(closedCount()).toBe(1);
  });

  it('reports a driver failure without echoing its text', async () => {
    const { driver, pending } = manualDriver();
    const pusher = createPusher(driver);
    const sending = pusher.send(payload);
    await tick();
    pending[0]!.reject(new Error('connect ECONNREFUSED amqp://admin:s3cret@host'));
    const error = (await sending.catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('[ev] [test] send failed');
    expect(error.message).not.toContain('s3cret');
  });
});

describe('createPusher close', () => {
  it('does not hang on a broker that never answers: waits out the grace period, then closes', async () => {
    const { driver, closedCount } = manualDriver();
    const pusher = createPusher(driver, { sendTimeoutMs: 30, closeGraceMs: 50 });
    await expect(pusher.send(payload)).rejects.toBeInstanceOf(TimeoutError);
    await pusher.close();
    expect(closedCount()).toBe(1);
  });
});

describe('createPusher options', () => {
  it('refuses a bad setting when the pusher is made, naming the option', () => {
    const { driver } = manualDriver();
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ maxInFlight: 0 }, /option maxInFlight must be an integer of at least 1, got 0/],
      [{ maxInFlight: 1.5 }, /option maxInFlight/],
      [{ maxQueued: -1 }, /option maxQueued must be an integer of at least 0/],
      [
        { sendTimeoutMs: -5 },
        /option sendTimeoutMs must be a number of milliseconds above 0, at most 2147483647, got -5/,
      ],
      [{ sendTimeoutMs: 2 ** 31 }, /option sendTimeoutMs/],
      [{ sendTimeoutMs: Number.NaN }, /option sendTimeoutMs/],
      [{ closeGraceMs: Number.POSITIVE_INFINITY }, /option closeGraceMs/],
    ];
    for (const [options, message] of bad) {
      expect(() => createPusher(driver, options)).toThrow(InvalidArgumentError);
      expect(() => createPusher(driver, options)).toThrow(message);
    }
    expect(() => createPusher(driver, { maxQueued: 0, closeGraceMs: 0 })).not.toThrow();
    expect(() => createPusher(driver, { maxQueued: Number.POSITIVE_INFINITY })).not.toThrow();
  });

  it('rejects a signal that is not an AbortSignal with a typed error, never a synchronous throw', async () => {
    const { driver, pending } = manualDriver();
    const pusher = createPusher(driver);
    for (const signal of ['stop', {}, { aborted: false }, null]) {
      const options = { signal } as unknown as SendOptions;
      let sending: Promise<unknown> | undefined;
      expect(() => {
        sending = pusher.send(payload, options);
      }).not.toThrow();
      await expect(sending).rejects.toThrow(/options.signal must be an AbortSignal/);
    }
    expect(pending).toHaveLength(0);
  });
});

describe('createPusher capabilities', () => {
  it('refuses what the pusher says it cannot do with NotSupportedError, before the driver sees it', async () => {
    const { driver, pending } = manualDriver();
    const pusher = createPusher({
      ...driver,
      capabilities: {
        ...capabilities,
        keyOrdering: false,
        delay: { ...capabilities.delay, supported: false },
      },
    });
    await expect(pusher.sendWithKey('k', payload)).rejects.toBeInstanceOf(NotSupportedError);
    await expect(pusher.sendDelayAfter(payload, 10)).rejects.toBeInstanceOf(NotSupportedError);
    expect(pending).toHaveLength(0);
    // A zero delay is an ordinary send, which every pusher can do.
    const sending = pusher.sendDelayAfter(payload, 0);
    await tick();
    pending[0]!.resolve({});
    await sending;
  });
});
