/**
 * The population fit split by subject across a pool of workers (issue 16): `FitPool` drives the study
 * fit here (src/pkpd/population/fit-study.ts `fitStudyDataAsync`: the optimiser, the warm starts, the
 * sums) and sends each objective evaluation to its fit-pool workers, split by subject
 * (src/pkpd/foce.ts `splitRequest`). Each
 * worker rebuilds the stage's objective from plain data the first time it meets it (fit-pool-api.ts,
 * src/pkpd/population/fit-host.ts) and computes its part with the same code the serial fit runs, so
 * the results equal the serial fit's bit for bit. A pool of size 1 is not used: the caller fits in its
 * own thread (`fitStudy`), today's serial path (`sharedFitPool`).
 */
import * as Comlink from 'comlink';
import type { Dataset } from '../src/data/types';
import { FitCancelledError } from '../src/pkpd/errors';
import { type FoceObjective, type SplitMode, splitRequest, type SubjectAnswer, type SubjectRequest } from '../src/pkpd/foce';
import type { FitInputs } from '../src/pkpd/population/fit-host';
import { type CovariateFitAnswer, type CovariateFitJob, studyFitOutcome } from '../src/pkpd/population/covariate-search';
import { fitStudyDataAsync, type StudyFitControl, type StudyFitRequest, type StudyFitResult } from '../src/pkpd/population/fit-study';
import { poolSize, poolWorkerName } from '../src/platform/threads';
import { bindStudy, type StudyData } from '../src/study/study-data';
import type { StudySpec } from '../src/study/study-spec';
import type { FitPoolApi } from './fit-pool-api';
import type { LifelineLocks } from './worker-lifeline';
import { WorkerPool } from './worker-pool';
import { WorkerCrashedError } from './worker-crashed-error';

export interface FitPoolOptions {
  /** How many workers: `poolSize()` (src/platform/threads.ts), at least 2 to be worth a pool. */
  size: number;
  /** Starts a worker (the fit-pool worker by default; the tests' fake workers). */
  factory?: () => Worker;
  /** The lifelines' Web Locks (the browser's by default). */
  locks?: LifelineLocks | null;
  onCrash?: (error: WorkerCrashedError, retrying: boolean) => void;
  /** How requests are split (default by subject, see splitRequest); for measurements and tests. */
  split?: SplitMode;
}

const WORDING = {
  work: 'The population fit',
  advice: 'Retry (fresh workers start), or fit on one thread (?threads=1).',
};

const defaultFactory = (): Worker =>
  new Worker(new URL('./fit-pool.worker.ts', import.meta.url), { type: 'module', name: poolWorkerName('fit') });

export class FitPool {
  private readonly pool: WorkerPool<FitPoolApi>;
  private readonly weights = new WeakMap<FoceObjective, number[]>();
  private readonly datasetKeys = new WeakMap<Dataset, string>();
  private fits = 0;
  /** The fits running now, each with the reason it was cancelled for (null while it runs). */
  private readonly running = new Set<{ reason: Error | null }>();

  constructor(private readonly options: FitPoolOptions) {
    this.pool = new WorkerPool<FitPoolApi>(options.factory ?? defaultFactory, {
      size: options.size,
      wording: WORDING,
      ...(options.locks !== undefined ? { locks: options.locks } : {}),
      ...(options.onCrash ? { onCrash: options.onCrash } : {}),
    });
  }

  get size(): number {
    return this.pool.size;
  }

  /** How many workers are running now. */
  get started(): number {
    return this.pool.started;
  }

  /** `fitStudy` (src/pkpd/population/fit-study.ts) with its objective evaluations on the pool. */
  fitStudy(dataset: Dataset, spec: StudySpec, control: StudyFitControl = {}): Promise<StudyFitResult> {
    return this.fitStudyData(
      bindStudy(dataset, spec),
      { dataset, spec, ...(control.network ? { network: control.network } : {}) },
      control,
    );
  }

  /** `fitStudyData` of `study` (bound from `inputs`, which the workers rebuild it from) on the pool. */
  fitStudyData(study: StudyData, inputs: FitInputs, control: StudyFitControl = {}): Promise<StudyFitResult> {
    const fit = `fit-${++this.fits}`;
    const state = { reason: null as Error | null };
    this.running.add(state);
    // Every worker starts and binds the study while this thread prepares the first stage and its starts.
    void this.pool.map(Array.from({ length: this.pool.size }), (api) => api.load(fit, inputs)).catch(() => undefined);
    return fitStudyDataAsync(study, control, (request) => {
      // Cancelled between two evaluations (e.g. from a progress report): no more work starts.
      if (state.reason) return Promise.reject(state.reason);
      return this.answer(fit, inputs, request);
    }).finally(() => this.running.delete(state));
  }

