/** A plausible TrainedModelFacts for the store and model-file tests (not used by the app). */
import type { TargetMetrics } from './metrics';
import type { TrainedModelFacts } from './trained-model';
import { DEFAULT_TRAINING_CONFIG } from './training-config';

const metrics = (rmse: number): TargetMetrics => ({ n: 40, rmse_z: rmse / 3, mae_z: rmse / 4, r2_z: 0.8, rmse, mae: rmse * 0.75, r2: 0.8 });

export function exampleFacts(overrides: Partial<TrainedModelFacts> = {}): TrainedModelFacts {
  return {
    datasetId: 'dataset-1',
    datasetName: 'EstData',
    fingerprint: '43ce49c019bf6eba',
    config: { ...DEFAULT_TRAINING_CONFIG, hidden: 8, depth: 1, qubits: 2, layers: 1, epochs: 2 },
    backendUsed: { backend: 'cpu', adapter: 'none', reason: 'TF.js CPU (JavaScript) path, as requested' },
    split: { name: 'reference', rule: 'published reference split', valIds: ['16', '36', '46'], testIds: ['19', '32', '48'] },
    parameters: { pk: { classical: 900, quantum: 6, total: 906 }, pd: { classical: 910, quantum: 6, total: 916 } },
    validation: { pk: metrics(2.1), pd: metrics(0.93) },
    test: null,
    testEvaluatedAt: null,
    curves: [
      { branch: 'pk', epoch: 1, trainLoss: 0.9, valLoss: 0.8 },
      { branch: 'pd', epoch: 1, trainLoss: 0.7, valLoss: null },
    ],
    expertUsage: { pk: [[10, 20]], pd: [[15, 15]] },
    epochs: { pk: { run: 2, best: 2, stop: 'max-epochs' }, pd: { run: 2, best: 1, stop: 'max-epochs' } },
    cancelled: false,
    seconds: 1.5,
    ...overrides,
  };
}
