import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let sequence = 0;
/** The id's 16 bytes, rewritten for each id. */
const bytes = new Uint8Array(16);

// Random bytes come from a pool filled in bulk: one crypto call per send costs more than the rest of the id.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

function fillRandom(from: number): void {
  if (poolOffset + bytes.length - from > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  // A plain loop: a subarray view per id would cost an allocation for 8 or 10 bytes.
  for (let i = from; i < bytes.length; i += 1) bytes[i] = pool[poolOffset++]!;
}

/** Each byte's two hex digits as character codes, and where each byte goes in the 36-character text. */
const HEX_CODES = Buffer.from(
  Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0')).join(''),
);
const TEXT_OFFSETS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids generated in the
 * same millisecond in order, then random bits. Sorting the strings sorts by creation time.
 */
export function newMessageId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    fillRandom(6);
    sequence = ((bytes[6]! & 0x07) << 8) | bytes[7]!; // start low in 12 bits: room to count up
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      // Counter exhausted within one millisecond: borrow the next millisecond to stay ordered.
      lastMs += 1;
      sequence = 0;
    }
    fillRandom(8);
  }
  let ms = lastMs;
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  // Hex digits written into one buffer and read out as one flat string: half the time of joining
  // sixteen two-digit strings, which also leaves a string every later reader has to flatten first.
  for (let i = 0; i < 16; i += 1) {
    const at = TEXT_OFFSETS[i]!;
    const code = bytes[i]! * 2;
    text[at] = HEX_CODES[code]!;
    text[at + 1] = HEX_CODES[code + 1]!;
  }
  return text.toString('latin1');
}