  /**
   * Independent fits of models of `dataset` (a covariate search's batch, src/pkpd/population/covariate-search.ts
   * `covariateSearchAsync`), each the outcome of the serial fit: a batch of one split by subject
   * (`fitStudy` here), more side by side, a whole fit per worker, the costliest first; the answers in the
   * jobs' order. `onStart` as each fit starts. A fit
   * that fails is an answer with its error; a cancel or a worker that crashed again rejects the batch.
   */
  async fitOutcomes(
    dataset: Dataset,
    jobs: readonly CovariateFitJob[],
    onStart?: (job: CovariateFitJob) => void,
  ): Promise<CovariateFitAnswer[]> {
    const state = { reason: null as Error | null };
    this.running.add(state);
    const failed = (error: unknown): CovariateFitAnswer => {
      if (state.reason || error instanceof WorkerCrashedError || error instanceof FitCancelledError) throw error;
      return { error };
    };
    try {
      if (jobs.length === 1) {
        onStart?.(jobs[0]);
        try {
          // Binding the study can throw before the fit starts: the same answer as a fit that fails.
          return [{ outcome: studyFitOutcome(await this.fitStudy(dataset, jobs[0].spec, { covariance: false })) }];
        } catch (error) {
          return [failed(error)];
        }
      }
      const key = this.datasetKey(dataset);
      // The costliest first (a fit with its PD stage before a PK-only one), so that no costly fit starts last alone.
      const order = jobs.map((_, i) => i).sort((a, b) => Number(hasPd(jobs[b])) - Number(hasPd(jobs[a])));
      const answers = await this.pool.map(order, async (api, index): Promise<CovariateFitAnswer> => {
        const job = jobs[index];
        onStart?.(job);
        try {
          let outcome = await api.fitOutcome(key, job.spec);
          if (!outcome) {
            await api.holdDataset(key, dataset);
            outcome = await api.fitOutcome(key, job.spec);
          }
          if (!outcome) throw new Error('A fit pool worker could not hold the dataset.');
          return { outcome };
        } catch (error) {
          return failed(error);
        }
      });
      const inJobOrder: CovariateFitAnswer[] = [];
      order.forEach((index, k) => (inJobOrder[index] = answers[k]));
      return inJobOrder;
    } finally {
      this.running.delete(state);
    }
  }

  /** A key for `dataset`, the same while the object lives (the workers hold it once). */
  private datasetKey(dataset: Dataset): string {
    let key = this.datasetKeys.get(dataset);
    if (!key) {
      key = `data-${++this.fits}`;
      this.datasetKeys.set(dataset, key);
    }
    return key;
  }

  /** Starts every worker (each loads its code) ahead of the first fit. */
  start(): void {
    void this.pool.map(Array.from({ length: this.pool.size }), (api) => api.ready()).catch(() => undefined);
  }

  /** Ends every worker: every running fit rejects with `reason`. */
  cancel(reason: Error): void {
    for (const state of this.running) state.reason = reason;
    this.pool.cancel(reason);
  }

  terminate(): void {
    this.pool.terminate();
  }

  private async answer(fit: string, inputs: FitInputs, r: StudyFitRequest): Promise<SubjectAnswer> {
    const split = splitRequest(r.request, this.pool.size, this.weightsOf(r.objective), this.options.split);
    const answers = await this.pool.map(split.parts, (api, part) => evaluateOn(api, fit, inputs, r, part));
    return split.join(answers);
  }

  /** Per subject, its observations: what a subject costs, roughly. */
  private weightsOf(objective: FoceObjective): number[] {
    let weights = this.weights.get(objective);
    if (!weights) {
      weights = objective.problem.observations.map((y) => y.length);
      this.weights.set(objective, weights);
    }
    return weights;
  }
}

/** A part on one worker, preparing its stage (and the fit's inputs) there first when the worker lacks them. */
async function evaluateOn(
  api: Comlink.Remote<FitPoolApi>,
  fit: string,
  inputs: FitInputs,
  r: StudyFitRequest,
  part: SubjectRequest,
): Promise<SubjectAnswer> {
  const answer = await api.evaluate(fit, r.id, part);
  if (answer) return answer;
  if (!(await api.prepare(fit, r.id, r.stage, null))) await api.prepare(fit, r.id, r.stage, inputs);
  const prepared = await api.evaluate(fit, r.id, part);
  if (!prepared) throw new Error(`A fit pool worker could not prepare stage ${r.id}.`);
  return prepared;
}

/** Whether the job fits a PD stage too (the study has a PD endpoint and model). */
const hasPd = (job: CovariateFitJob): boolean => job.spec.endpoints.pd !== undefined && job.spec.model.pd !== undefined;

let shared: FitPool | null = null;

/**
 * This page's (or worker's) fit pool of `size` workers (default: the pool size here), kept for later
 * fits so that their workers are started and warm; its workers start now, while the caller reads its
 * inputs. Undefined where a pool would not help (size 1) or no workers can start: the caller then fits
 * in its own thread, today's serial path.
 */
export function sharedFitPool(size = poolSize()): FitPool | undefined {
  if (size <= 1 || typeof Worker !== 'function') return undefined;
  if (shared?.size !== size) {
    shared?.terminate();
    shared = new FitPool({ size });
  }
  shared.start();
  return shared;
}
