import { defineConfig } from 'vitest/config';

// One file at a time: the files share the databases and brokers, and the fault tests restart them.
// RabbitMQ's teardown deletes the queues of every test topic, these suites' included.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    hookTimeout: 120_000,
    globalSetup: ['../rabbitmq/test/delete-test-topics.ts'],
  },
});
