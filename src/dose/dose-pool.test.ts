/**
 * The dose questions over a pool (dose-pool.ts) give the numbers of one thread: the simulations split
 * by subject, bit for bit, for every route, PD family, summary and rule; the whole EstData run — answers,
 * curves, bands — with the replicates in parallel; cancel ends the pool. The jobs run in this thread
 * (`inThreadDoseRunner`, the same `runDoseJob` a pool worker runs); workers/dose-pool.test.ts sends
 * them through the worker pool.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import { fitStudy, type StudyFitResult } from '../pkpd/population/fit-study';
import { TRUTH_SCENARIOS } from '../pkpd/population/testing/truth-scenarios';
import { estDataPreset } from '../study/estdata-preset';
import type { Criterion, QuestionsSpec, StudySpec } from '../study/study-spec';
import { readEstDataCsv } from '../testing/fixture-files';
import {
  awaitJobs,
  DoseJobCache,
  inThreadDoseRunner,
  PooledStudySimulator,
  runDoseJob,
  selectSubjects,
  subjectRanges,
  type DoseJobRunner,
} from './dose-pool';
import { answerDoseQuestions, type DoseQuestionsResult } from './dose-questions';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import { answerFittedStudyQuestions, type StudyDoseResult } from './study-questions';
import { StudyDoseSimulator, type DerivedCovariates } from './study-simulator';
import { drawPopulation } from './virtual-population';
import { COVARIATES, population, regimensOf } from './testing/study-simulator-fixtures';

/** A result without its timings (the only numbers that may differ). */
function timeless(result: DoseQuestionsResult): unknown {
  const { seconds: _seconds, ...rest } = result as DoseQuestionsResult & { timing?: unknown };
  delete (rest as { timing?: unknown }).timing;
  return rest;
}

