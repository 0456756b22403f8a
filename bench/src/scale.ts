/** How many messages each stage sends; `--quick` for a smoke run. */
export interface Scale {
  sequential: number;
  concurrent: number;
  javaRecords: number;
  delayed: number;
  /** Sends fired at a frozen broker in the backpressure stage. */
  stalled: number;
  /** Outbox: transactions (one row each) under light load, one at a time, and by 100 callers. */
  outboxLight: number;
  outboxSequential: number;
  outboxConcurrent: number;
  /** Outbox: rows committed with the relay stopped, then timed until forwarded. */
  outboxBacklog: number;
  /** Outbox: how long the broker stays stalled while transactions commit rows, and at what rate. */
  outboxStallMs: number;
  outboxStallRate: number;
}

export const FULL: Scale = {
  sequential: 10_000,
  concurrent: 100_000,
  // The Java tool warms up for a second or two; a million records measure it at full speed.
  javaRecords: 1_000_000,
  delayed: 200,
  stalled: 200_000,
  outboxLight: 300,
  outboxSequential: 2_000,
  outboxConcurrent: 20_000,
  outboxBacklog: 100_000,
  outboxStallMs: 60_000,
  outboxStallRate: 500,
};
export const QUICK: Scale = {
  sequential: 200,
  concurrent: 5_000,
  javaRecords: 20_000,
  delayed: 20,
  stalled: 20_000,
  outboxLight: 40,
  outboxSequential: 200,
  outboxConcurrent: 2_000,
  outboxBacklog: 10_000,
  outboxStallMs: 10_000,
  outboxStallRate: 200,
};

/** Prefix of the line carrying a broker's JSON report on the child process's stdout. */
export const REPORT_MARK = '@@ev-bench-report@@';
