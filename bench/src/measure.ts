import { randomUUID } from 'node:crypto';
import type { Pusher } from '@ev/core';
/** Load generation and the figures the report shows. */

export interface LoadResult {
  messages: number;
  msgsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
  failures: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Samples this process's RSS every 20 ms while `work` runs; returns the peak in MiB. */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Sends `total` messages keeping `concurrency` sends in flight (1 = one awaited send after another) and
 * times each send from call to confirmation.
 */
export async function runLoad(
  total: number,
  concurrency: number,
  send: (i: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const start = performance.now();
      try {
        await send(i);
        latencies.push(performance.now() - start);
      } catch {
        failures += 1;
      }
    }
  };
  const { result: elapsedMs, peakRssMb } = await withPeakRss(async () => {
    const start = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
    return performance.now() - start;
  });
  latencies.sort((a, b) => a - b);
  return {
    messages: latencies.length,
    msgsPerSec: (latencies.length / elapsedMs) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    peakRssMb,
    failures,
  };
}

/** A ~200-byte body like a small protobuf event. */
export function eventBody(i: number): Buffer {
  const body = Buffer.alloc(200, 0x61);
  body.write(`event-${i}-`, 0);
  return body;
}

/**
 * Sends `count` delayed messages at once, delays spread evenly at random over [minMs, maxMs), each with
 * its own message id; `due` learns when each id falls due before its send starts, so a consumer can
 * measure lateness as messages arrive.
 */
export async function sendSpreadDelays(
  pusher: Pusher,
  count: number,
  minMs: number,
  maxMs: number,
  due: Map<string, number>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const delayMs = minMs + Math.floor(Math.random() * (maxMs - minMs));
      const id = randomUUID();
      due.set(id, Date.now() + delayMs);
      await pusher.sendDelayAfter(eventBody(i), delayMs, { messageId: id });
    }),
  );
}

/** Waits until `samples` holds `count` entries or `timeoutMs` passed. */
export async function waitForSamples(
  samples: readonly number[],
  count: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (samples.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

export interface LatenessResult {
  messages: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  early: number;
}

export function lateness(samples: number[]): LatenessResult {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    messages: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    early: sorted.filter((ms) => ms < 0).length,
  };
}

/** Unmeasured sends per client before a sequential comparison: JIT compilation, first metadata lookups. */
const WARMUP_SENDS = 1_000;

/**
 * One awaited send after another for each client, alternating blocks of `block` sends, so that drift on
 * a shared machine (other tenants, GC, the broker's own flushes) weighs on all alike. Every client warms
 * up first, or the first block would weigh on whichever runs first.
 */
type Client = (i: number) => Promise<unknown>;

/** One result per client, in the clients' order. */
export async function runSequentialAlternating<Clients extends readonly Client[]>(
  total: number,
  block: number,
  clients: readonly [...Clients],
): Promise<{ [K in keyof Clients]: LoadResult }> {
  for (const send of clients) {
    for (let i = 0; i < WARMUP_SENDS; i += 1) await send(total + i).catch(() => {});
  }
  const times = clients.map((): number[] => []);
  const failures = clients.map(() => 0);
  let peak = process.memoryUsage().rss;
  for (let start = 0; start < total; start += block) {
    for (const [side, send] of clients.entries()) {
      for (let i = start; i < Math.min(total, start + block); i += 1) {
        const began = performance.now();
        try {
          await send(i);
          times[side]!.push(performance.now() - began);
        } catch {
          failures[side]! += 1;
        }
      }
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  }
  const results = times.map((sideTimes, side): LoadResult => {
    const sorted = [...sideTimes].sort((a, b) => a - b);
    const busyMs = sorted.reduce((sum, ms) => sum + ms, 0);
    return {
      messages: sorted.length,
      msgsPerSec: (sorted.length / busyMs) * 1000,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      peakRssMb: peak / 1024 / 1024,
      failures: failures[side]!,
    };
  });
  return results as { [K in keyof Clients]: LoadResult };
}
