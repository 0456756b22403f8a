import { createUserEvent, type EvErrorCode, type MessageLimits, type Pusher } from '@ev/core';
import { arrivalTimeout, bytes, openTopic, settleAndRead, uniqueTopic } from '../helpers.js';
import type { ContractHarness, TestRunner } from '../types.js';

interface BadInput {
  name: string;
  code: EvErrorCode;
  /** The declared limit the error must name (`LimitExceededError.limit`). */
  limit?: string;
  attempt(pusher: Pusher, topic: string): Promise<unknown>;
}

const ok = bytes('ok');
// Deliberately ill-typed calls: JavaScript callers can make them.
const loose = (pusher: Pusher) =>
  pusher as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

const badInputs: BadInput[] = [
  { name: 'negative delay', code: 'DELAY_OUT_OF_RANGE', attempt: (p) => p.sendDelayAfter(ok, -1) },
  { name: 'NaN delay', code: 'DELAY_OUT_OF_RANGE', attempt: (p) => p.sendDelayAfter(ok, Number.NaN) },
  {
    name: 'infinite delay',
    code: 'DELAY_OUT_OF_RANGE',
    attempt: (p) => p.sendDelayAfter(ok, Number.POSITIVE_INFINITY),
  },
  {
    name: 'delay over the maximum',
    code: 'DELAY_OUT_OF_RANGE',
    attempt: (p) => p.sendDelayAfter(ok, p.capabilities.delay.maxDelayMs + 1),
  },
  { name: 'empty key', code: 'INVALID_ARGUMENT', attempt: (p) => p.sendWithKey('', ok) },
  { name: 'non-string key', code: 'INVALID_ARGUMENT', attempt: (p) => loose(p).sendWithKey!(42, ok) },
  { name: 'string payload', code: 'INVALID_ARGUMENT', attempt: (p) => loose(p).send!('hello') },
  { name: 'object payload', code: 'INVALID_ARGUMENT', attempt: (p) => loose(p).send!({ hello: 'world' }) },
  { name: 'missing payload', code: 'INVALID_ARGUMENT', attempt: (p) => loose(p).send!(undefined) },
  {
    name: 'payload over the broker limit',
    code: 'PAYLOAD_TOO_LARGE',
    attempt: (p) => p.send(new Uint8Array(p.capabilities.maxPayloadBytes + 1)),
  },
  {
    name: 'reserved header',
    code: 'INVALID_ARGUMENT',
    attempt: (p) => p.send(ok, { headers: { 'ev-message-id': 'x' } }),
  },
  {
    name: 'non-string header value',
    code: 'INVALID_ARGUMENT',
    attempt: (p) => p.send(ok, { headers: { 'x-count': 1 as unknown as string } }),
  },
  { name: 'empty message id', code: 'INVALID_ARGUMENT', attempt: (p) => p.send(ok, { messageId: '' }) },
  { name: 'non-positive timeout', code: 'INVALID_ARGUMENT', attempt: (p) => p.send(ok, { timeoutMs: 0 }) },
  {
    name: 'unsafe integer id',
    code: 'SERIALIZATION',
    attempt: (p, topic) => createUserEvent(p, topic).sendSync(2 ** 53 + 2, 'login'),
  },
  {
    name: 'int64 id out of range',
    code: 'SERIALIZATION',
    attempt: (p, topic) => createUserEvent(p, topic).sendSync(1n << 64n, 'login'),
  },
];

/** A string of `bytes` UTF-8 bytes made of two-byte characters: over a byte limit, under a character one. */
const twoByteText = (bytes: number) => 'é'.repeat(Math.ceil(bytes / 2));

/**
 * One input over each limit the pusher declares, so every broker's own table is tried on that broker:
 * each must fail with the error naming the limit, and nothing may reach the broker.
 */
