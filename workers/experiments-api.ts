/**
 * The experiments worker's API (experiments.worker.ts) and its pool workers' (experiment-runs.worker.ts),
 * as plain objects so the Node tests can run them behind fake workers.
 *
 * The experiments worker runs an ablation or a claims check (src/model/experiments). With a pool size
 * above 1 (`poolSize()`, the thread setting, read in this worker from its name) it trains the
 * experiment's independent runs — ablation cells, claims pairs — on a WorkerPool of run workers, each
 * on one TF.js thread; each run worker trains one run at a time by the same function the serial path
 * calls here (`trainAblationCell`, `trainClaimsPair`). With 1, everything trains here, as before.
 */
import * as Comlink from 'comlink';
import type { SplitView } from '../src/data/splits/view';
import type { Dataset } from '../src/data/types';
import type { CancelSignal } from '../src/data/cancel';
import {
  type AblationCell,
  type AblationCellSpec,
  type AblationOptions,
  type AblationProgress,
  type AblationResult,
  ablationGrid,
  claimsEncoders,
  type ClaimsOptions,
  type ClaimsPair,
  type ClaimsResult,
  type ExperimentSettings,
  type ExperimentProgress,
  type PairHooks,
  type RunEpoch,
  type RunHooks,
  type RunSchedule,
  runAblation,
  runClaimsCheck,
  trainAblationCell,
  trainClaimsPair,
} from '../src/model/experiments/index';
import { splitView } from '../src/model/experiments/split-choice';
import type { TrainingSplit } from '../src/model/training-config';
import { trainingStudy } from '../src/model/training-study';
import { type BackendRequest, chooseBackend } from '../src/platform/compute-backend';
import { activateBackend, failOnGpuLoss } from '../src/platform/tfjs-runtime';
import { probeWebGpu } from '../src/platform/webgpu-probe';
import type { EncoderName } from '../src/quantum/resources/architecture';
import type { StudySpec } from '../src/study/study-spec';
import { type DatasetSource, resolveDataset } from '../src/store/dataset-source';
import type { LifelineLocks } from './worker-lifeline';
import { WorkerPool } from './worker-pool';

/** The TF.js backend an experiment ran on, and why. */
export interface BackendUsed {
  name: string;
  adapter: string;
  reason: string;
}

/** The backend the policy picks for this browser ('auto', or 'wasm' to retry on the CPU path), made active. */
async function activate(request: BackendRequest): Promise<BackendUsed> {
  const choice = chooseBackend(request, await probeWebGpu());
  await activateBackend(choice.backend);
  return { name: choice.backend, adapter: choice.adapter, reason: choice.reason };
}

/** The dataset, the run's study (the one sent, else the stored or proposed one) and the split's view. */
async function experimentData(source: DatasetSource, split: TrainingSplit, sent: StudySpec | null) {
  const dataset: Dataset = await resolveDataset(source);
  const study = await trainingStudy(source, dataset, sent);
  return { study, view: splitView(dataset, split, study) };
}

const noEpochs = (): void => undefined;

/**
 * `callback` (a Comlink proxy of the caller's) with every call's delivery awaitable: a run's result
 * travels on the worker's channel and its reports on the proxy's, in no fixed order between the two,
 * so a run awaits `delivered()` before it returns, and no report of it arrives after its result.
 */
function acknowledged<A extends unknown[]>(callback: (...args: A) => unknown) {
  const sent: Promise<unknown>[] = [];
  return {
    call: (...args: A): void => void sent.push(Promise.resolve(callback(...args)).catch(() => undefined)),
    delivered: () => Promise.all(sent),
  };
}

/** A pool worker's jobs: one training run each, on its own (never cancelled: the pool ends the worker). */
export const runsApi = {
  async ablationCell(
    source: DatasetSource,
    split: TrainingSplit,
    options: AblationOptions,
    cell: AblationCellSpec,
    onEpoch: (epoch: RunEpoch) => void,
    request: BackendRequest,
  ) {
    await activate(request);
    const { study, view } = await experimentData(source, split, options.study ?? null);
    const epochs = acknowledged(onEpoch);
    const trained = await failOnGpuLoss(trainAblationCell(view, { ...options, study }, cell, { onEpoch: epochs.call }));
    await epochs.delivered();
    return trained;
  },

  async claimsPair(
    source: DatasetSource,
    split: TrainingSplit,
    options: ClaimsOptions,
    encoder: EncoderName,
    onRun: NonNullable<PairHooks['onRun']>,
    request: BackendRequest,
  ) {
    await activate(request);
    const { study, view } = await experimentData(source, split, options.study ?? null);
    const runs = acknowledged(onRun);
    const pair = await failOnGpuLoss(trainClaimsPair(view, { ...options, study }, encoder, { onRun: runs.call }));
    await runs.delivered();
    return pair;
  },
};

export type ExperimentRunsApi = typeof runsApi;

