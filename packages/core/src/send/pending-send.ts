import { AbortError, type EvError, TimeoutError } from '../errors.js';
import type { SendReceipt } from '../pusher.js';
import type { DriverReceipt, OutgoingMessage, SendSignal } from '../pusher-driver.js';
import type { ValidationScope } from '../validation.js';
import type { Deadline, Expiring } from './send-deadlines.js';
import type { SlotWaiter } from './send-slots.js';

/** What a send reports back to the pusher that started it. */
export interface SendOwner extends ValidationScope {
  /** A queued send's turn came: it holds a slot now and is to be published. */
  publish(send: PendingSend): void;
  /** The caller's promise settled; `error` when it was rejected. Called once per send. */
  settled(send: PendingSend, error: EvError | undefined): void;
}

/**
 * One send from call to outcome: the promise its caller awaits, the signal its driver reads, its place in
 * the slot queue, its deadline and the caller's abort signal. One object per send, with no closures: under
 * load, allocations per send cost more than the rest of the send.
 */
export class PendingSend implements SendSignal, SlotWaiter, Expiring {
  aborted = false;
  reason: unknown = undefined;
  /** The caller's promise settled. */
  done = false;
  /** Waiting in the slot queue (as opposed to publishing). */
  queued = false;
  deadline: Deadline | undefined = undefined;
  timer: NodeJS.Timeout | undefined = undefined;
  readonly promise: Promise<SendReceipt>;
  private resolveCaller!: (receipt: SendReceipt) => void;
  private rejectCaller!: (error: EvError) => void;

  constructor(
    readonly message: OutgoingMessage,
    private readonly owner: SendOwner,
    private readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    this.promise = new Promise<SendReceipt>((resolve, reject) => {
      this.resolveCaller = resolve;
      this.rejectCaller = reject;
    });
    // The send itself is the listener (EventTarget calls handleEvent): no closure per send.
    callerSignal?.addEventListener('abort', this, { once: true });
  }

  grant(): void {
    this.queued = false;
    this.owner.publish(this);
  }

  /** The deadline passed before the broker answered. */
  expire(): void {
    this.abort(new TimeoutError('send', this.timeoutMs, this.owner));
  }

  /** The caller's AbortSignal fired. */
  handleEvent(): void {
    this.abort(new AbortError(this.callerSignal?.reason, this.owner));
  }

  /** The caller stops waiting; a driver that has not written the message yet may now drop it. */
  abort(reason: EvError): void {
    if (this.done) return;
    this.aborted = true;
    this.reason = reason;
    this.fail(reason);
  }

  succeed(receipt: DriverReceipt): void {
    if (this.done) return;
    this.finish(undefined);
    const result: { -readonly [K in keyof SendReceipt]: SendReceipt[K] } = {
      messageId: this.message.messageId,
    };
    if (receipt.partition !== undefined) result.partition = receipt.partition;
    if (receipt.offset !== undefined) result.offset = receipt.offset;
    this.resolveCaller(result);
  }

  fail(error: EvError): void {
    if (this.done) return;
    this.finish(error);
    this.rejectCaller(error);
  }

  private finish(error: EvError | undefined): void {
    this.done = true;
    this.deadline?.settle();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this);
    this.owner.settled(this, error);
  }
}
