import { InvalidArgumentError } from './errors.js';

/** An int64 as the API takes it: a bigint, or a number that is a safe integer. */
export type Int64 = bigint | number;

const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;

/** Two's complement halves, the shape protobufjs writes an int64 from. */
export interface Int64Bits {
  low: number;
  high: number;
}

/** Checks an int64 argument and returns it as a bigint, losing nothing above 2^53. */
export function toInt64(value: unknown, field: string): bigint {
  if (typeof value === 'bigint') {
    if (value < MIN_INT64 || value > MAX_INT64) {
      throw new InvalidArgumentError(`${field} ${value} is outside the int64 range`);
    }
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new InvalidArgumentError(
        `${field} ${value} is not a safe integer: pass ids above 2^53 as bigint (e.g. ${field}: 9007199254740993n)`,
      );
    }
    return BigInt(value);
  }
  throw new InvalidArgumentError(`${field} must be a bigint or a safe integer, got ${typeof value}`);
}

export function int64ToBits(value: bigint): Int64Bits {
  const unsigned = BigInt.asUintN(64, value);
  return { low: Number(unsigned & 0xffffffffn) | 0, high: Number(unsigned >> 32n) | 0 };
}

/** protobufjs decodes int64 as a Long (or a plain number when Long is unavailable): back to bigint. */
export function int64FromWire(value: number | Int64Bits): bigint {
  if (typeof value === 'number') return BigInt(value);
  const unsigned = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return BigInt.asIntN(64, unsigned);
}
