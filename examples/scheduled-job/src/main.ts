import { consoleLogger, redactUrl } from '@ev/core';
import { Cron } from 'croner';
import { readConfig } from './config.js';
import { runSyncJob } from './internal/job/sync-job.js';
import { newRepository } from './internal/repository/repository.js';
import { watchMemoryBroker } from './watch-memory-broker.js';

const config = readConfig();
const logger = consoleLogger({ debug: config.debug });
const repository = await newRepository(config.brokerUrl, logger).catch((error: unknown) => {
  // One line that says what failed (the error's text names the broker, never its credentials).
  const { code, retryable } = error as { code?: string; retryable?: boolean };
  logger.error(
    { broker: redactUrl(config.brokerUrl), code, retryable },
    `cannot start: ${String((error as Error)?.message ?? error)}`,
  );
  process.exit(1);
});
const stopWatching = config.brokerUrl.startsWith('memory:') ? watchMemoryBroker(logger) : () => {};

let runs = 0;
let failures = 0;
let current: Promise<unknown> = Promise.resolve();

const job = new Cron(config.cron, { protect: true }, async () => {
  runs += 1;
  current = runSyncJob(repository, runs, logger).then((failed) => {
    failures += failed;
  });
  await current;
  if (config.maxRuns !== undefined && runs >= config.maxRuns) void shutdown('max runs reached');
});

let stopping: Promise<void> | undefined;
// Close every pusher before the process exits, so no in-flight event is lost.
function shutdown(reason: string): Promise<void> {
  stopping ??= (async () => {
    logger.info({ reason, runs }, 'stopping');
    job.stop();
    await current;
    await repository.close();
    stopWatching();
    logger.info({ runs, failures }, 'stopped: every pusher closed');
    process.exitCode = failures > 0 ? 1 : 0;
  })();
  return stopping;
}

process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
logger.info(
  { broker: redactUrl(config.brokerUrl), cron: config.cron, maxRuns: config.maxRuns },
  'scheduled job started',
);
