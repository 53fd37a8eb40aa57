import { describe, expect, it } from 'vitest';
import { armLabel } from './arms';

describe('armLabel', () => {
  it('names placebo and doses in mg', () => {
    expect(armLabel(0)).toBe('Placebo');
    expect(armLabel(1)).toBe('1 mg');
    expect(armLabel(10)).toBe('10 mg');
    expect(armLabel(0.5)).toBe('0.5 mg');
    expect(armLabel(0.1 + 0.2)).toBe('0.3 mg');
    expect(armLabel(Number.NaN)).toBe('Unknown dose');
  });
});
