import { describe, expect, it } from 'vitest';
import {
  BrokerRejectedError,
  BrokerUnavailableError,
  InvalidArgumentError,
  isEvError,
  OverloadedError,
  PusherClosedError,
  TimeoutError,
} from '../src/index.js';

describe('isEvError', () => {
  it('recognises errors of another copy of @ev/core loaded in the same process', async () => {
    // A query string makes the module loader evaluate the file again: a second copy of every class.
    const secondCopy = '../src/errors.js?second-copy';
    const copy = (await import(secondCopy)) as typeof import('../src/errors.js');
    const foreign = new copy.TimeoutError('send', 5, { provider: 'kafka' });
    expect(foreign).not.toBeInstanceOf(TimeoutError);
    expect(isEvError(foreign)).toBe(true);
    expect(copy.isEvError(new TimeoutError('send', 5))).toBe(true);
  });

  it('says no to other errors and to look-alikes', () => {
    expect(isEvError(new Error('x'))).toBe(false);
    expect(isEvError({ code: 'TIMEOUT', name: 'TimeoutError', message: '[ev] x' })).toBe(false);
    expect(isEvError(null)).toBe(false);
    expect(isEvError('TIMEOUT')).toBe(false);
  });
});

describe('retryable', () => {
  it('is true where trying again later can help, and false for bad input or a refusal', () => {
    expect(new TimeoutError('send', 5).retryable).toBe(true);
    expect(new BrokerUnavailableError('down').retryable).toBe(true);
    expect(new OverloadedError(10).retryable).toBe(true);
    expect(new InvalidArgumentError('bad').retryable).toBe(false);
    expect(new PusherClosedError().retryable).toBe(false);
    expect(new BrokerRejectedError('no').retryable).toBe(false);
  });

  it('can be set where the code alone does not tell', () => {
    expect(new BrokerRejectedError('nack under load', { retryable: true }).retryable).toBe(true);
    expect(new BrokerUnavailableError('credentials refused', { retryable: false }).retryable).toBe(false);
  });
});
