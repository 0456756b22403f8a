import type { BrokerConnection } from '@ev/core';
import type { BrokerProbe } from '@ev/testing';

/** What an adapter supplies to run the fault suite against its real broker. */
export interface FaultHarness {
  /** Shown in test names and in the figures printed for RELIABILITY.md. */
  readonly name: string;
  /** The connection the suite opens pushers on; it stays open across every fault. */
  readonly connection: BrokerConnection;
  readonly probe: BrokerProbe;
  /** SIGKILL the broker (no clean shutdown), start it again; resolves when it serves again. */
  crashBroker(): Promise<void>;
  /** Freeze the broker: connections stay open, nothing is answered. */
  stallBroker(): Promise<void>;
  resumeBroker(): Promise<void>;
  /** How a separate Node process connects: the adapter's entry file, the URL and connect options. */
  readonly sender: {
    readonly adapterEntry: string;
    readonly brokerUrl: string;
    readonly connectOptions?: Record<string, unknown>;
  };
  /** How long a probe may take to see a confirmed message. Default 30 000 ms. */
  readonly arrivalTimeoutMs?: number;
}

/** The outcome of one run, printed as one line so RELIABILITY.md can quote it. */
export interface FaultFigures {
  readonly [name: string]: number | string | Readonly<Record<string, number>>;
}
