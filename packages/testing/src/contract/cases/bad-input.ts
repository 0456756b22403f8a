import { createUserEvent, type EvErrorCode, type Pusher } from '@ev/core';
import { arrivalTimeout, bytes, openTopic, settleAndRead, uniqueTopic } from '../helpers.js';
import type { ContractHarness, TestRunner } from '../types.js';

interface BadInput {
  name: string;
  code: EvErrorCode;
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

export function badInputCases({ describe, it }: TestRunner, harness: ContractHarness): void {
  describe('bad input', () => {
    it('rejects every bad input with a typed error, and nothing reaches the broker', async ({ expect }) => {
      const { topic, pusher, probe, cleanup } = await openTopic(harness, 'badinput');
      try {
        for (const bad of badInputs) {
          const error = await bad.attempt(pusher, topic).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error, bad.name).toBeInstanceOf(Error);
          expect((error as { code?: string }).code, bad.name).toBe(bad.code);
          expect((error as Error).message, bad.name).toMatch(/^\[ev\] /);
        }
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
