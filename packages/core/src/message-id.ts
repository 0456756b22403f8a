import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

let lastMs = 0;
let sequence = 0;
const random = new Uint8Array(10);

// Random bytes come from a pool filled in bulk: one crypto call per send costs more than the rest of the id.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

function fillRandom(target: Uint8Array, from: number): void {
  const needed = target.length - from;
  if (poolOffset + needed > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  target.set(pool.subarray(poolOffset, poolOffset + needed), from);
  poolOffset += needed;
}

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids generated in the
 * same millisecond in order, then random bits. Sorting the strings sorts by creation time.
 */
export function newMessageId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    fillRandom(random, 0);
    sequence = ((random[0]! & 0x07) << 8) | random[1]!; // start low in 12 bits: room to count up
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      // Counter exhausted within one millisecond: borrow the next millisecond to stay ordered.
      lastMs += 1;
      sequence = 0;
    }
    fillRandom(random, 2);
  }
  // Hex digits from a table, not Buffer#toString: no buffer per id, and about half the time.
  let ms = lastMs;
  const time: string[] = [];
  for (let i = 5; i >= 0; i -= 1) {
    time[i] = HEX[ms % 256]!;
    ms = Math.floor(ms / 256);
  }
  const hex = (i: number) => HEX[random[i]!]!;
  return (
    `${time[0]}${time[1]}${time[2]}${time[3]}-${time[4]}${time[5]}-` +
    `${HEX[0x70 | (sequence >> 8)]}${HEX[sequence & 0xff]}-${HEX[0x80 | (random[2]! & 0x3f)]}${hex(3)}-` +
    `${hex(4)}${hex(5)}${hex(6)}${hex(7)}${hex(8)}${hex(9)}`
  );
}
