import { badInputCases } from './cases/bad-input.js';
import { delayCases } from './cases/delay.js';
import { deliveryCases } from './cases/delivery.js';
import { lifecycleCases } from './cases/lifecycle.js';
import { orderingCases } from './cases/ordering.js';
import { restartCases } from './cases/restart.js';
import type { ContractHarness, TestRunner } from './types.js';

/**
 * The shared contract suite. Every adapter runs it against a real broker:
 *
 *   runPusherContract({ describe, it }, harness)
 *
 * It takes the runner's functions instead of importing vitest and reads `pusher.capabilities` to decide what
 * to check: a case that needs a capability the pusher lacks first checks that the call fails with
 * NotSupportedError, then shows as skipped with the reason. The bad-input table tries one input over each
 * limit in `pusher.limits`.
 */
export function runPusherContract(runner: TestRunner, harness: ContractHarness): void {
  runner.describe(`Pusher contract: ${harness.name}`, () => {
    deliveryCases(runner, harness);
    orderingCases(runner, harness);
    delayCases(runner, harness);
    lifecycleCases(runner, harness);
    badInputCases(runner, harness);
    restartCases(runner, harness);
  });
}

export { uniqueTopic } from './helpers.js';
export type {
  Assertion,
  BrokerProbe,
  ContractHarness,
  Expect,
  ProbeSubscription,
  ReceivedMessage,
  TestContext,
  TestRunner,
} from './types.js';
