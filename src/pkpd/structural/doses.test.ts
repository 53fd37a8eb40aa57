import { describe, expect, it } from 'vitest';
import { PkpdDataError } from '../errors';
import { countDoses, epochOf, inputChangeTimes, regimenDoses, scheduleDoses, type DoseCount, type DoseEvent } from './doses';

const count = (): DoseCount => ({ count: 0, latest: 0 });

describe('dose schedules', () => {
  it('compresses regular runs per route and infusion duration', () => {
    const doses: DoseEvent[] = [
      ...regimenDoses({ amount: 10, interval: 24, route: 'oral' }, 5),
      ...regimenDoses({ amount: 50, interval: 12, route: 'infusion', duration: 1 }, 3, 6),
      { time: 30, amount: 50, route: 'infusion', duration: 2 },
      { time: 200, amount: 5, route: 'bolus' },
    ];
    const { runs, epochStart } = scheduleDoses(doses);
    expect(Array.from(epochStart)).toEqual([-Infinity]);
    expect(runs.map((r) => [r.route, r.amount, r.duration, r.interval, r.count, r.first, r.last])).toEqual([
      ['oral', 10, 0, 24, 5, 0, 96],
      ['infusion', 50, 1, 12, 3, 6, 30],
      ['infusion', 50, 2, 0, 1, 30, 30],
      ['bolus', 5, 0, 0, 1, 200, 200],
    ]);
  });

  it('opens an epoch at each steady-state dose and forgets the doses before it', () => {
    const doses: DoseEvent[] = [
      { time: 0, amount: 10, route: 'oral' },
      { time: 24, amount: 10, route: 'oral' },
      { time: 48, amount: 20, route: 'oral', steadyState: { interval: 12 } },
      { time: 48, amount: 3, route: 'bolus' },
      { time: 60, amount: 20, route: 'oral' },
      { time: 96, amount: 7, route: 'bolus', steadyState: { interval: 8 } },
      { time: 96, amount: 9, route: 'bolus', steadyState: { interval: 6 } }, // same time: the later one wins
    ];
    const schedule = scheduleDoses(doses);
    expect(Array.from(schedule.epochStart)).toEqual([-Infinity, 48, 96]);
    expect(schedule.runs.map((r) => [r.epoch, r.route, r.amount, r.count, r.last, r.interval])).toEqual([
      [0, 'oral', 10, 2, 24, 24],
      [1, 'oral', 20, Infinity, 48, 12],
      [1, 'bolus', 3, 1, 48, 0],
      [1, 'oral', 20, 1, 60, 0],
      [2, 'bolus', 9, Infinity, 96, 6],
    ]);
    expect([47.9, 48, 95, 96, 500].map((t) => epochOf(schedule, t))).toEqual([0, 1, 1, 2, 2]);
  });

  it('counts doses at or before a time, and strictly before it for boluses', () => {
    const run = scheduleDoses(regimenDoses({ amount: 1, interval: 24, route: 'oral' }, 21)).runs[0];
    expect(countDoses(run, -1, false, count())).toEqual({ count: 0, latest: NaN });
    expect(countDoses(run, 0, false, count())).toEqual({ count: 1, latest: 0 });
    expect(countDoses(run, 0, true, count())).toEqual({ count: 0, latest: NaN });
    expect(countDoses(run, 30, true, count())).toEqual({ count: 2, latest: 24 });
    expect(countDoses(run, 48, true, count())).toEqual({ count: 2, latest: 24 });
    expect(countDoses(run, 48, false, count())).toEqual({ count: 3, latest: 48 });
    expect(countDoses(run, 2000, false, count())).toEqual({ count: 21, latest: 480 });
    const ss = scheduleDoses([{ time: 100, amount: 1, route: 'bolus', steadyState: { interval: 10 } }]).runs[0];
    expect(countDoses(ss, 100, true, count())).toEqual({ count: Infinity, latest: 90 });
    expect(countDoses(ss, 100, false, count())).toEqual({ count: Infinity, latest: 100 });
    expect(countDoses(ss, 97, false, count())).toEqual({ count: Infinity, latest: 90 }); // e.g. a 3-h lag
  });

  it('lists where the input changes: lagged absorption starts and infusion ends', () => {
    const oral = scheduleDoses(regimenDoses({ amount: 1, interval: 12, route: 'oral' }, 3)).runs[0];
    const kinks: number[] = [];
    inputChangeTimes(oral, 2, 0, 100, kinks);
    expect(kinks).toEqual([2, 14, 26]);
    const infusion = scheduleDoses([{ time: 10, amount: 1, route: 'infusion', duration: 30, steadyState: { interval: 12 } }]).runs[0];
    const ss: number[] = [];
    inputChangeTimes(infusion, 0, 10, 60, ss);
    expect(ss.sort((a, b) => a - b)).toEqual([10, 16, 28, 40]); // starts ≥ 10 and the running series' ends
  });

  it('gives the first dose of a regimen the loading factor', () => {
    expect(regimenDoses({ amount: 5, interval: 24, route: 'infusion', duration: 2, loading: 3 }, 3, 10)).toEqual([
      { time: 10, amount: 15, route: 'infusion', duration: 2 },
      { time: 34, amount: 5, route: 'infusion', duration: 2 },
      { time: 58, amount: 5, route: 'infusion', duration: 2 },
    ]);
  });

  it.each([
    [
      [
        { time: 0, amount: 1, route: 'oral' },
        { time: 12, amount: 5, route: 'infusion' },
      ],
      /Dose 2 \(time 12\): an infusion needs a positive duration/,
    ],
    [[{ time: 0, amount: -1, route: 'oral' }], /Dose 1 \(time 0\): the amount is -1/],
    [[{ time: NaN, amount: 1, route: 'oral' }], /Dose 1: its time is NaN/],
    [[{ time: 0, amount: 1, route: 'oral', steadyState: { interval: 0 } }], /needs a positive dosing interval \(II\), got 0/],
    [[{ time: 0, amount: 0, route: 'bolus', steadyState: { interval: 24 } }], /steady-state dose \(SS=1\) needs a positive amount/],
    [[{ time: 0, amount: 1, route: 'bolus', duration: 2 }], /a duration \(2\) is given for a bolus dose/],
    [[{ time: 0, amount: 1, route: 'im' }], /route "im" is not one of oral, bolus, infusion/],
  ])('rejects unusable doses with a message naming the dose (%#)', (doses, message) => {
    const run = (): unknown => scheduleDoses(doses as DoseEvent[]);
    expect(run).toThrow(PkpdDataError);
    expect(run).toThrow(message);
  });
});
