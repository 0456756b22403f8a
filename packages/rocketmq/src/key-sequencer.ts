import { BrokerUnavailableError } from '@ev/core';
import { scope } from './map-error.js';

/** The sends of one key queued one behind the other since the key's last failure. */
interface Chain {
  tail: Promise<unknown>;
  /** Set by the chain's first failed send: the sends queued behind it are not sent. */
  failure?: { error: unknown };
}

/**
 * Runs the sends of one key one after another, in call order, while different keys go in parallel.
 * The proxy serves concurrent gRPC calls concurrently, so only this keeps the call order of a key when
 * callers do not await each send.
 *
 * When a send fails, the sends of its key already queued behind it fail too, unsent and retryable: stored
 * now, they would get ahead of the failed message, which its caller may send again (the outbox relay
 * does). A send issued after the failure starts a new chain, so the key is not blocked for good.
 */
export class KeySequencer {
  private readonly chains = new Map<string, Chain>();

  run<T>(topic: string, key: string, task: () => Promise<T>): Promise<T> {
    const id = `${topic}\u0000${key}`;
    let chain = this.chains.get(id);
    if (chain === undefined || chain.failure !== undefined) {
      chain = { tail: Promise.resolve() };
      this.chains.set(id, chain);
    }
    const current = chain;
    const result = current.tail.then(async () => {
      if (current.failure !== undefined) {
        throw new BrokerUnavailableError(`not sent: an earlier send of key "${key}" to ${topic} failed`, {
          ...scope,
          cause: current.failure.error,
        });
      }
      try {
        return await task();
      } catch (error) {
        current.failure = { error };
        throw error;
      }
    });
    const tail = result.then(ignore, ignore);
    current.tail = tail;
    void tail.then(() => {
      if (current.tail === tail && this.chains.get(id) === current) this.chains.delete(id);
    });
    return result;
  }
}

function ignore(): void {}
