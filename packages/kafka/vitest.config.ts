import { defineConfig } from 'vitest/config';
import { nodeRunsPlatformatic } from './src/client/load.js';

/** Tests of code that does not depend on the client library, and the test that picks clients itself. */
const CLIENT_FREE = [
  'test/client-choice.test.ts',
  'test/held-partition.test.ts',
  'test/offset-text.test.ts',
  'test/produce-lane.test.ts',
  'test/sticky-partitioner.test.ts',
];

// Each suite runs once per client (on a Node too old for @platformatic/kafka, on kafkajs only). Broker
// tests share one Kafka and restart it: run files one after another, one client after the other. Hooks
// create and delete topics, which a cold or busy broker may take a while to do.
export default defineConfig({
  test: {
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'kafkajs', include: ['test/**/*.test.ts'] } },
      ...(nodeRunsPlatformatic()
        ? [
            {
              extends: true,
              test: {
                name: 'platformatic',
                include: ['test/**/*.test.ts'],
                exclude: CLIENT_FREE,
                env: { EV_KAFKA_CLIENT: 'platformatic' },
              },
            },
          ]
        : []),
    ],
  },
});
