import type { BrokerConnection, Logger, Pusher } from '@ev/core';

/** A message as the broker really holds it, read by an adapter's probe (not through the pusher). */
export interface ReceivedMessage {
  readonly topic: string;
  /** The partition, queue or message queue it was stored in, as the broker names it. */
  readonly partition: string;
  readonly key: string | undefined;
  readonly payload: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  /** When the probe received it (Unix milliseconds, this machine's clock). */
  readonly receivedAt: number;
}

export interface ProbeSubscription {
  /** Everything received so far, in arrival order (per partition, the broker's order). */
  readonly messages: readonly ReceivedMessage[];
  /** Resolves once at least `count` messages arrived; rejects after `timeoutMs` saying how many did. */
  waitFor(count: number, timeoutMs: number): Promise<readonly ReceivedMessage[]>;
  close(): Promise<void>;
}

/** Reads what arrived on the broker. Subscriptions see the topic from its beginning. */
export interface BrokerProbe {
  subscribe(topic: string): Promise<ProbeSubscription>;
}

export interface ContractHarness {
  /** Shown in test names. */
  readonly name: string;
  /** A pusher on a topic that does not exist yet; the harness provisions it with `partitions`. */
  createPusher(topic: string, options?: { partitions?: number }): Promise<Pusher>;
  /** A connection of its own, as an application opens one, with these options (a logger). */
  connect(options: { logger: Logger }): Promise<BrokerConnection>;
  readonly probe: BrokerProbe;
  /**
   * Restarts the broker (stop, start, wait until ready). While it runs, the pushers keep sending.
   * Resolves when the broker serves again.
   */
  restartBroker(): Promise<void>;
  /** How long a probe may take to see a message that was confirmed. Default 15 000 ms. */
  readonly arrivalTimeoutMs?: number;
}

/**
 * The assertions the suite uses, typed by shape so that the package does not need vitest's types:
 * vitest's `expect` fits, and so does any runner's that offers the same matchers.
 */
export interface Assertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeInstanceOf(expected: unknown): void;
  toContain(expected: unknown): void;
  toMatch(expected: string | RegExp): void;
  toHaveLength(length: number): void;
  toBeGreaterThan(value: number): void;
  toBeGreaterThanOrEqual(value: number): void;
  toBeLessThan(value: number): void;
  toBeLessThanOrEqual(value: number): void;
  readonly rejects: { toBeInstanceOf(expected: unknown): Promise<void> };
}

export type Expect = (actual: unknown, message?: string) => Assertion;

/** The test context the suite's tests receive: vitest's, or any runner's with a compatible `expect`. */
export interface TestContext {
  expect: Expect;
  /** Ends the test as skipped, with the reason shown in the report (vitest's `context.skip`). */
  skip(note?: string): void;
}

export interface TestRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: (context: TestContext) => Promise<void>, timeoutMs?: number): void;
}
