import { describe, expect, it } from 'vitest';
import { formatNumber } from './plot-theme';

describe('formatNumber', () => {
  it('writes what toLocaleString("en-US") wrote for the rounded value', () => {
    for (const x of [0, 1, 1234567, 0.000123, 12.3456, -5.5, 1e21, 99.95, 1 / 3])
      for (const digits of [1, 3, 6]) expect(formatNumber(x, digits)).toBe(Number(x.toPrecision(digits)).toLocaleString('en-US'));
    expect(formatNumber(1234.5)).toBe('1,230');
    expect(formatNumber(Number.NaN)).toBe('–');
  });
});
