/** How many messages each stage sends; `--quick` for a smoke run. */
export interface Scale {
  sequential: number;
  concurrent: number;
  javaRecords: number;
  delayed: number;
  /** Sends fired at a frozen broker in the backpressure stage. */
  stalled: number;
}

export const FULL: Scale = {
  sequential: 10_000,
  concurrent: 100_000,
  // The Java tool warms up for a second or two; a million records measure it at full speed.
  javaRecords: 1_000_000,
  delayed: 200,
  stalled: 200_000,
};
export const QUICK: Scale = {
  sequential: 200,
  concurrent: 5_000,
  javaRecords: 20_000,
  delayed: 20,
  stalled: 20_000,
};

/** Prefix of the line carrying a broker's JSON report on the child process's stdout. */
export const REPORT_MARK = '@@ev-bench-report@@';
