import { BrokerUnavailableError } from '@ev/core';
import { describe, expect, it } from 'vitest';
import { KeySequencer } from '../src/key-sequencer.js';

/** A task the test settles. */
function controlledTask(): {
  task: () => Promise<string>;
  resolve: (value: string) => void;
  reject: (error: Error) => void;
} {
  let resolve: (value: string) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    task: () => promise,
    resolve,
    reject,
  };
}

const sent = (name: string) => async () => name;

describe('KeySequencer', () => {
  it('fails the sends of a key queued behind a failed one, unsent and retryable', async () => {
    const sequencer = new KeySequencer();
    const first = controlledTask();
    const ran: string[] = [];
    const firstResult = sequencer.run('t', 'k', first.task);
    const secondResult = sequencer.run('t', 'k', async () => void ran.push('second'));
    const thirdResult = sequencer.run('t', 'k', async () => void ran.push('third'));
    const failure = new Error('connection lost');
    first.reject(failure);

    await expect(firstResult).rejects.toBe(failure);
    for (const queued of [secondResult, thirdResult]) {
      const error = await queued.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(error).toBeInstanceOf(BrokerUnavailableError);
      expect(error).toMatchObject({ provider: 'rocketmq', retryable: true, cause: failure });
      expect((error as Error).message).toContain('not sent: an earlier send of key "k" to t failed');
    }
    expect(ran).toEqual([]);
  });

  it('sends a key again once its failure is known, as a caller sending the failed message again does', async () => {
    const sequencer = new KeySequencer();
    const first = controlledTask();
    let again: Promise<string> | undefined;
    // Sent again as soon as the failure is reported, before the send queued behind it was turned down.
    const failed = sequencer.run('t', 'k', first.task).catch((error: unknown) => {
      again = sequencer.run('t', 'k', sent('again'));
      throw error;
    });
    const queued = sequencer.run('t', 'k', sent('queued'));
    first.reject(new Error('connection lost'));
    await expect(failed).rejects.toThrow('connection lost');

    const later = sequencer.run('t', 'k', sent('later'));
    await expect(queued).rejects.toBeInstanceOf(BrokerUnavailableError);
    await expect(again).resolves.toBe('again');
    await expect(later).resolves.toBe('later');
    // And once the key's chain has drained.
    await expect(sequencer.run('t', 'k', sent('afterwards'))).resolves.toBe('afterwards');
  });

  it('keeps other keys and topics going, and the order of a key whose sends succeed', async () => {
    const sequencer = new KeySequencer();
    const order: string[] = [];
    const first = controlledTask();
    const failed = sequencer.run('t', 'k', first.task);
    const otherKey = sequencer.run('t', 'other', async () => {
      order.push('other');
      return 'other';
    });
    const otherTopic = sequencer.run('u', 'k', async () => {
      order.push('u/k');
      return 'u/k';
    });
    await expect(otherKey).resolves.toBe('other');
    await expect(otherTopic).resolves.toBe('u/k');
    first.reject(new Error('connection lost'));
    await expect(failed).rejects.toThrow('connection lost');

    const slow = controlledTask();
    const a = sequencer.run('t', 'ok', async () => {
      await slow.task();
      order.push('a');
    });
    const b = sequencer.run('t', 'ok', async () => {
      order.push('b');
    });
    slow.resolve('done');
    await Promise.all([a, b]);
    expect(order).toEqual(['other', 'u/k', 'a', 'b']);
  });
});