function overLimits(limits: MessageLimits): BadInput[] {
  const over = (name: string, limit: string, attempt: BadInput['attempt']): BadInput => ({
    name,
    limit,
    code: 'INVALID_ARGUMENT',
    attempt,
  });
  const withHeaders = (headers: Record<string, string>) => (p: Pusher) => p.send(ok, { headers });
  const { key, headerName, headerValue, headers, payload } = limits;
  const inputs = [
    over('key over its byte limit', 'key.maxBytes', (p) => p.sendWithKey(twoByteText(key.maxBytes + 1), ok)),
    over('key with a lone surrogate', 'key.wellFormed', (p) => p.sendWithKey('a\ud800b', ok)),
    over(
      'header name over its byte limit',
      'headerName.maxBytes',
      withHeaders({ [twoByteText(headerName.maxBytes + 1)]: 'v' }),
    ),
    over(
      'header value over its byte limit',
      'headerValue.maxBytes',
      withHeaders({ 'x-big': 'v'.repeat(headerValue.maxBytes + 1) }),
    ),
    over(
      'header value with a lone surrogate',
      'headerValue.wellFormed',
      withHeaders({ 'x-broken': '\udc00' }),
    ),
    over(
      'more headers than allowed',
      'headers.maxCount',
      withHeaders(Object.fromEntries(Array.from({ length: headers.maxCount }, (_, i) => [`x-${i}`, 'v']))),
    ),
  ];
  // Over the total, with every single header within its own limits.
  const perHeader = Math.min(headerValue.maxBytes, 1000);
  const count = Math.min(headers.maxCount - 1, Math.ceil((headers.maxTotalBytes + 1) / perHeader) + 1);
  if (count * perHeader > headers.maxTotalBytes) {
    inputs.push(
      over(
        'headers over their total byte limit',
        'headers.maxTotalBytes',
        withHeaders(
          Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-${i}`, 'v'.repeat(perHeader)])),
        ),
      ),
    );
  }
  inputs.push({
    name: 'message id over its limit',
    code: 'INVALID_ARGUMENT',
    attempt: (p) => p.send(ok, { messageId: 'm'.repeat(limits.messageId.maxBytes + 1) }),
  });
  for (const reserved of headerName.reserved) {
    inputs.push(
      over(`reserved header name ${reserved}`, 'headerName.reserved', withHeaders({ [reserved]: 'v' })),
    );
  }
  if (key.noControlCharacters) {
    inputs.push(
      over('key with a control character', 'key.noControlCharacters', (p) => p.sendWithKey('a\u0001b', ok)),
    );
  }
  if (key.noBlank) inputs.push(over('blank key', 'key.noBlank', (p) => p.sendWithKey('  ', ok)));
  if (headerName.noControlCharacters) {
    inputs.push(
      over(
        'header name with a control character',
        'headerName.noControlCharacters',
        withHeaders({ 'x\u0007': 'v' }),
      ),
    );
  }
  if (headerValue.noControlCharacters) {
    inputs.push(
      over(
        'header value with a control character',
        'headerValue.noControlCharacters',
        withHeaders({ 'x-ctl': 'a\nb' }),
      ),
    );
  }
  if (!headerValue.allowEmpty) {
    inputs.push(over('empty header value', 'headerValue.allowEmpty', withHeaders({ 'x-empty': '' })));
  }
  if (payload.minBytes > 0) {
    inputs.push(
      over('payload under the minimum', 'payload.minBytes', (p) =>
        p.send(new Uint8Array(payload.minBytes - 1)),
      ),
    );
  }
  return inputs;
}

export function badInputCases({ describe, it }: TestRunner, harness: ContractHarness): void {
  describe('bad input', () => {
    it('rejects every bad input with a typed error, and nothing reaches the broker', async ({ expect }) => {
      const { topic, pusher, probe, cleanup } = await openTopic(harness, 'badinput');
      try {
        const thrownSynchronously: string[] = [];
        for (const bad of [...badInputs, ...overLimits(pusher.limits)]) {
          let outcome: Promise<unknown>;
          try {
            outcome = bad.attempt(pusher, topic);
          } catch (thrown) {
            thrownSynchronously.push(`${bad.name}: ${String(thrown)}`);
            continue;
          }
          const error = await outcome.then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, bad.name).toBeInstanceOf(Error);
          expect((error as { code?: string }).code, bad.name).toBe(bad.code);
          expect((error as Error).message, bad.name).toMatch(/^\[ev\] /);
          if (bad.limit) expect((error as { limit?: string }).limit, bad.name).toBe(bad.limit);
        }
        expect(thrownSynchronously, 'a promise API never throws synchronously').toEqual([]);
        // One good message afterwards: it must be the only one on the topic.
        const good = await pusher.send(ok);
        await probe.waitFor(1, arrivalTimeout(harness));
        const received = await settleAndRead(probe, 1_000);
        expect(received.map((m) => m.headers['ev-message-id'])).toEqual([good.messageId]);
      } finally {
        await cleanup();
      }
    }, 60_000);

    it('rejects an invalid topic name before touching the broker', async ({ expect }) => {
      for (const topic of ['', 'has space', 'semi;colon', 'x'.repeat(300), `${uniqueTopic('bad')}/slash`]) {
        const error = await harness.createPusher(topic).then(
          async (pusher) => {
            await pusher.close();
            return undefined;
          },
          (e: unknown) => e,
        );
        expect((error as { code?: string })?.code, JSON.stringify(topic.slice(0, 20))).toBe(
          'INVALID_ARGUMENT',
        );
      }
    });

    it('rejects sends after close with the closed error', async ({ expect }) => {
      const { pusher, cleanup } = await openTopic(harness, 'closed');
      await cleanup();
      const error = await pusher.send(ok).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('CLOSED');
    });
  });
}
