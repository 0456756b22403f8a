// RabbitMQ from Debian's rabbitmq-server, on 127.0.0.1:5672 (guest/guest), with the consistent-hash
// exchange plugin that @ev/rabbitmq uses for partition queues.
import { ensureDebianPackage, log, mustRun, portOpen, run, waitUntil } from './util.mjs';

const PORT = 5672;

function awaitStartup() {
  return run('rabbitmqctl', ['await_startup', '--timeout', '60'], { timeoutMs: 90_000 }).status === 0;
}

async function ready() {
  return (await portOpen(PORT)) && awaitStartup();
}

/** Every queue has recovered (quorum queues: elected a leader), so the broker serves what it stored. */
function queuesRunning() {
  const { status, output } = run('rabbitmqctl', [
    'list_queues',
    '--quiet',
    '--no-table-headers',
    'name',
    'state',
  ]);
  return (
    status === 0 && output.split('\n').every((line) => line.trim() === '' || /\trunning$/.test(line.trim()))
  );
}

export const rabbitmq = {
  name: 'rabbitmq',
  async up() {
    ensureDebianPackage('rabbitmq-server', 'rabbitmq-server');
    if (!(await ready())) {
      log('starting rabbitmq-server');
      run('rabbitmq-server', ['-detached']);
      await waitUntil('rabbitmq', ready, 120_000, 1_000);
    }
    mustRun('rabbitmq-plugins', ['enable', '--online', 'rabbitmq_consistent_hash_exchange']);
    log('rabbitmq ready on 127.0.0.1:5672');
  },
  async status() {
    return ready();
  },
  /** A broker restart as a client sees it: every connection drops, durable state is recovered from disk. */
  async restart() {
    mustRun('rabbitmqctl', ['stop_app']);
    mustRun('rabbitmqctl', ['start_app'], { timeoutMs: 180_000 });
    await waitUntil('rabbitmq', ready, 120_000, 500);
    await waitUntil('rabbitmq queues', queuesRunning, 120_000, 500);
  },
  async down() {
    run('rabbitmqctl', ['stop']);
  },
};
