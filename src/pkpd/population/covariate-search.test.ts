/**
 * The step logic of the covariate search with a stubbed fitter (objectives made up per effect set):
 * thresholds on both sides, backward elimination, stage-wise objectives, failed and non-converged
 * fits, the cache, progress, cancel and the spec written back. The real fits are in
 * covariate-search-truth.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import { estDataPreset } from '../../study/estdata-preset';
import type { StudySpec } from '../../study/study-spec';
import { readEstDataCsv } from '../../testing/fixture-files';
import { FitCancelledError, PkpdDataError } from '../errors';
import {
  covariateSearch,
  covariateSearchAsync,
  type CovariateFitAnswer,
  type CovariateFitJob,
  type CovariateFitOutcome,
  type CovariateFitter,
  type CovariateSearchProgress,
  type CovariateStep,
} from './covariate-search';
import { effectName } from './parameter-model';
import { covariateTrial, covariateTrialSpec } from './testing/covariate-trial';

interface StubCall {
  names: string[];
  pkOnly: boolean;
}

interface StubOptions {
  notConverged?: string[];
  throwsOn?: string;
  error?: () => Error;
}

/** A fitter whose objectives are `ofv(effects)`; it records every call. */
function stub(ofv: (effects: ReadonlySet<string>) => { pk: number; pd?: number }, options: StubOptions = {}) {
  const calls: StubCall[] = [];
  const fit: CovariateFitter = (_dataset, spec) => {
    const names = spec.model.covariates.map((c) => effectName(c.on, c.column));
    const pkOnly = spec.endpoints.pd === undefined;
    calls.push({ names, pkOnly });
    if (options.throwsOn !== undefined && names.includes(options.throwsOn)) throw (options.error ?? (() => new PkpdDataError('no fit')))();
    const set = new Set(names);
    const value = ofv(set);
    const converged = !(options.notConverged ?? []).some((n) => set.has(n));
    const pk = { ...spec.model.pk, compartments: spec.model.pk.compartments === 'auto' ? 2 : spec.model.pk.compartments } as const;
    const pd = spec.model.pd && spec.model.pd.family !== 'auto' ? spec.model.pd : undefined;
    const outcome: CovariateFitOutcome = {
      ofv: { pk: value.pk },
      converged: { pk: converged },
      theta: Object.fromEntries(names.map((n, i) => [n, i + 0.5])),
      structure: pd ? { pk, pd } : { pk },
    };
    if (!pkOnly && value.pd !== undefined) {
      outcome.ofv.pd = value.pd;
      outcome.converged.pd = converged;
    }
    return outcome;
  };
  return { fit, calls };
}

const sum = (effects: ReadonlySet<string>, gains: Record<string, number>): number =>
  [...effects].reduce((a, name) => a + (gains[name] ?? 0), 0);

let trial: Dataset | undefined;
/** 20 simulated subjects: columns WT, SEX, AGE, SMOKER; random effects on CL, V, KA (12 candidates). */
const smallTrial = (): Dataset => (trial ??= covariateTrial(20, 1));

const rowsOf = (step: CovariateStep): [string, number, boolean][] =>
  step.rows.map((r) => [r.name, Number(r.deltaOfv.toFixed(6)), r.chosen]);

