/** What went wrong, as far as the adapter needs to tell failures apart. */
export type FailureKind =
  /** The broker answered with a Kafka protocol error (see `type`). */
  | 'answer'
  /** The broker refused the credentials. */
  | 'credentials'
  /** A request got no answer in time. */
  | 'timeout'
  /** No connection to the broker. */
  | 'unreachable'
  | 'other';

/**
 * A client library's failure in the terms the adapter reads, whichever library it came from: the client
 * ports reject with this, the library's own error as its cause.
 */
export class ClientFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    /** Kafka's name for the protocol error (`UNKNOWN_TOPIC_OR_PARTITION`), or ''. */
    readonly type: string,
    /** Whether Kafka or the client calls it passing: trying again later may succeed. */
    readonly retriable: boolean,
    cause: unknown,
  ) {
    super(type || (cause as Error)?.message || kind, { cause });
    this.name = 'ClientFailure';
  }
}

/** Runs a client call, turning its failure into a ClientFailure with `describe`. */
export async function described<T>(
  describe: (error: unknown) => ClientFailure,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof ClientFailure ? error : describe(error);
  }
}
