import { parseArgs } from 'node:util';

export interface JobConfig {
  /** `memory:` (the embedded broker), `kafka://…`, `amqp://…` or `rocketmq://…`. */
  brokerUrl: string;
  /** `pglite:` (embedded, in memory), `postgres://…` or `mysql://…`: where the job's rows and outbox live. */
  databaseUrl: string;
  /** Six-field cron (with seconds), evaluated by croner. */
  cron: string;
  /** Stop after this many runs; unset runs until SIGINT / SIGTERM. */
  maxRuns: number | undefined;
  debug: boolean;
}

export function readConfig(argv: string[] = process.argv.slice(2), env = process.env): JobConfig {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: {
      broker: { type: 'string' },
      database: { type: 'string' },
      cron: { type: 'string' },
      'max-runs': { type: 'string' },
      debug: { type: 'boolean' },
    },
  });
  const maxRuns = values['max-runs'] ?? env.EV_JOB_MAX_RUNS;
  if (maxRuns !== undefined && !/^[1-9]\d*$/.test(maxRuns)) {
    throw new Error(`--max-runs must be a positive integer, got "${maxRuns}"`);
  }
  return {
    brokerUrl: values.broker ?? env.EV_BROKER_URL ?? 'memory:',
    databaseUrl: values.database ?? env.EV_JOB_DATABASE_URL ?? 'pglite:',
    cron: values.cron ?? env.EV_JOB_CRON ?? '*/5 * * * * *',
    maxRuns: maxRuns === undefined ? undefined : Number(maxRuns),
    debug: values.debug ?? env.EV_DEBUG === '1',
  };
}
