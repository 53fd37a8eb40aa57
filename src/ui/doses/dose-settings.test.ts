import { describe, expect, it } from 'vitest';
import { DEFAULT_DOSE_FORM, doseFormProblems, offerNetworks, runSettings } from './dose-settings';

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

describe('networks offered ticked', () => {
  const since = 1_000;
  const net = (id: string, fingerprint: string, createdAt: number) => ({ id, fingerprint, createdAt });

  it('ticks a network saved during this visit and trained on the open dataset, once', () => {
    const offered = new Set<string>();
    const saved = [net('a', 'data-A', 2_000), net('b', 'data-B', 2_000), net('old', 'data-A', 500)];
    const form = offerNetworks(DEFAULT_DOSE_FORM, saved, 'data-A', since, offered);
    expect(form.networkIds).toEqual(['a']);
    expect(form.mechanistic).toBe(true);
    // Unticked by the user: offered already, it stays unticked.
    const unticked = { ...form, networkIds: [] };
    expect(offerNetworks(unticked, saved, 'data-A', since, offered)).toBe(unticked);
  });

  it('offers a network again when its own dataset is opened later', () => {
    const offered = new Set<string>();
    const saved = [net('a', 'data-A', 2_000)];
    const onB = offerNetworks(DEFAULT_DOSE_FORM, saved, 'data-B', since, offered);
    expect(onB).toBe(DEFAULT_DOSE_FORM);
    expect(offerNetworks(onB, saved, 'data-A', since, offered).networkIds).toEqual(['a']);
  });

  it('keeps the networks already chosen and adds newly saved ones after them', () => {
    const offered = new Set<string>();
    const first = offerNetworks(DEFAULT_DOSE_FORM, [net('a', 'data-A', 2_000)], 'data-A', since, offered);
    const next = offerNetworks(first, [net('a', 'data-A', 2_000), net('c', 'data-A', 3_000)], 'data-A', since, offered);
    expect(next.networkIds).toEqual(['a', 'c']);
  });
});
