import * as Comlink from 'comlink';
import type { SubjectSplit } from '../src/data/splits/index';
import type { Dataset } from '../src/data/types';
import { type TrainConfig, trainOnSplit, useBackend } from '../src/headless/train-fold';
import { failOnGpuLoss } from '../src/platform/tfjs-runtime';
import type { StudySpec } from '../src/study/study-spec';
import { holdLifeline } from './worker-lifeline';

/** A pool worker of the headless `train` command's cv5: one fold per call, as the page trains it on the serial path. */
const api = {
  async trainFold(dataset: Dataset, split: SubjectSplit, config: TrainConfig, spec: StudySpec) {
    await useBackend(config.backend);
    return failOnGpuLoss(trainOnSplit(dataset, split, config, spec));
  },
};

export type TrainFoldApi = typeof api;

Comlink.expose(api);
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
