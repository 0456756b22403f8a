export { connectBroker, connectPusher, memoryAdapter } from './adapter.js';
export { MEMORY_LIMITS } from './limits.js';
export {
  type AppendInput,
  defaultMemoryBroker,
  MemoryBroker,
  type MessageHandler,
  type StoredMessage,
} from './memory-broker.js';
export { createMemoryPusher, type MemoryPusherOptions, memoryCapabilities } from './memory-pusher.js';
export { MEMORY_MAX_DELAY_MS, MEMORY_MAX_PARTITIONS, type MemoryOptions } from './options.js';