export interface ExperimentsApiOptions {
  /** The pool's size for a run (`poolSize()`); 1 keeps every training in this worker (the serial path). */
  readonly poolSize: () => number;
  /** Starts one run worker (experiment-runs.worker.ts, named by `poolWorkerName`: one TF.js thread). */
  readonly startRunWorker: () => Worker;
  /** The Web Locks of the run workers' lifelines (the browser's by default; null: none). */
  readonly locks?: LifelineLocks | null;
}

/** Why the pool's jobs ended when the experiment was cancelled: they count as runs that did not finish. */
const CANCELLED = new Error('The experiment was cancelled.');

const RUN_WORDING = {
  work: 'A training run of the experiment',
  advice: 'Retry the experiment (fresh workers start), or retry on the CPU path (WebAssembly) if it ran on the GPU.',
};

/** The experiments worker's API; its runs go to a pool of run workers when the pool size allows. */
export function experimentsApi(options: ExperimentsApiOptions) {
  let signal = { aborted: false };
  let pool: WorkerPool<ExperimentRunsApi> | null = null;

  /**
   * Runs on the pool, one job per run. A run ended by cancel comes back null; another failure ends
   * the other runs too (their workers stop) and rejects the experiment.
   */
  function onPool<I, O, H>(
    runs: WorkerPool<ExperimentRunsApi>,
    job: (api: Comlink.Remote<ExperimentRunsApi>, input: I, hooks: H) => Promise<O | null>,
  ): RunSchedule<I, O, H> {
    return {
      parallel: runs.size,
      run: (input, _index, hooks) =>
        runs
          .run((api) => job(api, input, hooks))
          .catch((error: unknown) => {
            if (error === CANCELLED) return null;
            runs.cancel(CANCELLED);
            throw error;
          }),
    };
  }

  /**
   * One experiment: the backend, the data and study, a fresh cancel flag and, when its `count` runs
   * and the pool size allow more than one worker, a pool running each run by `job` (else the runs
   * train here: `experiment` gets no schedule). The pool ends with the experiment.
   */
  async function experiment<S extends ExperimentSettings, I, O, H, R extends object>(
    source: DatasetSource,
    split: TrainingSplit,
    sent: S,
    request: BackendRequest,
    count: (settings: S) => number,
    job: (api: Comlink.Remote<ExperimentRunsApi>, settings: S, input: I, hooks: H) => Promise<O | null>,
    run: (view: SplitView, settings: S, signal: CancelSignal, schedule: RunSchedule<I, O, H> | undefined) => Promise<R>,
  ): Promise<R & { backend: BackendUsed; workers: number }> {
    signal = { aborted: false };
    const stop = signal;
    const backend = await activate(request);
    const { study, view } = await experimentData(source, split, sent.study ?? null);
    const settings = { ...sent, study };
    const size = Math.min(options.poolSize(), count(settings));
    const runs =
      size > 1 ? new WorkerPool<ExperimentRunsApi>(options.startRunWorker, { size, wording: RUN_WORDING, locks: options.locks }) : null;
    pool = runs;
    try {
      const schedule = runs ? onPool<I, O, H>(runs, (api, input, hooks) => job(api, settings, input, hooks)) : undefined;
      const result = await failOnGpuLoss(run(view, settings, stop, schedule));
      return { ...result, backend, workers: size > 1 ? size : 1 };
    } finally {
      runs?.terminate();
      if (pool === runs) pool = null;
    }
  }

  return {
    runAblation(
      source: DatasetSource,
      split: TrainingSplit,
      ablation: AblationOptions,
      onProgress: (progress: AblationProgress) => void,
      request: BackendRequest = 'auto',
    ) {
      return experiment<AblationOptions, AblationCellSpec, AblationCell, RunHooks, AblationResult>(
        source,
        split,
        ablation,
        request,
        (settings) => ablationGrid(settings).length,
        (api, settings, cell, hooks) => api.ablationCell(source, split, settings, cell, Comlink.proxy(hooks.onEpoch ?? noEpochs), request),
        (view, settings, stop, cells) => runAblation(view, settings, { onCell: onProgress, signal: stop, cells }),
      );
    },

    runClaims(
      source: DatasetSource,
      split: TrainingSplit,
      claims: ClaimsOptions,
      onProgress: (progress: ExperimentProgress) => void,
      request: BackendRequest = 'auto',
    ) {
      return experiment<ClaimsOptions, EncoderName, ClaimsPair, PairHooks, ClaimsResult>(
        source,
        split,
        claims,
        request,
        (settings) => claimsEncoders(settings).length,
        (api, settings, encoder, hooks) =>
          api.claimsPair(source, split, settings, encoder, Comlink.proxy(hooks.onRun ?? noEpochs), request),
        (view, settings, stop, pairs) => runClaimsCheck(view, settings, { onProgress, signal: stop, pairs }),
      );
    },

    /** Stops the running experiment: here at its next batch, on the pool at once (its workers end); it resolves with what finished. */
    cancel(): void {
      signal.aborted = true;
      pool?.cancel(CANCELLED);
    },
  };
}

export type ExperimentsWorkerApi = ReturnType<typeof experimentsApi>;
