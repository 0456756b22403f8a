/**
 * What a driver is told about a send it is publishing: whether the caller stopped waiting (timeout or
 * abort) and why. An AbortSignal fits this shape; `@ev` passes the send's own state instead of an
 * AbortController per send, which costs more than the rest of a send under load.
 */
export interface SendSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
}
