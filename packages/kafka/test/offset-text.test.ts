import { describe, expect, it } from 'vitest';
import { offsetPlus } from '../src/offset-text.js';

describe('offsetPlus', () => {
  it('adds to an offset given as text', () => {
    expect(offsetPlus('41', 0)).toBe('41');
    expect(offsetPlus('41', 1)).toBe('42');
    expect(offsetPlus('0', 2999)).toBe('2999');
  });

  it('stays exact past 2^53, where numbers lose digits', () => {
    expect(offsetPlus('9007199254740991', 2)).toBe('9007199254740993');
    expect(offsetPlus('9223372036854775000', 7)).toBe('9223372036854775007');
  });
});
