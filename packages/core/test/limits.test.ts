import { describe, expect, it } from 'vitest';
import { createPusher, type OutgoingMessage } from '../src/adapter/index.js';
import {
  InvalidArgumentError,
  LimitExceededError,
  type MessageLimits,
  PayloadTooLargeError,
} from '../src/index.js';

const strict: MessageLimits = {
  key: { maxBytes: 8, noControlCharacters: true, noBlank: true },
  headerName: { maxBytes: 6, noControlCharacters: true, noBlank: true, reserved: ['KEYS'] },
  headerValue: { maxBytes: 10, noControlCharacters: true, noBlank: false, allowEmpty: false },
  headers: { maxCount: 3, maxTotalBytes: 65 }, // ev-message-id and a UUID take 49
  payload: { minBytes: 1, maxBytes: 16 },
  messageId: { maxBytes: 128 },
};

function strictPusher() {
  const published: OutgoingMessage[] = [];
  const pusher = createPusher({
    provider: 'strict',
    topic: 't',
    capabilities: {
      keyOrdering: true,
      partitions: 1,
      delay: { supported: true, maxDelayMs: 1000, precisionMs: 1, durable: true, needsRelay: false },
    },
    limits: strict,
    publish: async (message) => {
      published.push(message);
      return {};
    },
    close: async () => {},
  });
  return { pusher, published };
}

const ok = new Uint8Array([1]);

describe('message limits', () => {
  it('refuses each input over a declared limit with an error naming the limit, before publishing', async () => {
    const { pusher, published } = strictPusher();
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['key.maxBytes', () => pusher.sendWithKey('123456789', ok)],
      ['key.maxBytes', () => pusher.sendWithKey('ééééé', ok)], // 5 characters, 10 bytes
      ['key.noControlCharacters', () => pusher.sendWithKey('a\u0007b', ok)],
      ['key.noBlank', () => pusher.sendWithKey('   ', ok)],
      ['key.wellFormed', () => pusher.sendWithKey('a\ud800b', ok)],
      ['headerName.maxBytes', () => pusher.send(ok, { headers: { 'x-1234567': 'v' } })],
      ['headerName.noControlCharacters', () => pusher.send(ok, { headers: { 'x\n': 'v' } })],
      ['headerName.reserved', () => pusher.send(ok, { headers: { KEYS: 'v' } })],
      ['headerValue.maxBytes', () => pusher.send(ok, { headers: { x: '12345678901' } })],
      ['headerValue.noControlCharacters', () => pusher.send(ok, { headers: { x: 'a\u0000' } })],
      ['headerValue.allowEmpty', () => pusher.send(ok, { headers: { x: '' } })],
      ['headerValue.wellFormed', () => pusher.send(ok, { headers: { x: '\udc00' } })],
      ['headers.maxCount', () => pusher.send(ok, { headers: { a: '1', b: '2', c: '3' } })],
      [
        'headers.maxTotalBytes',
        () => pusher.send(ok, { headers: { abcdef: '1234567890', ghijkl: '1234567890' } }),
      ],
      ['payload.minBytes', () => pusher.send(new Uint8Array(0))],
    ];
    for (const [limit, attempt] of cases) {
      let outcome: Promise<unknown> | undefined;
      expect(() => {
        outcome = attempt();
      }, limit).not.toThrow();
      const error = await outcome!.catch((e: unknown) => e);
      expect(error, limit).toBeInstanceOf(LimitExceededError);
      expect(error, limit).toBeInstanceOf(InvalidArgumentError);
      expect((error as LimitExceededError).limit, limit).toBe(limit);
      expect((error as Error).message, limit).toContain(`(limit ${limit})`);
    }
    await expect(pusher.send(new Uint8Array(17))).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(published).toEqual([]);
  });

  it('accepts inputs at each limit exactly', async () => {
    const { pusher, published } = strictPusher();
    await pusher.sendWithKey('ab€c', new Uint8Array(16)); // 6 bytes
    await pusher.sendWithKey('12345678', ok, { headers: { abcdef: '1234567890' } });
    await pusher.send(ok, { headers: { a: 'b', c: 'd' } }); // three with ev-message-id
    // Not blank to Java, whose isWhitespace leaves out the no-break spaces and U+FEFF.
    for (const key of ['\u00a0', ' \u2007 ', '\u202f', '\ufeff']) await pusher.sendWithKey(key, ok);
    await expect(pusher.sendWithKey(' \u3000\u2028', ok)).rejects.toMatchObject({ limit: 'key.noBlank' });
    expect(published).toHaveLength(7);
  });

  it('refuses a message id that is not visible ASCII', async () => {
    const { pusher } = strictPusher();
    for (const messageId of ['has space', 'ünïcode', 'tab\there', 'x'.repeat(129)]) {
      await expect(pusher.send(ok, { messageId }), messageId).rejects.toBeInstanceOf(InvalidArgumentError);
    }
  });
});
