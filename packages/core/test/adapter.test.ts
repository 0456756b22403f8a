import { describe, expect, it } from 'vitest';
import {
  type AdapterSession,
  assertOptions,
  type BrokerAdapter,
  check,
  DEFAULT_TOPIC_RULE,
  defineAdapter,
  parseBrokerUrl,
} from '../src/adapter/index.js';
import {
  BrokerRejectedError,
  type ConnectOptions,
  InvalidArgumentError,
  PusherClosedError,
} from '../src/index.js';
import { TEST_LIMITS } from './limits-fixture.js';

const scope = { provider: 'test' };

describe('parseBrokerUrl', () => {
  it('takes several hosts, fills in the default port, and decodes user info, path and parameters', () => {
    const url = parseBrokerUrl('Kafka+SSL://us%40er:p%3Ass@a:9093,b;[::1]:7/v%2Fh?clientId=job', 9092, scope);
    expect(url).toMatchObject({
      scheme: 'kafka+ssl',
      hosts: ['a:9093', 'b:9092', '[::1]:7'],
      username: 'us@er',
      password: 'p:ss',
      path: 'v/h',
      endpoint: 'kafka+ssl://a:9093,b:9092,[::1]:7/v/h',
    });
    expect(url.params.get('clientId')).toBe('job');
    expect(parseBrokerUrl('memory:', 0, scope)).toMatchObject({ scheme: 'memory', hosts: [], path: '' });
  });

  it('ends the user info at the last "@", so a password may hold one', () => {
    expect(parseBrokerUrl('amqp://admin:p@ss@rabbit', 5672, scope)).toMatchObject({
      username: 'admin',
      password: 'p@ss',
      hosts: ['rabbit:5672'],
      endpoint: 'amqp://rabbit:5672',
    });
  });

  it('refuses a malformed URL with a typed error that never echoes the password', () => {
    for (const bad of [
      'amqp://admin:s3cr/et@rabbit',
      'amqp://u:s3cret@host:99999',
      'amqp://u:s3cret@ho st',
      'amqp://u:%E0%A4%A@host',
      'no-scheme',
    ]) {
      const error = (() => {
        try {
          parseBrokerUrl(bad, 5672, scope);
        } catch (e) {
          return e;
        }
      })();
      expect(error, bad).toBeInstanceOf(InvalidArgumentError);
      expect(String((error as Error).message)).not.toContain('s3cret');
    }
  });
});

describe('option checks', () => {
  interface Options {
    timeoutMs?: number;
    nested?: { count?: number; on?: boolean };
    credentials?: { username: string; password: string };
    mode?: string;
  }
  const checks = {
    timeoutMs: check.duration(),
    mode: check.oneOf(['fast', 'safe']),
    nested: check.object<NonNullable<Options['nested']>>({ count: check.count(1, 9), on: check.boolean }),
    credentials: check.credentials(['username', 'password']),
  };
  const refusal = (options: unknown) => {
    try {
      assertOptions<Options>(options, checks, scope);
      return 'accepted';
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      return (error as Error).message;
    }
  };

  it('name the option, its path and what it must be', () => {
    expect(refusal({ timeoutMs: 5, nested: { count: 9, on: true } })).toBe('accepted');
    expect(refusal({ timeotMs: 5 })).toContain(
      'unknown option "timeotMs": use timeoutMs, mode, nested, credentials',
    );
    expect(refusal({ mode: 'safe' })).toBe('accepted');
    expect(refusal({ mode: 'quick' })).toContain('option mode must be one of "fast", "safe", got string');
    expect(refusal({ nested: { cont: 1 } })).toContain(
      'unknown option "nested.cont": use nested.count, nested.on',
    );
    expect(refusal({ nested: { count: 10 } })).toContain(
      'option nested.count must be an integer from 1 to 9, got 10',
    );
    expect(refusal({ timeoutMs: -5 })).toContain('option timeoutMs must be a number of milliseconds above 0');
    expect(refusal({ nested: 'yes' })).toContain('option nested must be an object, got string');
    expect(refusal(null)).toContain('option options must be an object, got null');
  });

  it('never show a credential they refuse', () => {
    const message = refusal({ credentials: { username: 'svc', password: 7, extra: 'Hunter2' } });
    expect(message).toContain('option credentials must be { username, password } of strings');
    expect(message).not.toContain('Hunter2');
    expect(message).not.toContain('svc');
  });
});

/** An adapter whose session keeps messages in an array: the spec's bookkeeping is what is tested here. */
function recordingAdapter(provision: (topic: string, partitions: number) => Promise<number>) {
  const events: string[] = [];
  const adapter: BrokerAdapter<ConnectOptions & { tls?: boolean }> = {
    specificationVersion: 'v1',
    provider: 'test',
    schemes: { test: { defaultPort: 1234 } },
    url: { parameters: ['region'], ipv6: false },
    options: { tls: check.boolean, delay: check.object({ maxDelayMs: check.count(1, 60_000) }) },
    defaults: { partitions: 3, maxPayloadBytes: 100, maxDelayMs: 10_000 },
    maxima: { partitions: 8, maxPayloadBytes: 1_000 },
    topicNames: {
      ...DEFAULT_TOPIC_RULE,
      reserved: (topic) => (topic.startsWith('sys.') ? 'kept for the broker' : undefined),
    },
    limits: (maxPayloadBytes) => ({ ...TEST_LIMITS, payload: { minBytes: 0, maxBytes: maxPayloadBytes } }),
    async connect(url, settings) {
      events.push(
        `connect ${url.endpoint} tls=${settings.options.tls ?? false} max=${settings.maxPayloadBytes}`,
      );
      const session: AdapterSession = {
        capabilities: {
          keyOrdering: true,
          delay: { supported: true, precisionMs: 1, durable: true, needsRelay: false },
        },
        provision: async (topic, partitions) => {
          events.push(`provision ${topic} ${partitions}`);
          return provision(topic, partitions);
        },
        publisher: (topic) => async (message) => {
          events.push(`publish ${topic} ${message.key ?? '-'}`);
          return { partition: 0, offset: '1' };
        },
        close: async () => {
          events.push('close');
        },
      };
      return session;
    },
  };
  return { events, ...defineAdapter(adapter) };
}

