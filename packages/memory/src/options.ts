import { type ConnectOptions, type DelayOptions, InvalidArgumentError } from '@ev/core';
import { type CommonOptionName, check, type OptionChecks } from '@ev/core/adapter';
import type { MemoryBroker } from './memory-broker.js';

export interface MemoryOptions extends ConnectOptions {
  /** The broker to use; the process-wide one that every `connect('memory:')` shares unless given. */
  broker?: MemoryBroker;
}

/** Far longer than any test needs; timers are real. */
export const MEMORY_MAX_DELAY_MS = 7 * 24 * 60 * 60 * 1000;
/** Partitions a topic may have. */
export const MEMORY_MAX_PARTITIONS = 1024;

/** By shape, not instanceof: a test may hold a MemoryBroker from another copy of this package. */
export function isMemoryBroker(value: unknown): value is MemoryBroker {
  const candidate = value as Partial<MemoryBroker> | undefined;
  return typeof candidate?.append === 'function' && typeof candidate.subscribe === 'function';
}

export const MEMORY_OPTION_CHECKS: OptionChecks<Omit<MemoryOptions, CommonOptionName>> = {
  broker: (value, name, scope) => {
    if (!isMemoryBroker(value))
      throw new InvalidArgumentError(`option ${name} must be a MemoryBroker`, scope);
  },
  delay: check.object<DelayOptions>({ maxDelayMs: check.count(1, MEMORY_MAX_DELAY_MS) }),
};

declare module '@ev/core' {
  interface BrokerOptionsByScheme {
    memory: MemoryOptions;
  }
}
