import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatMegabytes, formatNumber, formatSignificant } from './format';

describe('text formatting', () => {
  it('writes counts as toLocaleString("en-US") does, in every locale', () => {
    for (const n of [0, 7, 1234, 1234567, -98765, 2 ** 32 - 1]) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('rounds to significant digits and writes what toLocaleString("en-US") wrote for the rounded value', () => {
    for (const x of [0, 1, 1234567, 0.000123, 12.3456, -5.5, 1e21, 99.95, 1 / 3])
      for (const digits of [1, 3, 6]) expect(formatSignificant(x, digits)).toBe(Number(x.toPrecision(digits)).toLocaleString('en-US'));
    expect(formatSignificant(1234.5)).toBe('1,230');
    expect(formatSignificant(Number.NaN)).toBe('–');
    expect(formatSignificant(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('quotes a number from a file with up to 12 significant digits and no grouping', () => {
    expect(formatNumber(0.1 * 3)).toBe('0.3');
    expect(formatNumber(1234)).toBe('1234');
    expect(formatNumber(1e-7)).toBe('1e-7');
    expect(formatNumber(123456789.1234)).toBe('123456789.123');
  });

  it('writes sizes in B, KB and MB (binary units), or in whole megabytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64.0 MB');
    expect(formatMegabytes(200 * 1024 * 1024)).toBe('200 MB');
    expect(formatMegabytes(1500 * 1024 * 1024)).toBe('1,500 MB');
  });
});
