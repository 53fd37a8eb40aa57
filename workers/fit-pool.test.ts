import { afterEach, describe, expect, it } from 'vitest';
import { ingestText } from '../src/data/ingest';
import type { Dataset } from '../src/data/types';
import { covariateSearch, covariateSearchAsync, type CovariateFitJob, studyFitOutcome } from '../src/pkpd/population/covariate-search';
import { fitStudy, type StudyFitResult } from '../src/pkpd/population/fit-study';
import { covariateTrial, covariateTrialSpec } from '../src/pkpd/population/testing/covariate-trial';
import { simulateStudyTrial } from '../src/pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../src/pkpd/population/testing/truth-scenarios';
import type { StudySpec } from '../src/study/study-spec';
import { describeSpecProblems, readStudySpec } from '../src/study/study-spec-reader';
import { fitPoolApi } from './fit-pool-api';
import { FitPool } from './fit-pool';
import { FakeWorker, settle } from './test-support';

let workers: FakeWorker[] = [];
let calls = 0;

/** A pool of fake workers, each running the real fit pool API behind a MessageChannel (calls counted). */
function pool(size: number, split?: 'subject' | 'point'): FitPool {
  return new FitPool({
    size,
    locks: null,
    ...(split ? { split } : {}),
    factory: () => {
      const api = fitPoolApi();
      const counted = {
        ...api,
        evaluate: (...args: Parameters<typeof api.evaluate>) => {
          calls++;
          return api.evaluate(...args);
        },
      };
      const worker = new FakeWorker(counted);
      workers.push(worker);
      return worker as unknown as Worker;
    },
  });
}

afterEach(() => {
  workers.forEach((w) => w.terminate());
  workers = [];
  calls = 0;
});

function trial(
  index: number,
  subjects: number,
  seed: number,
  edit?: (doc: Record<string, any>) => void,
): { dataset: Dataset; spec: StudySpec } {
  const scenario = TRUTH_SCENARIOS[index];
  let spec = scenario.spec;
  if (edit) {
    const doc = structuredClone(spec) as unknown as Record<string, any>;
    edit(doc);
    const reading = readStudySpec(doc);
    if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
    spec = reading.spec;
  }
  const ingested = ingestText(simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(subjects), seed).csv, 'trial.csv');
  if (!ingested.ok) throw new Error('the simulated trial did not ingest');
  return { dataset: ingested.dataset, spec };
}

/** Every number of two study fits that should be one fit: each candidate's OFV, estimates, SEs, EBEs, CWRES, trace and counts. */
function fingerprint(fit: StudyFitResult): unknown {
  return {
    ofv: fit.ofv,
    comparison: fit.comparison,
    stages: [...fit.candidates.pk, ...fit.candidates.pd].map((f) => ({
      label: f.label,
      ofv: f.foce.ofv,
      iterations: f.foce.iterations,
      evaluations: f.foce.evaluations,
      trace: f.foce.ofvTrace,
      parameters: f.foce.parameters,
      covariance: f.foce.covariance && Array.from(f.foce.covariance),
      etas: f.foce.etas.map((e) => Array.from(e)),
      cwres: f.foce.diagnostics.map((d) => Array.from(d.cwres)),
    })),
    individuals: fit.individuals,
  };
}

describe('FitPool: the study fit split across workers', () => {
  it('gives the serial fit bit for bit split by subject on 2 or 3 workers or by point (PK 1 and 2 compartments, PD)', async () => {
    const { dataset, spec } = trial(0, 18, 7, (doc) => (doc.model.pk.compartments = 'auto'));
    const serial = fingerprint(fitStudy(dataset, spec));
    const progress: number[] = [];
    const fits = pool(2);
    const pooled = await fits.fitStudy(dataset, spec, { onProgress: (p) => progress.push(p.iteration) });
    // toStrictEqual: 0 and −0 differ, NaN equals NaN; numbers must be the same doubles.
    expect(fingerprint(pooled)).toStrictEqual(serial);
    expect(workers).toHaveLength(2);
    expect(calls).toBeGreaterThan(20);
    expect(progress.length).toBeGreaterThan(5);
    const onThree = await pool(3).fitStudy(dataset, spec);
    expect(fingerprint(onThree)).toStrictEqual(serial);
    const byPoint = await pool(2, 'point').fitStudy(dataset, spec);
    expect(fingerprint(byPoint)).toStrictEqual(serial);
  }, 60_000);

  it('starts its workers ahead of a fit and keeps serving later fits (new inputs reach workers that held an earlier fit)', async () => {
    const first = trial(1, 12, 3);
    const second = trial(1, 14, 4);
    const fits = pool(2);
    // start(): every worker starts ahead of the first fit.
    fits.start();
    await settle();
    expect(fits.started).toBe(2);
    expect(calls).toBe(0);
    await fits.fitStudy(first.dataset, first.spec, { covariance: false });
    const again = await fits.fitStudy(second.dataset, second.spec, { covariance: false });
    expect(fingerprint(again)).toStrictEqual(fingerprint(fitStudy(second.dataset, second.spec, { covariance: false })));
  }, 60_000);

  it('cancel ends every worker and rejects the fit with the reason', async () => {
    const { dataset, spec } = trial(0, 18, 7);
    const fits = pool(2);
    const reason = new Error('cancelled by the test');
    let cancelled = false;
    const running = fits.fitStudy(dataset, spec, {
      onProgress: () => {
        if (cancelled) return;
        cancelled = true;
        expect(fits.started).toBe(2);
        fits.cancel(reason);
      },
    });
    await expect(running).rejects.toBe(reason);
    expect(workers).toHaveLength(2);
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(fits.started).toBe(0);
  }, 60_000);

  it('runs a covariate search with its fits side by side, a whole fit per worker, to the serial search bit for bit', async () => {
    const dataset = covariateTrial(24, 1);
    const spec = covariateTrialSpec();
    const serial = covariateSearch(dataset, spec);
    const fits = pool(2);
    const started: number[] = [];
    const pooled = await covariateSearchAsync(dataset, spec, {}, (jobs) =>
      fits.fitOutcomes(dataset, jobs, (job) => started.push(job.progress.fits)),
    );
    expect({ ...pooled, elapsedMs: 0 }).toStrictEqual({ ...serial, elapsedMs: 0 });
    // Every fit started once (a batch's costliest first).
    expect([...started].sort((a, b) => a - b)).toEqual(Array.from({ length: serial.fits }, (_, i) => i + 1));
    expect(workers).toHaveLength(2);
  }, 120_000);

  it('answers a fit that fails with its error and the others with their outcomes, alone or side by side', async () => {
    const { dataset, spec } = trial(1, 12, 3);
    const broken = structuredClone(spec) as unknown as { endpoints: Record<string, unknown>; model: { pk: { compartments: unknown } } };
    delete broken.endpoints.pk;
    broken.model.pk.compartments = 'auto';
    const job = (s: unknown, fits: number): CovariateFitJob => ({
      spec: s as StudySpec,
      progress: { phase: 'forward', step: 1, candidate: fits, candidates: 2, name: null, fits },
    });
    const fits = pool(2);
    const [good, bad] = await fits.fitOutcomes(dataset, [job(spec, 1), job(broken, 2)]);
    expect(good).toStrictEqual({ outcome: studyFitOutcome(fitStudy(dataset, spec, { covariance: false })) });
    expect('error' in bad && String((bad.error as Error).message)).toContain('no PK endpoint');
    const [alone] = await fits.fitOutcomes(dataset, [job(broken, 3)]);
    expect('error' in alone && String((alone.error as Error).message)).toContain('no PK endpoint');
  }, 60_000);
});
