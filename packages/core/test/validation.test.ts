import { describe, expect, it } from 'vitest';
import { assertTopicName } from '../src/adapter/index.js';
import { newMessageId, redactUrl, toInt64 } from '../src/index.js';

describe('toInt64', () => {
  it('keeps bigints above 2^53 exactly and accepts safe numbers', () => {
    expect(toInt64(9_223_372_036_854_775_807n, 'id')).toBe(9_223_372_036_854_775_807n);
    expect(toInt64(-9_223_372_036_854_775_808n, 'id')).toBe(-9_223_372_036_854_775_808n);
    expect(toInt64(42, 'id')).toBe(42n);
  });

  it('rejects unsafe, fractional and out-of-range ids with a clear message', () => {
    expect(() => toInt64(2 ** 53, 'userId')).toThrow(/userId 9007199254740992 is not a safe integer/);
    expect(() => toInt64(1.5, 'userId')).toThrow(/not a safe integer/);
    expect(() => toInt64(1n << 63n, 'userId')).toThrow(/outside the int64 range/);
    expect(() => toInt64('12', 'userId')).toThrow(/must be a bigint or a safe integer/);
  });
});

describe('assertTopicName', () => {
  it('accepts the seed topics and rejects names brokers refuse', () => {
    expect(() => assertTopicName('user_topic', { provider: 'x' })).not.toThrow();
    for (const bad of ['', 'a b', 'a/b', '..', 'x'.repeat(250)]) {
      expect(() => assertTopicName(bad, { provider: 'x' })).toThrow(/\[ev\] \[x\]/);
    }
  });
});

describe('newMessageId', () => {
  it('is a UUIDv7 whose string order is creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newMessageId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('starts with the Unix milliseconds it was made at, as 48 bits of hex', () => {
    const now = Date.now() + 60_000;
    const id = newMessageId(now);
    expect(id.replaceAll('-', '').slice(0, 12)).toBe(now.toString(16).padStart(12, '0'));
  });
});

describe('redactUrl', () => {
  it('masks user info and secret query values', () => {
    expect(redactUrl('amqp://guest:hunter2@127.0.0.1:5672/vh')).toBe('amqp://***@127.0.0.1:5672/vh');
    expect(redactUrl('kafka://h:9092?sasl.password=p4ss&x=1')).toBe('kafka://h:9092?sasl.password=***&x=1');
    expect(redactUrl('rocketmq://h:8081?accessKey=ak&secretKey=sk')).toBe(
      'rocketmq://h:8081?accessKey=***&secretKey=***',
    );
  });
});
