import { defineConfig } from 'vitest/config';

// Broker tests share one RabbitMQ and restart it: run files one after another. Hooks create and
// delete topics, which a cold or busy broker may take a while to do. The global teardown deletes every
// test topic, so queues do not pile up on the node from run to run.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/delete-test-topics.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
