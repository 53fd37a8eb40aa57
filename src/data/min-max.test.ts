import { describe, expect, it } from 'vitest';
import { maxOf, minOf } from './min-max';

describe('minOf and maxOf', () => {
  it('agree with Math.min and Math.max, NaN and empty input included', () => {
    for (const values of [[3, -1, 2], [5], [], [1, Number.NaN, 0], [-Infinity, 4], [0.5, 0.25]]) {
      expect(minOf(values)).toBe(Math.min(...values));
      expect(maxOf(values)).toBe(Math.max(...values));
    }
    expect(minOf(new Float64Array([2, 1]))).toBe(1);
  });

  it('take a million values, which a spread into Math.min cannot', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(() => Math.min(...values)).toThrow(RangeError);
    expect(minOf(values)).toBe(0);
    expect(maxOf(values)).toBe(Math.max(...values.slice(0, 50_000), ...values.slice(50_000, 100_000), maxOf(values.slice(100_000))));
  });
});
