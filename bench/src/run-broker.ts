// One broker's benchmark in a process of its own; prints each report as JSON on a marked line.
import { measureBackpressure } from './backpressure.js';
import { benchKafka } from './kafka.js';
import { benchOutbox } from './outbox.js';
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
const scale = flags.includes('--quick') ? QUICK : FULL;
// A marked line per report, as soon as it is made: tools the benchmark runs may write to the same stdout.
const print = (report: BrokerReport) => console.log(`${REPORT_MARK}${JSON.stringify(report)}`);
if (broker === 'outbox') {
  // The outbox to each broker, with its own stalled-broker stage.
  await benchOutbox(scale, print, !flags.includes('--no-stall'));
} else {
  const run = runners[broker];
  if (!run) throw new Error(`unknown bench "${broker}": use ${Object.keys(runners).join(', ')} or outbox`);
  const report = await run(scale);
  report.backpressure = await measureBackpressure(broker, scale.stalled);
  print(report);
}
process.exit(0);
