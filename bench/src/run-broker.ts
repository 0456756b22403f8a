// One broker's benchmark in a process of its own; prints its report as JSON on the last line.
import { measureBackpressure } from './backpressure.js';
import { benchKafka } from './kafka.js';
import { benchRabbitMQ } from './rabbitmq.js';
import type { BrokerReport } from './report.js';
import { benchRocketMQ } from './rocketmq.js';
import { FULL, QUICK, REPORT_MARK, type Scale } from './scale.js';

const runners: Record<string, (scale: Scale) => Promise<BrokerReport>> = {
  kafka: benchKafka,
  rabbitmq: benchRabbitMQ,
  rocketmq: benchRocketMQ,
};

const [broker = '', ...flags] = process.argv.slice(2);
const run = runners[broker];
if (!run) throw new Error(`unknown broker "${broker}": use ${Object.keys(runners).join(', ')}`);
const scale = flags.includes('--quick') ? QUICK : FULL;
const report = await run(scale);
report.backpressure = await measureBackpressure(broker, scale.stalled);
// A marked line: tools the benchmark runs may write to the same stdout.
console.log(`${REPORT_MARK}${JSON.stringify(report)}`);
process.exit(0);
