export {
  type Assertion,
  type BrokerProbe,
  type ContractHarness,
  type Expect,
  type ProbeSubscription,
  type ReceivedMessage,
  runPusherContract,
  type TestContext,
  type TestRunner,
  uniqueTopic,
} from './contract/index.js';
export { ProbeCollector } from './contract/probe-collector.js';
export { runFaultSuite } from './faults/fault-suite.js';
export { reconcile, report as reportReliability, SendOutcomes } from './faults/outcomes.js';
export type { FaultFigures, FaultHarness } from './faults/types.js';
export { connectBroker, type MemoryConnectOptions } from './memory/connect-memory.js';
export {
  type AppendInput,
  defaultMemoryBroker,
  MemoryBroker,
  type MessageHandler,
  type StoredMessage,
} from './memory/memory-broker.js';
export { createMemoryHarness, createMemoryProbe } from './memory/memory-harness.js';
export { MEMORY_LIMITS } from './memory/memory-limits.js';
export {
  createMemoryPusher,
  MEMORY_MAX_DELAY_MS,
  MEMORY_MAX_PAYLOAD_BYTES,
  type MemoryPusherOptions,
} from './memory/memory-pusher.js';
export type { MockBehaviour } from './mocks/behaviour.js';
export {
  type EventCall,
  type EventMock,
  type Methods,
  mockOrderEvent,
  mockUserEvent,
} from './mocks/mock-events.js';
export { MockPusher, type MockPusherOptions, type PusherCall } from './mocks/mock-pusher.js';
export { OutputRecorder } from './output-recorder.js';
export { runCommand } from './run-command.js';
