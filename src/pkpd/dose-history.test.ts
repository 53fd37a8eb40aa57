import { describe, expect, it } from 'vitest';
import { compressDoses, dosesBefore, regimen } from './dose-history';

describe('dose histories', () => {
  it('compresses regular runs and keeps irregular doses apart', () => {
    const blocks = compressDoses([...regimen(10, 24, 21), { time: 600, amount: 5 }, { time: 610, amount: 5 }, { time: 615, amount: 5 }]);
    expect(blocks).toEqual([
      { start: 0, amount: 10, interval: 24, count: 21 },
      { start: 600, amount: 5, interval: 10, count: 2 },
      { start: 615, amount: 5, interval: 0, count: 1 },
    ]);
  });

  it('sorts doses and drops zero amounts', () => {
    expect(
      compressDoses([
        { time: 24, amount: 1 },
        { time: 0, amount: 1 },
        { time: 12, amount: 0 },
      ]),
    ).toEqual([{ start: 0, amount: 1, interval: 24, count: 2 }]);
  });

  it('counts the doses given at or before a time', () => {
    const block = { start: 0, amount: 1, interval: 24, count: 21 };
    expect(dosesBefore(block, -1)).toEqual({ count: 0, sinceLast: 0 });
    expect(dosesBefore(block, 0)).toEqual({ count: 1, sinceLast: 0 });
    expect(dosesBefore(block, 30)).toEqual({ count: 2, sinceLast: 6 });
    expect(dosesBefore(block, 480)).toEqual({ count: 21, sinceLast: 0 });
    expect(dosesBefore(block, 1176)).toEqual({ count: 21, sinceLast: 696 });
  });
});
