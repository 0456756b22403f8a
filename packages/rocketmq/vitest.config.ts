import { defineConfig } from 'vitest/config';

// Broker tests share one RocketMQ and restart it: run files one after another.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], fileParallelism: false, testTimeout: 60_000 },
});
