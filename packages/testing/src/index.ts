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
export type { MockBehaviour } from './mocks/behaviour.js';
export {
  type EventCall,
  type EventMock,
  type Methods,
  mockOrderEvent,
  mockUserEvent,
} from './mocks/mock-events.js';
export { MockPusher, type MockPusherOptions, type PusherCall } from './mocks/mock-pusher.js';
