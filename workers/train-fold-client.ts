import type { SubjectSplit } from '../src/data/splits/index';
import type { Dataset } from '../src/data/types';
import type { FoldResult, TrainConfig } from '../src/headless/train-fold';
import { poolWorkerName } from '../src/platform/threads';
import type { StudySpec } from '../src/study/study-spec';
import type { TrainFoldApi } from './train-fold.worker';
import { WorkerPool } from './worker-pool';

/**
 * Trains the folds of a cross-validation on a pool of `size` fold workers (one TF.js thread each), one
 * fold per worker at a time, each as the serial path trains it (`trainOnSplit`); the results keep the
 * folds' order. The workers end with the run.
 */
export async function trainFoldsOnPool(
  dataset: Dataset,
  splits: readonly SubjectSplit[],
  config: TrainConfig,
  spec: StudySpec,
  size: number,
): Promise<FoldResult[]> {
  const pool = new WorkerPool<TrainFoldApi>(
    () => new Worker(new URL('./train-fold.worker.ts', import.meta.url), { type: 'module', name: poolWorkerName('fold') }),
    { size, wording: { work: 'A fold of the cross-validation', advice: 'Run the command again (fresh workers start).' } },
  );
  try {
    return await pool.map(splits, (api, split) => api.trainFold(dataset, split, config, spec));
  } finally {
    pool.terminate();
  }
}
