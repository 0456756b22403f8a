import { assertOptions, check, type OptionChecks } from './adapter/option-checks.js';
import type { PusherOptions } from './pusher.js';
import type { ValidationScope } from './validation.js';

/** The options every pusher takes, each with its check. */
export const PUSHER_OPTION_CHECKS: OptionChecks<PusherOptions> = {
  logger: check.logger,
  sendTimeoutMs: check.duration(),
  maxInFlight: check.count(1),
  // Infinity: no cap on waiting callers.
  maxQueued: (value, name, scope) => {
    if (value !== Number.POSITIVE_INFINITY) check.count(0)(value, name, scope);
  },
  closeGraceMs: check.duration({ allowZero: true }),
};

/**
 * Checks the pusher options in `options`, which may carry others (a driver's own): a bad setting fails
 * when the pusher is made, naming itself, not on every send.
 */
export function assertPusherOptions(options: PusherOptions, scope: ValidationScope): void {
  if (options === null || typeof options !== 'object') {
    assertOptions(options, PUSHER_OPTION_CHECKS, scope);
  }
  for (const name of Object.keys(PUSHER_OPTION_CHECKS) as Array<keyof PusherOptions>) {
    const value = options[name];
    if (value !== undefined) PUSHER_OPTION_CHECKS[name](value, name, scope);
  }
}
