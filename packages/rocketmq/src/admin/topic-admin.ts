import { BrokerRejectedError, BrokerUnavailableError } from '@ev/core';
import { scope } from '../map-error.js';
import { remotingRequest } from './remoting-client.js';

/** RocketMQ request codes (org.apache.rocketmq.remoting.protocol.RequestCode). */
const UPDATE_AND_CREATE_TOPIC = 17;
const GET_ROUTEINFO_BY_TOPIC = 105;
const GET_BROKER_CLUSTER_INFO = 106;
const DELETE_TOPIC_IN_BROKER = 215;
const DELETE_TOPIC_IN_NAMESRV = 216;
const SUCCESS = 0;
/** Read and write. */
const PERM_READ_WRITE = 6;

export type TopicMessageType = 'NORMAL' | 'FIFO' | 'DELAY';

/**
 * Creates and deletes typed topics through the name server and the master brokers, as `mqadmin
 * updateTopic` does. Brokers with ACL need credentials this does not send: create topics with mqadmin
 * there and turn provisioning off.
 */
export class TopicAdmin {
  constructor(
    private readonly nameServer: string,
    private readonly timeoutMs: number,
  ) {}

  async createTopic(topic: string, type: TopicMessageType, queues: number): Promise<void> {
    for (const broker of await this.masterBrokers()) {
      const response = await this.request(broker, UPDATE_AND_CREATE_TOPIC, {
        topic,
        defaultTopic: 'TBW102',
        readQueueNums: String(queues),
        writeQueueNums: String(queues),
        perm: String(PERM_READ_WRITE),
        topicFilterType: 'SINGLE_TAG',
        topicSysFlag: '0',
        order: 'false',
        attributes: `+message.type=${type}`,
      });
      if (response.code !== SUCCESS) {
        throw new BrokerRejectedError(
          `creating ${type} topic "${topic}" failed: ${response.remark ?? `code ${response.code}`}`,
          scope,
        );
      }
    }
  }

  /**
   * Waits until the name server serves the topic's route. Brokers register new topics asynchronously,
   * and a proxy that asks too early caches "topic not found" for a while.
   */
  async waitForRoute(topic: string, timeoutMs = this.timeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.request(this.nameServer, GET_ROUTEINFO_BY_TOPIC, { topic });
      if (response.code === SUCCESS) return;
      if (Date.now() > deadline) {
        throw new BrokerUnavailableError(
          `the name server has no route for topic "${topic}" after ${timeoutMs} ms`,
          scope,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async deleteTopic(topic: string): Promise<void> {
    for (const broker of await this.masterBrokers())
      await this.request(broker, DELETE_TOPIC_IN_BROKER, { topic });
    await this.request(this.nameServer, DELETE_TOPIC_IN_NAMESRV, { topic });
  }

  /**
   * The master (id 0) broker addresses, from the name server's cluster info. A broker that has just
   * started registers a moment after it serves, so an empty answer is asked again until the timeout.
   */
  async masterBrokers(): Promise<string[]> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const response = await this.request(this.nameServer, GET_BROKER_CLUSTER_INFO, {});
      // The body is fastjson, whose integer map keys are unquoted ({0:"host:port"}): read it by pattern.
      const text = response.body.toString('utf8');
      const masters = [...text.matchAll(/"brokerAddrs":\{([^}]*)\}/g)].flatMap(([, addresses]) =>
        [...addresses!.matchAll(/"?0"?:"([^"]+)"/g)].map((m) => m[1]!),
      );
      if (masters.length > 0) return masters;
      if (Date.now() > deadline) {
        throw new BrokerUnavailableError(`no master broker registered with ${this.nameServer}`, scope);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private async request(address: string, code: number, fields: Record<string, string>) {
    try {
      return await remotingRequest(address, code, fields, this.timeoutMs);
    } catch (error) {
      throw new BrokerUnavailableError(`cannot reach RocketMQ at ${address}`, { ...scope, cause: error });
    }
  }
}
