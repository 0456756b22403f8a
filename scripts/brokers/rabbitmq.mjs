// RabbitMQ from Debian's rabbitmq-server, on 127.0.0.1:5672 (guest/guest), with the consistent-hash
// exchange plugin that @ev/rabbitmq uses for partition queues.
import { ensureDebianPackage, log, mustRun, portOpen, run, waitUntil } from './util.mjs';

const MEMORY_ALARM = '{resource_limit, memory, node()}';

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
  /** SIGKILL the Erlang VM (no clean shutdown), start it again and wait until every queue recovered. */
  async crash() {
    const pid = Number(mustRun('rabbitmqctl', ['eval', 'list_to_integer(os:getpid()).']).trim());
    process.kill(pid, 'SIGKILL');
    await waitUntil('rabbitmq killed', async () => !(await portOpen(PORT)), 30_000, 100);
    run('rabbitmq-server', ['-detached']);
    await waitUntil('rabbitmq', ready, 180_000, 500);
    await waitUntil('rabbitmq queues', queuesRunning, 120_000, 500);
  },
  /** Raises a memory alarm: RabbitMQ blocks every publishing connection until it is cleared. */
  async stall() {
    mustRun('rabbitmqctl', ['eval', `rabbit_alarm:set_alarm({${MEMORY_ALARM}, []}).`]);
  },
  async resume() {
    mustRun('rabbitmqctl', ['eval', `rabbit_alarm:clear_alarm(${MEMORY_ALARM}).`]);
  },
  async down() {
    run('rabbitmqctl', ['stop']);
  },
};
