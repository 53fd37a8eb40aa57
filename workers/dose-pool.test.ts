/**
 * The dose pool through the worker pool (fake workers on message channels, as the browser's workers
 * are): the questions and the uncertainty replicates give the numbers of one thread, and a cancel ends
 * every worker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PooledStudySimulator, replicateRunner } from '../src/dose/dose-pool';
import { addParameterUncertainty, answerDoseQuestions } from '../src/dose/dose-questions';
import { DoseSearchCancelledError } from '../src/dose/errors';
import { StudyDoseSimulator } from '../src/dose/study-simulator';
import type { StudyPopulationModel } from '../src/pkpd/population/fit-study';
import { TRUTH_SCENARIOS } from '../src/pkpd/population/testing/truth-scenarios';
import type { QuestionsSpec } from '../src/study/study-spec';
import { dosePoolApi } from './dose-pool-api';
import { createDosePool, type DosePool } from './dose-pool';
import { FakeWorker, settle } from './test-support';

let workers: FakeWorker[] = [];

/** `size` fake workers; `onJob(count)` before each job a worker starts (count: jobs started so far, all workers). */
function fakePool(size: number, onJob?: (count: number) => Promise<void> | void): DosePool {
  let jobs = 0;
  return createDosePool(
    size,
    () => {
      const api = dosePoolApi();
      const worker = new FakeWorker({
        run: async (job: Parameters<typeof api.run>[0]) => {
          await onJob?.(++jobs);
          return api.run(job);
        },
      });
      workers.push(worker);
      return worker as unknown as Worker;
    },
    null,
  );
}

afterEach(() => {
  workers.forEach((w) => w.terminate());
  workers = [];
});

const scenario = TRUTH_SCENARIOS.find((s) => s.truth.pk.route === 'oral' && s.truth.pd?.family === 'indirect')!;

const questions: QuestionsSpec = {
  endpoint: 'pd',
  criterion: { rule: 'above', threshold: 0, window: 'trough' },
  targets: [0.5, 0.9],
  regimens: [
    { name: 'daily', interval: 24, route: 'oral', step: 10, max: 300 },
    { name: 'twice daily', interval: 12, route: 'oral', step: 5, max: 150 },
  ],
  scenarios: [
    { name: 'light', covariates: { WT: { uniform: [45, 70] }, SEX: { share: 0.5 }, AGE: { uniform: [20, 70] } } },
    { name: 'heavy', covariates: { WT: { uniform: [80, 120] }, SEX: { share: 0.5 }, AGE: { uniform: [20, 70] } } },
  ],
  virtualSubjects: 80,
  seed: 9,
};

/** The truth with its typical values moved by ±10 %: stand-ins for models drawn from a fit's covariance. */
function replicateModels(): StudyPopulationModel[] {
  return [0.9, 1.05, 1.1].map((f, r) => ({
    ...scenario.truth,
    theta: Object.fromEntries(Object.entries(scenario.truth.theta).map(([name, v], k) => [name, (k + r) % 2 === 0 ? v * f : v])),
  }));
}

/** A threshold 20 % beyond the response's baseline, in the direction the drug moves it: targets reached inside the grids. */
function threshold(local: StudyDoseSimulator): number {
  const base = scenario.truth.theta.BASE;
  return local.direction === 'increasing' ? base * 1.2 : base * 0.8;
}

/** The questions for this model: success when the trough is beyond the threshold. */
function questionsFor(local: StudyDoseSimulator): QuestionsSpec {
  return {
    ...questions,
    criterion: { rule: local.direction === 'increasing' ? 'above' : 'below', threshold: threshold(local), window: 'trough' },
  };
}

describe('the dose pool on workers', () => {
  it('starts every worker on `start`, before any job', async () => {
    const pool = fakePool(3);
    expect(workers.length).toBe(0);
    pool.start();
    await settle();
    expect(workers.length).toBe(3);
    pool.terminate();
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('empties every worker’s cache on `release`, keeping the workers', async () => {
    const cleared: number[] = [];
    const pool = createDosePool(
      2,
      () => {
        const index = workers.length;
        const worker = new FakeWorker({ ...dosePoolApi(), clear: () => void cleared.push(index) });
        workers.push(worker);
        return worker as unknown as Worker;
      },
      null,
    );
    pool.start();
    await pool.release();
    expect(cleared.sort()).toEqual([0, 1]);
    expect(workers.length).toBe(2);
    expect(workers.some((w) => w.terminated)).toBe(false);
    pool.terminate();
  });

  it('answers the questions and makes the bands as one thread does', async () => {
    const local = new StudyDoseSimulator(scenario.spec, scenario.truth, 'pd');
    const q = questionsFor(local);
    const serial = await answerDoseQuestions(local, q);
    const replicates = replicateModels().map((m) => new StudyDoseSimulator(scenario.spec, m, 'pd'));
    const serialBands = await addParameterUncertainty(serial, replicates, 3, 'test');

    const pool = fakePool(2);
    const pooled = await answerDoseQuestions(
      new PooledStudySimulator(new StudyDoseSimulator(scenario.spec, scenario.truth, 'pd'), pool),
      q,
    );
    const pooledBands = await addParameterUncertainty(pooled, replicates, 3, 'test', {
      runReplicate: replicateRunner(pool, replicates, local),
    });
    pool.terminate();

    expect(workers.length).toBe(2);
    expect(serial.answers.some((a) => a.reached)).toBe(true);
    expect(pooledBands).toEqual(serialBands);
    const { seconds: _a, ...serialRest } = serial;
    const { seconds: _b, ...pooledRest } = pooled;
    expect(pooledRest).toEqual(serialRest);
    expect(serial.curves[0].band).toBeDefined();
  });

  it('ends every worker when the run is cancelled', async () => {
    const local = new StudyDoseSimulator(scenario.spec, scenario.truth, 'pd');
    const pool = fakePool(2);
    const signal = { aborted: false };
    const pooled = new PooledStudySimulator(local, pool);
    const result = await answerDoseQuestions(pooled, questionsFor(local));
    expect(workers.length).toBe(2);
    const replicates = replicateModels().map((m) => new StudyDoseSimulator(scenario.spec, m, 'pd'));
    const run = addParameterUncertainty(
      result,
      replicates,
      3,
      'test',
      { runReplicate: replicateRunner(pool, replicates, local, signal) },
      { signal, onProgress: () => (signal.aborted = true) },
    );
    await expect(run).rejects.toThrow(DoseSearchCancelledError);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('ends every worker when cancelled while the subjects are being simulated', async () => {
    const local = new StudyDoseSimulator(scenario.spec, scenario.truth, 'pd');
    const signal = { aborted: false };
    // The fifth job: cancelled while it runs (it never ends).
    const pool = fakePool(2, (count) => {
      if (count < 5) return;
      signal.aborted = true;
      return new Promise<void>(() => undefined);
    });
    const run = answerDoseQuestions(new PooledStudySimulator(local, pool), questionsFor(local), {}, { signal });
    await expect(run).rejects.toThrow(DoseSearchCancelledError);
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });
});