describe('defineAdapter', () => {
  it('provisions each topic once per connection, with the default partitions, and closes pushers first', async () => {
    const { events, connectBroker } = recordingAdapter(async (_topic, partitions) => partitions);
    const connection = await connectBroker('test://u:pw@h', { tls: true, maxPayloadBytes: 50 });
    const [a, b] = await Promise.all([connection.pusher('orders'), connection.pusher('orders')]);
    const c = await connection.pusher('users', { partitions: 5 });
    expect(a!.capabilities).toMatchObject({
      partitions: 3,
      maxPayloadBytes: 50,
      delay: { maxDelayMs: 10_000 },
    });
    expect(c.capabilities.partitions).toBe(5);
    await b!.sendWithKey('k', new Uint8Array([1]));
    await connection.close();
    expect(events).toEqual([
      'connect test://h:1234 tls=true max=50',
      'provision orders 3',
      'provision users 5',
      'publish orders k',
      'close',
    ]);
    await expect(a!.send(new Uint8Array([1]))).rejects.toBeInstanceOf(PusherClosedError);
    await expect(connection.pusher('later')).rejects.toBeInstanceOf(PusherClosedError);
  });

  it('tries provisioning again after it failed', async () => {
    let attempts = 0;
    const { connectBroker } = recordingAdapter(async (_topic, partitions) => {
      attempts += 1;
      if (attempts === 1) throw new BrokerRejectedError('not yet', scope);
      return partitions;
    });
    const connection = await connectBroker('test://h');
    await expect(connection.pusher('orders')).rejects.toBeInstanceOf(BrokerRejectedError);
    await expect(connection.pusher('orders')).resolves.toMatchObject({ topic: 'orders' });
    await connection.close();
  });

  it('refuses bad options, URLs, topics and partitions with rejected promises, before the broker', async () => {
    const { events, connectBroker } = recordingAdapter(async (_topic, partitions) => partitions);
    const refusals: Array<[() => Promise<unknown>, string]> = [
      // @ts-expect-error `tsl` is misspelt
      [() => connectBroker('test://h', { tsl: true }), 'unknown option "tsl"'],
      [
        () => connectBroker('test://h', { maxPayloadBytes: 1_001 }),
        'option maxPayloadBytes must be an integer from 1 to 1000',
      ],
      [() => connectBroker('test://h', { delay: { maxDelayMs: 0 } }), 'option delay.maxDelayMs'],
      [() => connectBroker('test://h', { defaultPartitions: 9 }), 'option defaultPartitions'],
      [() => connectBroker('other://h'), 'a test URL starts with test:'],
      [() => connectBroker('test://h:0'), 'invalid broker address in the URL "test://h:0"'],
      [() => connectBroker('test://h?ssl=true'), 'unknown parameter "ssl" in a test URL: use region'],
      [() => connectBroker('test://h/vhost'), 'a test URL has no path'],
      [() => connectBroker('test://[::1]:9'), 'a test URL takes no IPv6 address'],
      [() => connectBroker('test://'), 'a test URL names at least one host'],
    ];
    for (const [attempt, message] of refusals) {
      const outcome = attempt();
      expect(outcome).toBeInstanceOf(Promise);
      await expect(outcome).rejects.toThrow(message);
    }
    const connection = await connectBroker('test://h');
    await expect(connection.pusher('sys.x')).rejects.toThrow(
      'invalid topic name "sys.x": kept for the broker',
    );
    await expect(connection.pusher('a b')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(connection.pusher('orders', { partitions: 9 })).rejects.toThrow('option partitions');
    // @ts-expect-error `partition` is not a pusher option (it is `partitions`)
    await expect(connection.pusher('orders', { partition: 2 })).rejects.toThrow('unknown option "partition"');
    await connection.close();
    expect(events.filter((event) => event.startsWith('provision'))).toEqual([]);
  });

  it('refuses a pusher whose topic was still being provisioned when the connection closed', async () => {
    let provisioned: (count: number) => void = () => {};
    const { events, connectBroker } = recordingAdapter(
      (_topic, _partitions) => new Promise<number>((resolve) => (provisioned = resolve)),
    );
    const connection = await connectBroker('test://h');
    const late = connection.pusher('orders');
    await new Promise((resolve) => setImmediate(resolve));
    const closed = connection.close();
    provisioned(3);
    await expect(late).rejects.toBeInstanceOf(PusherClosedError);
    await closed;
    expect(events.at(-1)).toBe('close');
  });

  it('connectPusher splits one options object between the connection and the pusher', async () => {
    const { events, connectPusher } = recordingAdapter(async (_topic, partitions) => partitions);
    const pusher = await connectPusher('test://h', 'orders', { tls: true, partitions: 2, sendTimeoutMs: 5 });
    expect(pusher.capabilities.partitions).toBe(2);
    await pusher.close();
    expect(events).toEqual(['connect test://h:1234 tls=true max=100', 'provision orders 2', 'close']);
  });
});
