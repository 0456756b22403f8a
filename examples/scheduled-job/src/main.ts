import { consoleLogger, redactUrl } from '@ev/core';
import { Cron } from 'croner';
import { readConfig } from './config.js';
import { runSyncJob } from './internal/job/sync-job.js';
import { newRepository } from './internal/repository/repository.js';
import { watchMemoryBroker } from './watch-memory-broker.js';

/** How long the job waits at exit for the relay to forward what it wrote (a delayed event waits 2 s). */
const FORWARD_TIMEOUT_MS = 30_000;

const config = readConfig();
const logger = consoleLogger({ debug: config.debug });
const repository = await newRepository(config, logger).catch((error: unknown) => {
  // One line that says what failed (the error's text names the broker or database, never its credentials).
  const { code, retryable } = error as { code?: string; retryable?: boolean };
  logger.error(
    { broker: redactUrl(config.brokerUrl), database: redactUrl(config.databaseUrl), code, retryable },
    `cannot start: ${String((error as Error)?.message ?? error)}`,
  );
  process.exit(1);
});
const stopWatching = config.brokerUrl.startsWith('memory:') ? watchMemoryBroker(logger) : () => {};

let runs = 0;
let failures = 0;
let written = 0;
let current: Promise<unknown> = Promise.resolve();

const job = new Cron(config.cron, { protect: true }, async () => {
  runs += 1;
  current = runSyncJob(repository, runs, logger).then((outcome) => {
    written += outcome.written;
    if (outcome.rolledBack) failures += 1;
  });
  await current;
  if (config.maxRuns !== undefined && runs >= config.maxRuns) void shutdown('max runs reached');
});

let stopping: Promise<void> | undefined;
// Let the relay forward every committed event, then close it, the broker connection and the database.
function shutdown(reason: string): Promise<void> {
  stopping ??= (async () => {
    logger.info({ reason, runs }, 'stopping');
    job.stop();
    await current;
    const relayed = await repository.waitForRelay(written, FORWARD_TIMEOUT_MS);
    if (relayed.forwarded >= written) {
      logger.info({ written, forwarded: relayed.forwarded }, 'outbox relay forwarded every event written');
    } else {
      logger.error(
        { written, ...relayed, timeoutMs: FORWARD_TIMEOUT_MS },
        'outbox relay did not forward every event',
      );
      failures += 1;
    }
    await repository.close();
    stopWatching();
    logger.info({ runs, failures }, 'stopped: relay, broker connection and database closed');
    process.exitCode = failures > 0 ? 1 : 0;
  })();
  return stopping;
}

process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
logger.info(
  {
    broker: redactUrl(config.brokerUrl),
    database: redactUrl(config.databaseUrl),
    cron: config.cron,
    maxRuns: config.maxRuns,
  },
  'scheduled job started',
);
