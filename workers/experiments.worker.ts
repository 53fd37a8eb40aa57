import * as Comlink from 'comlink';
import { holdLifeline } from './worker-lifeline';
import { type DatasetSource, resolveDataset } from '../src/store/dataset-source';
import {
  type AblationOptions,
  type AblationProgress,
  type ClaimsOptions,
  type ExperimentProgress,
  runAblation,
  runClaimsCheck,
} from '../src/model/experiments/index';
import { splitView } from '../src/model/experiments/split-choice';
import { trainingStudy } from '../src/model/training-study';
import type { TrainingSplit } from '../src/model/training-config';
import { type BackendRequest, chooseBackend } from '../src/platform/compute-backend';
import { activateBackend, failOnGpuLoss } from '../src/platform/tfjs-runtime';
import { probeWebGpu } from '../src/platform/webgpu-probe';

/** The TF.js backend an experiment ran on, and why. */
export interface BackendUsed {
  name: string;
  adapter: string;
  reason: string;
}

let signal = { aborted: false };

/** A fresh cancel flag and the backend the policy picks for this browser ('auto', or 'wasm' to retry on the CPU path). */
async function prepare(request: BackendRequest): Promise<BackendUsed> {
  signal = { aborted: false };
  const choice = chooseBackend(request, await probeWebGpu());
  await activateBackend(choice.backend);
  return { name: choice.backend, adapter: choice.adapter, reason: choice.reason };
}

const api = {
  async runAblation(
    source: DatasetSource,
    split: TrainingSplit,
    options: AblationOptions,
    onProgress: (progress: AblationProgress) => void,
    request: BackendRequest = 'auto',
  ) {
    const backend = await prepare(request);
    const dataset = await resolveDataset(source);
    const study = await trainingStudy(source, dataset, options.study ?? null);
    const result = await failOnGpuLoss(
      runAblation(splitView(dataset, split, study), { ...options, study }, { onCell: onProgress, signal }),
    );
    return { ...result, backend };
  },

  async runClaims(
    source: DatasetSource,
    split: TrainingSplit,
    options: ClaimsOptions,
    onProgress: (progress: ExperimentProgress) => void,
    request: BackendRequest = 'auto',
  ) {
    const backend = await prepare(request);
    const dataset = await resolveDataset(source);
    const study = await trainingStudy(source, dataset, options.study ?? null);
    const result = await failOnGpuLoss(runClaimsCheck(splitView(dataset, split, study), { ...options, study }, { onProgress, signal }));
    return { ...result, backend };
  },

  /** Stops the running experiment at its next batch; it then resolves with what it finished. */
  cancel(): void {
    signal.aborted = true;
  },
};

export type ExperimentsWorkerApi = typeof api;

Comlink.expose(api);
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
