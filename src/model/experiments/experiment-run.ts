/**
 * One training run of an experiment: a quantum encoder (or its width-matched control) at a given
 * circuit size, trained by trainPkPd on the split's development subjects; and the summaries both
 * experiments read from it.
 */
import type { SplitView } from '../../data/splits/view';
import {
  ENCODER_LABELS,
  type ArchitectureConfig,
  type EncoderName,
  isEncoderName,
  isQuantumEncoder,
} from '../../quantum/resources/architecture';
import { ModelConfigError } from '../errors';
import { MODEL_MODES, type ModelMode, type PkPdModel } from '../pkpd-model';
import type { QuantumBlockKind } from '../quantum-block';
import type { TrainingOptions, TrainingResult } from '../train-network';
import { type BranchProgress, type PkPdTrainingResult, trainPkPd } from '../train-pkpd';
import { QUANTUM_ENCODERS } from './quantum-encoders';
import type { CancelSignal } from '../../data/cancel';
import type { StudySpec } from '../../study/study-spec';

/** What every run of an experiment shares. */
export interface ExperimentSettings {
  readonly mode: ModelMode;
  /** Seeds weights, batch order, dropout and noise (default 0). */
  readonly seed?: number;
  readonly training?: Partial<Omit<TrainingOptions, 'seed'>>;
  /** Architecture overrides; the qubits and layers come from the experiment. */
  readonly architecture?: Partial<Omit<ArchitectureConfig, 'nInputs' | 'nQubits' | 'nLayers'>>;
  /** The study the data follow (features, endpoints; trainPkPd's `study`); absent: the feature code's defaults (no covariates). */
  readonly study?: StudySpec;
}

export interface RunSpec {
  readonly encoder: EncoderName;
  readonly quantumBlocks: QuantumBlockKind;
  readonly nQubits: number;
  readonly nLayers: number;
}

export interface ParameterCount {
  readonly classical: number;
  readonly quantum: number;
  readonly total: number;
}

export function checkSettings(settings: ExperimentSettings): void {
  if (!MODEL_MODES.includes(settings.mode))
    throw new ModelConfigError(`unknown mode ${String(settings.mode)}; valid modes: ${MODEL_MODES.join(', ')}`);
  const seed = settings.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new ModelConfigError(`the seed must be a whole number ≥ 0, got ${seed}`);
}

export function checkQuantumEncoder(encoder: unknown): asserts encoder is EncoderName {
  if (!isEncoderName(encoder) || !isQuantumEncoder(encoder)) {
    throw new ModelConfigError(`${String(encoder)} is not a quantum encoder; choose one of ${QUANTUM_ENCODERS.join(', ')}`);
  }
}

export const runLabel = (spec: Pick<RunSpec, 'encoder' | 'quantumBlocks'>): string =>
  spec.quantumBlocks === 'circuit' ? ENCODER_LABELS[spec.encoder] : `${ENCODER_LABELS[spec.encoder]} control`;

export function trainRun(
  view: SplitView,
  settings: ExperimentSettings,
  spec: RunSpec,
  hooks: { onEpoch?: (progress: BranchProgress) => void; signal?: CancelSignal },
): Promise<PkPdTrainingResult> {
  return trainPkPd(
    view,
    {
      ...(settings.study ? { study: settings.study } : {}),
      mode: settings.mode,
      encoder: spec.encoder,
      quantumBlocks: spec.quantumBlocks,
      architecture: { ...settings.architecture, nQubits: spec.nQubits, nLayers: spec.nLayers },
      training: settings.training,
      seed: settings.seed ?? 0,
    },
    hooks,
  );
}

/** The network whose validation loss an experiment reads: the PD branch, or the multitask network (a study without PD: the PK network). */
export function monitoredTraining(result: PkPdTrainingResult): TrainingResult {
  const training = result.training.pd ?? result.training.pkpd ?? result.training.pk;
  if (!training) throw new Error('experiment: the model has no network');
  return training;
}

/** Trainable parameters of all the model's networks together. */
export function modelParameters(model: PkPdModel): ParameterCount {
  return model.branches.reduce(
    (sum, b) => {
      const c = b.network.parameters.count();
      return { classical: sum.classical + c.classical, quantum: sum.quantum + c.quantum, total: sum.total + c.total };
    },
    { classical: 0, quantum: 0, total: 0 },
  );
}