describe('covariate search: the steps', () => {
  it('includes the best drop above 3.84 until none, then removes the smallest rise below 6.63', () => {
    // KA~AGE lowers the objective by 5 alone but by 4.5 beside CL~WT; V~AGE by 3.83.
    const { fit, calls } = stub((e) => ({
      pk: 1000 - sum(e, { 'CL~WT': 30, 'V~SEX': 20, 'KA~AGE': 5, 'V~AGE': 3.83 }) + (e.has('CL~WT') && e.has('KA~AGE') ? 0.5 : 0),
    }));
    const result = covariateSearch(smallTrial(), covariateTrialSpec(), { fit });
    expect(result.candidates).toHaveLength(12);
    expect(result.steps.map((s) => [s.phase, s.step, s.chosen])).toEqual([
      ['forward', 1, 'CL~WT'],
      ['forward', 2, 'V~SEX'],
      ['forward', 3, 'KA~AGE'],
      ['forward', 4, null],
      ['backward', 1, 'KA~AGE'],
      ['backward', 2, null],
    ]);
    const [first, , third, fourth, back1, back2] = result.steps;
    expect(first.model).toEqual([]);
    expect(first.ofv).toEqual({ pk: 1000 });
    expect(first.rows.find((r) => r.name === 'CL~WT')).toMatchObject({
      ofv: 970,
      deltaOfv: 30,
      converged: true,
      chosen: true,
      estimate: 0.5,
    });
    expect(third.rows.find((r) => r.name === 'KA~AGE')?.deltaOfv).toBeCloseTo(4.5, 9);
    expect(fourth.rows.find((r) => r.name === 'V~AGE')?.deltaOfv).toBeCloseTo(3.83, 9);
    expect(fourth.rows.every((r) => !r.chosen)).toBe(true);
    expect(rowsOf(back1)).toEqual([
      ['CL~WT', 29.5, false],
      ['V~SEX', 20, false],
      ['KA~AGE', 4.5, true],
    ]);
    expect(back1.rows.every((r) => Number.isNaN(r.estimate))).toBe(true);
    expect(rowsOf(back2)).toEqual([
      ['CL~WT', 30, false],
      ['V~SEX', 20, false],
    ]);
    expect(result.included).toEqual(['CL~WT', 'V~SEX', 'KA~AGE']);
    expect(result.removed).toEqual(['KA~AGE']);
    expect(result.chosen).toEqual(['CL~WT', 'V~SEX']);
    expect(result.final.ofv).toEqual({ pk: 950 });
    // Each model once: the base, 12 + 11 + 10 + 9 forward, and one new model backward (without CL~WT).
    expect(calls).toHaveLength(44);
    expect(result.fits).toBe(44);
    expect(new Set(calls.map((c) => [...c.names].sort().join())).size).toBe(44);
  });

  it.each([
    [6.64, ['A', 'B']],
    [6.62, ['A']],
  ])('keeps an effect whose removal raises the objective by %s only when that is not below 6.63', (rise, chosen) => {
    const names: Record<string, string> = { A: 'CL~WT', B: 'V~SEX' };
    const { fit } = stub((e) => ({ pk: 1000 - sum(e, { 'CL~WT': 40, 'V~SEX': rise }) }));
    const result = covariateSearch(smallTrial(), covariateTrialSpec(), { fit });
    expect(result.included).toEqual(['CL~WT', 'V~SEX']);
    expect(result.chosen).toEqual(chosen.map((c) => names[c]));
  });

  it('takes the thresholds it is given', () => {
    const { fit } = stub((e) => ({ pk: 1000 - sum(e, { 'CL~WT': 40, 'V~SEX': 5 }) }));
    const result = covariateSearch(smallTrial(), covariateTrialSpec(), { fit, forwardThreshold: 6, backwardThreshold: 50 });
    expect(result.thresholds).toEqual({ forward: 6, backward: 50 });
    expect(result.included).toEqual(['CL~WT']);
    expect(result.removed).toEqual(['CL~WT']);
    expect(result.covariates).toEqual([]);
  });

  it('never chooses a fit that did not converge or failed; a failure is a row with its error', () => {
    const { fit } = stub((e) => ({ pk: 1000 - sum(e, { 'CL~WT': 30, 'V~SEX': 20, 'KA~SEX': 50 }) }), {
      notConverged: ['KA~SEX'],
      throwsOn: 'V~WT',
    });
    const result = covariateSearch(smallTrial(), covariateTrialSpec(), { fit });
    const first = result.steps[0];
    expect(first.rows.find((r) => r.name === 'KA~SEX')).toMatchObject({ ofv: 950, deltaOfv: 50, converged: false, chosen: false });
    const failed = first.rows.find((r) => r.name === 'V~WT');
    expect(failed).toMatchObject({ converged: false, chosen: false, error: 'no fit' });
    expect(Number.isNaN(failed?.ofv)).toBe(true);
    expect(result.chosen).toEqual(['CL~WT', 'V~SEX']);
  });

  it('stops at a cancelled fit: FitCancelledError, from the signal or from inside a fit', () => {
    const signal = { aborted: false };
    const { fit, calls } = stub((e) => ({ pk: 1000 - sum(e, { 'CL~WT': 30 }) }));
    const onProgress = (p: CovariateSearchProgress): void => {
      if (p.fits === 5) signal.aborted = true;
    };
    expect(() => covariateSearch(smallTrial(), covariateTrialSpec(), { fit, signal, onProgress })).toThrow(FitCancelledError);
    expect(calls).toHaveLength(5);
    const inside = stub(() => ({ pk: 1000 }), { throwsOn: 'V~SEX', error: () => new FitCancelledError() });
    expect(() => covariateSearch(smallTrial(), covariateTrialSpec(), { fit: inside.fit })).toThrow(FitCancelledError);
  });

  it('reports progress per fit (phase, step, candidate k of n, the effect) and each step as it completes', () => {
    const { fit } = stub((e) => ({ pk: 1000 - sum(e, { 'CL~WT': 30 }) }));
    const progress: CovariateSearchProgress[] = [];
    const steps: CovariateStep[] = [];
    const result = covariateSearch(smallTrial(), covariateTrialSpec(), {
      fit,
      onProgress: (p) => progress.push(p),
      onStep: (s) => steps.push(s),
    });
    expect(steps).toEqual(result.steps);
    expect(progress[0]).toEqual({ phase: 'base', step: 0, candidate: 1, candidates: 1, name: null, fits: 1 });
    expect(progress[1]).toEqual({ phase: 'forward', step: 1, candidate: 1, candidates: 12, name: 'CL~WT', fits: 2 });
    expect(progress[12]).toEqual({ phase: 'forward', step: 1, candidate: 12, candidates: 12, name: 'KA~SMOKER', fits: 13 });
    expect(progress[13]).toMatchObject({ phase: 'forward', step: 2, candidate: 1, candidates: 11, name: 'V~WT' });
    expect(progress.map((p) => p.fits)).toEqual(progress.map((_, i) => i + 1));
    expect(progress).toHaveLength(result.fits);
  });
});