describe('the population split by subject', () => {
  it('splits n subjects into contiguous, near-equal, non-empty ranges', () => {
    expect(subjectRanges(10, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    expect(subjectRanges(2, 4)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(subjectRanges(5, 1)).toEqual([[0, 5]]);
  });

  it.each(TRUTH_SCENARIOS.map((s) => [s.name, s.spec, s.truth] as const))(
    '%s: every summary, profile, check and range as in one thread, bit for bit',
    async (_, spec, model) => {
      for (const endpoint of ['pd', 'pk'] as const) {
        const local = new StudyDoseSimulator(spec, model, endpoint, { checkSubjects: 2 });
        const pop = population(local, 37);
        for (const size of [2, 3]) {
          const pooled = new PooledStudySimulator(
            new StudyDoseSimulator(spec, model, endpoint, { checkSubjects: 2 }),
            inThreadDoseRunner(size),
          );
          for (const regimen of regimensOf(model)) {
            const request = {
              population: pop,
              regimen,
              amounts: [0, 30, 400],
              gridStep: 0.5,
              keepProfiles: true,
              summaries: ['max', 'min', 'trough', 'average'] as const,
              checkSteadyState: true,
            };
            expect(await pooled.simulate(request)).toEqual(local.simulate(request));
            const doses = Array.from({ length: 40 }, (_, k) => 10 * (k + 1));
            const [low, high] = [
              local.simulate({ ...request, amounts: [100] }).results[0].min![0],
              local.simulate({ ...request, amounts: [100] }).results[0].max![0],
            ];
            const criteria: Criterion[] = [
              { rule: 'below', threshold: high, window: 'throughout' },
              { rule: 'above', threshold: low, window: 'trough' },
              { rule: 'within', range: [Math.min(low, high) * 0.9, Math.max(low, high) * 1.1], window: 'average' },
            ];
            for (const criterion of criteria) {
              const serial = local.successRanges(pop, regimen, 0.5, doses, criterion);
              expect(await pooled.successRanges(pop, regimen, 0.5, doses, criterion)).toEqual(serial);
              expect(await pooled.successRanges(pop, regimen, 0.5, doses, criterion, undefined, serial)).toEqual(serial);
            }
          }
        }
      }
    },
  );

  it('sends derived covariates computed in this thread: the same subjects as with the derivation in place', async () => {
    const { spec, truth } = TRUTH_SCENARIOS.find((s) => s.spec.model.covariates.some((c) => c.column === 'WT'))!;
    let calls = 0;
    const derived: DerivedCovariates = {
      inputs: ['AGE'],
      outputs: ['WT'],
      derive: (covariates, size) => {
        calls++;
        return { WT: Float64Array.from({ length: size }, (_, i) => 40 + covariates.AGE[i]) };
      },
    };
    const local = new StudyDoseSimulator(spec, truth, 'pd', { derived });
    const pop = drawPopulation({
      size: 25,
      seed: 4,
      scenario: { name: 'ages', covariates: { AGE: { uniform: [20, 70] }, SEX: { share: 0.5 } } },
      required: local.covariates,
      randomEffects: local.randomEffects,
    });
    expect(pop.covariates.WT).toBeUndefined();
    const pooled = new PooledStudySimulator(new StudyDoseSimulator(spec, truth, 'pd', { derived }), inThreadDoseRunner(2));
    const request = {
      population: pop,
      regimen: regimensOf(truth)[0],
      amounts: [50, 200],
      gridStep: 0.5,
      summaries: ['max', 'average'] as const,
    };
    calls = 0;
    expect(await pooled.simulate(request)).toEqual(local.simulate(request));
    expect(calls).toBe(2);
  });

  it('answers the questions as in one thread: rising, falling and "within" success', async () => {
    const scenario = TRUTH_SCENARIOS.find((s) => s.truth.pk.route === 'oral' && s.truth.pd?.family === 'indirect')!;
    const local = new StudyDoseSimulator(scenario.spec, scenario.truth, 'pd');
    const pop = population(local, 10);
    const base = local.simulate({ population: pop, regimen: { interval: 24, route: 'oral' }, amounts: [0], gridStep: 0.5 }).results[0]
      .max![0];
    const criteria: Criterion[] = [
      { rule: 'above', threshold: base * 1.3, window: 'trough' },
      { rule: 'below', threshold: base * 1.3, window: 'throughout' },
      { rule: 'within', range: [base * 1.2, base * 1.6], window: 'average' },
    ];
    for (const criterion of criteria) {
      const questions: QuestionsSpec = {
        endpoint: 'pd',
        criterion,
        targets: [0.5, 0.8],
        regimens: [{ name: 'daily', interval: 24, route: 'oral', step: 10, max: 400 }],
        scenarios: [{ name: 'all', covariates: COVARIATES }],
        virtualSubjects: 60,
        seed: 5,
      };
      const serial = await answerDoseQuestions(local, questions);
      const pooled = await answerDoseQuestions(new PooledStudySimulator(local, inThreadDoseRunner(2)), questions);
      expect(timeless(pooled)).toEqual(timeless(serial));
    }
  });

  it('refuses in this thread what one thread refuses, with the same words', async () => {
    const { spec, truth } = TRUTH_SCENARIOS.find((s) => s.truth.pk.route === 'oral')!;
    const local = new StudyDoseSimulator(spec, truth, 'pk');
    const runner = inThreadDoseRunner(2);
    const pooled = new PooledStudySimulator(new StudyDoseSimulator(spec, truth, 'pk'), runner);
    const pop = population(local, 4);
    const bolus = { population: pop, regimen: { interval: 12, route: 'bolus' as const }, amounts: [1], gridStep: 0.5 };
    await expect(pooled.simulate(bolus)).rejects.toThrow(DoseSettingsError);
    const badWeights = { ...pop, covariates: { ...pop.covariates, WT: new Float64Array(4).fill(-1) } };
    const message = (() => {
      try {
        local.simulate({ ...bolus, population: badWeights, regimen: { interval: 24, route: 'oral' } });
      } catch (error) {
        return (error as Error).message;
      }
      return null;
    })();
    expect(message).toMatch(/virtual subject 1 .*WT = -1/);
    await expect(pooled.simulate({ ...bolus, population: badWeights, regimen: { interval: 24, route: 'oral' } })).rejects.toThrow(message);
  });

  it('keeps what a worker was sent: the same population is not made twice', async () => {
    const { spec, truth } = TRUTH_SCENARIOS[0];
    const local = new StudyDoseSimulator(spec, truth, 'pd');
    const pop = population(local, 8);
    const cache = new DoseJobCache();
    const recipe = { key: 'm', value: { spec, model: truth, endpoint: 'pd' as const, options: {} } };
    const sent = { key: 'p', value: selectSubjects(local.poolPopulation(pop), [0, 1, 2]) };
    const request = { regimen: regimensOf(truth)[0], amounts: [50], gridStep: 0.5 };
    const a = await runDoseJob({ kind: 'simulate', recipe, population: sent, request }, cache);
    const copy = { key: 'p', value: structuredClone(sent.value) };
    expect(cache.population(copy)).toBe(sent.value);
    const b = await runDoseJob({ kind: 'simulate', recipe: { ...recipe }, population: copy, request }, cache);
    expect(b).toEqual(a);
    expect(a.results[0].max).toEqual(local.simulate({ ...request, population: pop }).results[0].max!.slice(0, 3));
  });
});

describe('the EstData questions with a pool', () => {
  const spec: StudySpec = estDataPreset();
  let fit: StudyFitResult;
  let serial: StudyDoseResult;
  beforeAll(async () => {
    const ingested = ingestText(readEstDataCsv(), 'EstData.csv');
    if (!ingested.ok) throw new Error('EstData.csv did not ingest');
    fit = fitStudy(ingested.dataset, spec);
    serial = await answerFittedStudyQuestions(fit, spec, { questions: { virtualSubjects: 120 }, uncertainty: { replicates: 4 } });
  }, 120_000);

  it.each([1, 2, 3])('gives the same answers, curves and bands on %i workers', async (size) => {
    const runner = inThreadDoseRunner(size);
    const progress: number[] = [];
    const pooled = await answerFittedStudyQuestions(
      fit,
      spec,
      { questions: { virtualSubjects: 120 }, uncertainty: { replicates: 4 } },
      { pool: runner, onProgress: (p) => p.stage === 'uncertainty' && progress.push(p.done) },
    );
    expect(timeless(pooled)).toEqual(timeless(serial));
    expect(pooled.uncertainty).toEqual({ requested: 4, made: 4, note: serial.uncertainty.note });
    expect(progress[progress.length - 1]).toBe(4 * serial.curves.length);
    expect(serial.curves.every((c) => c.band !== undefined)).toBe(true);
  });

  it('stops every worker when cancelled', async () => {
    const signal = { aborted: false };
    const runner = inThreadDoseRunner(2);
    const run = answerFittedStudyQuestions(
      fit,
      spec,
      { questions: { virtualSubjects: 120 }, uncertainty: { replicates: 4 } },
      {
        pool: runner,
        signal,
        onProgress: (p) => {
          if (p.stage === 'uncertainty') signal.aborted = true;
        },
      },
    );
    await expect(run).rejects.toThrow(DoseSearchCancelledError);
    expect(runner.cancelled).toBeInstanceOf(DoseSearchCancelledError);
  });

  it('ends the workers when a job is still running at cancel', async () => {
    const signal = { aborted: false };
    let cancelled: Error | null = null;
    const runner: DoseJobRunner = { size: 2, run: () => new Promise(() => undefined), cancel: (reason) => (cancelled = reason) };
    const waiting = awaitJobs(runner, [() => runner.run({ kind: 'replicate' } as never)], signal);
    signal.aborted = true;
    await expect(waiting).rejects.toThrow(DoseSearchCancelledError);
    expect(cancelled).toBeInstanceOf(DoseSearchCancelledError);
  });
});
