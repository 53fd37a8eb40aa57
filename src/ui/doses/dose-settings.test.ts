import { describe, expect, it } from 'vitest';
import { DEFAULT_DOSE_FORM, doseFormProblems, runSettings } from './dose-settings';

describe('dose settings', () => {
  it('accepts the defaults and turns them into the challenge questions', () => {
    expect(doseFormProblems(DEFAULT_DOSE_FORM)).toEqual({});
    const s = runSettings(DEFAULT_DOSE_FORM);
    expect(s.questions.targets).toEqual([0.9, 0.75]);
    expect(s.questions.threshold).toBe(3.3);
    expect(s.questions.nVirtual).toBe(1000);
    expect(s.steps).toEqual({ daily: 0.5, weekly: 5 });
    expect(s.questions.gridStep).toBe(0.25);
    expect(s.questions.method).toBe('bisection');
    expect(s.uncertaintyReplicates).toBe(20);
  });

  it('passes the steps, targets and method as chosen', () => {
    const s = runSettings({ ...DEFAULT_DOSE_FORM, dailyStep: 0.25, weeklyStep: 2.5, targetHigh: 95, targetLow: 50, method: 'mcts' });
    expect(s.steps).toEqual({ daily: 0.25, weekly: 2.5 });
    expect(s.questions.targets).toEqual([0.95, 0.5]);
    expect(s.questions.method).toBe('mcts');
  });

  it('names every field out of range, with what to enter', () => {
    const problems = doseFormProblems({
      ...DEFAULT_DOSE_FORM,
      nVirtual: 2.5,
      seed: -1,
      threshold: 0,
      targetHigh: 120,
      dailyStep: Number.NaN,
      weeklyStep: 0,
      gridStep: 1,
      uncertaintyReplicates: 201,
      vpcReplicates: 10.5,
      mechanistic: false,
    });
    expect(problems).toEqual({
      nVirtual: 'Enter a whole number.',
      seed: 'Between 0 and 2147483647.',
      threshold: 'More than 0 and at most 1000 ng/mL.',
      targetHigh: 'More than 0 and at most 100 %.',
      dailyStep: 'Enter a number.',
      weeklyStep: 'More than 0 and at most 100 mg.',
      gridStep: 'More than 0 and at most 0.5 h.',
      uncertaintyReplicates: 'Between 0 and 200.',
      vpcReplicates: 'Enter a whole number.',
      models: 'Choose at least one model.',
    });
  });

  it('refuses two equal targets, accepts networks without the mechanistic model and ensembles of two or more', () => {
    expect(doseFormProblems({ ...DEFAULT_DOSE_FORM, targetLow: 90 })).toEqual({ targetLow: 'Choose a target different from the first.' });
    expect(doseFormProblems({ ...DEFAULT_DOSE_FORM, mechanistic: false, networkIds: ['a'] })).toEqual({});
    expect(doseFormProblems({ ...DEFAULT_DOSE_FORM, networkIds: ['a'], ensemble: true })).toEqual({
      models: 'An ensemble needs two or more networks.',
    });
    expect(doseFormProblems({ ...DEFAULT_DOSE_FORM, networkIds: ['a', 'b'], ensemble: true })).toEqual({});
  });
});