describe('covariate search: batches of independent fits answered elsewhere (covariateSearchAsync)', () => {
  /** Answers each batch through `fit`, each fit settling after the later ones (as workers might). */
  const outOfOrder =
    (fit: CovariateFitter, batches: number[]) =>
    async (jobs: readonly CovariateFitJob[]): Promise<CovariateFitAnswer[]> => {
      batches.push(jobs.length);
      return Promise.all(
        jobs.map(async (job, k): Promise<CovariateFitAnswer> => {
          for (let i = 0; i < jobs.length - k; i++) await Promise.resolve();
          try {
            return { outcome: fit(smallTrial(), job.spec, {}) };
          } catch (error) {
            return { error };
          }
        }),
      );
    };

  it('gives the serial search: the same steps, rows, choices and fits, each step’s tests in one batch', async () => {
    const gains = { 'CL~WT': 30, 'V~SEX': 20, 'KA~AGE': 5, 'V~AGE': 3.83 };
    const ofv = (e: ReadonlySet<string>) => ({ pk: 1000 - sum(e, gains) + (e.has('CL~WT') && e.has('KA~AGE') ? 0.5 : 0) });
    const serial = covariateSearch(smallTrial(), covariateTrialSpec(), { fit: stub(ofv, { throwsOn: 'V~WT' }).fit });
    const batches: number[] = [];
    const steps: CovariateStep[] = [];
    const pooled = await covariateSearchAsync(
      smallTrial(),
      covariateTrialSpec(),
      { onStep: (step) => steps.push(step) },
      outOfOrder(stub(ofv, { throwsOn: 'V~WT' }).fit, batches),
    );
    expect({ ...pooled, elapsedMs: 0 }).toEqual({ ...serial, elapsedMs: 0 });
    expect(steps).toEqual(serial.steps);
    expect(pooled.steps[0].rows.find((r) => r.name === 'V~WT')?.error).toBe('no fit');
    // The base model alone, then each step's tests together: 12, 11, 10, 9 forward; one new model backward.
    expect(batches).toEqual([1, 12, 11, 10, 9, 1]);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(serial.fits);
  });

  it('rejects with what the batch rejects with (a cancel), and with the base model’s error', async () => {
    const reason = new FitCancelledError();
    let batches = 0;
    const cancelled = covariateSearchAsync(smallTrial(), covariateTrialSpec(), {}, (jobs) =>
      ++batches === 2 ? Promise.reject(reason) : outOfOrder(stub(() => ({ pk: 1000 })).fit, [])(jobs),
    );
    await expect(cancelled).rejects.toBe(reason);
    const base = new PkpdDataError('the base model cannot be fitted');
    await expect(
      covariateSearchAsync(smallTrial(), covariateTrialSpec(), {}, (jobs) => Promise.resolve(jobs.map(() => ({ error: base })))),
    ).rejects.toBe(base);
  });
});

