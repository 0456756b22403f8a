/**
 * Wakes the relay's loop early: a notification, a stop. A wake that comes while the loop is busy is kept,
 * so the next wait returns at once and no committed row waits a whole poll interval.
 */
export class WakeSignal {
  private pending = false;
  private resolveWait: (() => void) | undefined;

  wake = (): void => {
    this.pending = true;
    this.resolveWait?.();
  };

  /** Resolves after `ms`, or at the next wake (at once if one came since the last wait). */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.resolveWait = undefined;
        self.pending = false;
        resolve();
      }
      this.resolveWait = done;
    });
  }
}
