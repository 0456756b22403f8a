// A sending process that dies right after sendDelayAfter resolved: SIGKILL, no close, no flush.
// Run by the fault suite as `node delayed-sender-process.js '<json>'`; prints the receipt first.
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BrokerConnection } from '@ev/core';

interface Order {
  adapterEntry: string;
  brokerUrl: string;
  connectOptions?: Record<string, unknown>;
  topic: string;
  delayMs: number;
}

type Adapter = { connectBroker(url: string, options?: Record<string, unknown>): Promise<BrokerConnection> };

const order = JSON.parse(process.argv[2] ?? '{}') as Order;
const adapter = (await import(pathToFileURL(order.adapterEntry).href)) as Adapter;
const connection = await adapter.connectBroker(order.brokerUrl, order.connectOptions);
const pusher = await connection.pusher(order.topic);
const sentAt = Date.now();
const receipt = await pusher.sendDelayAfter(
  new TextEncoder().encode('sent by a process that died'),
  order.delayMs,
);
writeSync(1, `${JSON.stringify({ messageId: receipt.messageId, sentAt })}\n`);
process.kill(process.pid, 'SIGKILL');