describe('covariate search: stages, structure and the spec written back', () => {
  const estData = (): Dataset => {
    const ingested = ingestText(readEstDataCsv(), 'EstData.csv');
    if (!ingested.ok) throw new Error('EstData.csv did not ingest');
    return ingested.dataset;
  };

  it('tests each effect on its own stage’s objective; PK candidates are fitted without the PD stage', () => {
    // Every PK effect also lowers the PD objective by 100 (through the individual PK parameters): summed
    // objectives would include CL~COMED; the PK stage's own objective drops by 2 only.
    const pkGains = { 'V~BW': 400, 'CL~BW': 100, 'CL~COMED': 2 };
    const { fit, calls } = stub((e) => ({
      pk: -700 - sum(e, pkGains),
      pd: 2500 - sum(e, { 'BASE~COMED': 14 }) - 100 * [...e].filter((n) => n in pkGains).length,
    }));
    const spec = estDataPreset();
    const input = structuredClone(spec);
    const result = covariateSearch(estData(), spec, { fit });
    expect(spec).toEqual(input);
    expect(result.structure.pk.compartments).toBe(2);
    expect(result.included).toEqual(['V~BW', 'CL~BW', 'BASE~COMED']);
    expect(result.removed).toEqual([]);
    const first = result.steps[0];
    expect(first.ofv).toEqual({ pk: -700, pd: 2500 });
    expect(first.rows.map((r) => [r.name, r.stage, r.deltaOfv])).toEqual([
      ['CL~BW', 'pk', 100],
      ['V~BW', 'pk', 400],
      ['BASE~BW', 'pd', 0],
      ['CL~COMED', 'pk', 2],
      ['V~COMED', 'pk', 0],
      ['BASE~COMED', 'pd', 14],
    ]);
    // The step after a PK inclusion starts from the PD objective of the new model (a full fit of it).
    expect(result.steps[1].ofv).toEqual({ pk: -1100, pd: 2400 });
    // The base model fitted with the spec's structure ('auto'), every later fit with the structure it chose.
    expect(calls[0]).toEqual({ names: [], pkOnly: false });
    // Step 1's fits: PK candidates without the PD stage, PD candidates with both.
    expect(calls.slice(1, 7)).toEqual([
      { names: ['CL~BW'], pkOnly: true },
      { names: ['V~BW'], pkOnly: true },
      { names: ['BASE~BW'], pkOnly: false },
      { names: ['CL~COMED'], pkOnly: true },
      { names: ['V~COMED'], pkOnly: true },
      { names: ['BASE~COMED'], pkOnly: false },
    ]);
    // Step 2 starts with the full fit of the model with V~BW (its PD objective).
    expect(calls[7]).toEqual({ names: ['V~BW'], pkOnly: false });
    // Written back: the preset's estimated effects replaced by the chosen ones (no value, the search's reference).
    expect(result.covariates).toEqual([
      { column: 'BW', on: 'V', form: 'power', reference: 70.5 },
      { column: 'BW', on: 'CL', form: 'power', reference: 70.5 },
      { column: 'COMED', on: 'BASE', form: 'factor' },
    ]);
    expect(result.spec).toEqual({ ...input, model: { ...input.model, covariates: result.covariates } });
    expect(result.spec.model.pk.compartments).toBe('auto');
    expect(result.notes).toContain(
      "The spec's estimated effects (CL~BW, V~BW, CL~COMED, BASE~COMED) are not in the base model: the search decides them.",
    );
    expect(result.final.ofv).toEqual({ pk: -1200, pd: 2500 - 14 - 200 });
  });

  it('keeps the spec’s fixed effects in every model and does not search their pairs', () => {
    const spec: StudySpec = {
      ...covariateTrialSpec(),
      model: { ...covariateTrialSpec().model, covariates: [{ column: 'WT', on: 'V', form: 'power', reference: 70, value: 1 }] },
    };
    const { fit, calls } = stub((e) => ({ pk: 1000 - sum(e, { 'CL~WT': 30 }) }));
    const result = covariateSearch(smallTrial(), spec, { fit });
    expect(result.candidates.map((c) => c.name)).not.toContain('V~WT');
    expect(result.candidates).toHaveLength(11);
    expect(calls.every((c) => c.names[0] === 'V~WT')).toBe(true);
    expect(result.covariates).toEqual([
      spec.model.covariates[0],
      { column: 'WT', on: 'CL', form: 'power', reference: expect.closeTo(77.2, 9) },
    ]);
    expect(result.notes).toEqual(['Fixed effects kept in every model: V~WT.']);
  });
});
