/**
 * `base + count` for a Kafka offset given as decimal text (offsets are 64-bit). Plain numbers while the
 * sum is exact, which is cheaper per record; BigInt past 2^53, where numbers would lose digits.
 */
export function offsetPlus(base: string, count: number): string {
  if (count === 0) return base;
  const sum = Number(base) + count;
  return Number.isSafeInteger(sum) ? String(sum) : (BigInt(base) + BigInt(count)).toString();
}
