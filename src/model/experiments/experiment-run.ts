/**
 * One training run of an experiment: a quantum encoder (or its width-matched control) at a given
 * circuit size, trained on the split's development subjects by the chosen output head — direct
 * (trainPkPd: the networks predict the observations) or mechanistic (trainHybrid: the network is the
 * covariate model of the study's population model) — and what both experiments read from it, in one
 * shape for both heads (`TrainedRun`).
 */
import type { SplitView } from '../../data/splits/view';
import {
  ENCODER_LABELS,
  type ArchitectureConfig,
  type EncoderName,
  isEncoderName,
  isQuantumEncoder,
} from '../../quantum/resources/architecture';
import { FitCancelledError } from '../../pkpd/errors';
import { ModelConfigError } from '../errors';
import { type HybridTraining, evaluateHybridFinal, trainHybrid } from '../mechanistic/hybrid-run';
import { disposeHybridModel } from '../mechanistic/hybrid-model';
import { disposeModel, MODEL_MODES, type ModelMode, type PkPdModel } from '../pkpd-model';
import type { QuantumBlockKind } from '../quantum-block';
import type { EpochProgress, TrainingOptions, TrainingResult } from '../train-network';
import { evaluateFinal, type PkPdTrainingResult, trainPkPd, type ValidationMetrics } from '../train-pkpd';
import { TRAINING_HEADS, type TrainingHead } from '../training-config';
import { hybridInferenceMicrosecondsPerSubject, inferenceMicrosecondsPerSample } from './inference-timing';
import type { RunEpoch } from './progress';
import { QUANTUM_ENCODERS } from './quantum-encoders';
import type { CancelSignal } from '../../data/cancel';
import type { StudySpec } from '../../study/study-spec';

/** What every run of an experiment shares. */
export interface ExperimentSettings {
  /** The direct head's mode (the mechanistic head has none: one network gives every parameter). */
  readonly mode: ModelMode;
  /** What the encoder's output is (default 'direct'); 'mechanistic' needs `study`. */
  readonly head?: TrainingHead;
  /** Seeds weights, batch order, dropout and noise (default 0). */
  readonly seed?: number;
  readonly training?: Partial<Omit<TrainingOptions, 'seed'>>;
  /** Architecture overrides; the qubits and layers come from the experiment. */
  readonly architecture?: Partial<Omit<ArchitectureConfig, 'nInputs' | 'nQubits' | 'nLayers'>>;
  /**
   * The study the data follow (features, endpoints; trainPkPd's `study`; the mechanistic head's
   * population model); absent: the feature code's defaults (no covariates), and no mechanistic head.
   */
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

/**
 * The network training an experiment reads. Direct head: the PD network (multitask: the network; a
 * study without PD: the PK network), losses MSE in z-units. Mechanistic head: the network step of
 * the hybrid fit's kept round, losses mean squared η/ω on its stopping subjects.
 */
export type MonitoredTraining = Pick<TrainingResult, 'bestLoss' | 'bestEpoch' | 'epochsRun' | 'history'>;

/** One trained run as the experiments read it, whichever the head. */
export interface TrainedRun {
  /** Trainable parameters: all the model's networks (mechanistic head: its covariate network). */
  readonly parameters: ParameterCount;
  readonly monitored: MonitoredTraining;
  /** Metrics on the validation subjects (mechanistic head: the typical predictions'). */
  readonly validation: ValidationMetrics;
  readonly seconds: number;
  /** The final evaluation on the withheld test subjects: call once per model, after it is chosen. */
  test(): ValidationMetrics;
  /** Median µs per sample (direct head: per observation; mechanistic head: per subject, the network's pass). */
  inferenceMicroseconds(): number;
  dispose(): void;
}

export interface RunHooks {
  readonly onEpoch?: (epoch: RunEpoch) => void;
  readonly signal?: CancelSignal;
}

const NEEDS_STUDY = 'the mechanistic head needs the study spec: its population model is what the network is the covariate model of';

export const experimentHead = (settings: ExperimentSettings): TrainingHead => settings.head ?? 'direct';

export function checkSettings(settings: ExperimentSettings): void {
  const head = experimentHead(settings);
  if (!TRAINING_HEADS.includes(head)) throw new ModelConfigError(`unknown head ${String(head)}; valid heads: ${TRAINING_HEADS.join(', ')}`);
  if (head === 'mechanistic' && !settings.study) throw new ModelConfigError(NEEDS_STUDY);
  if (head === 'direct' && !MODEL_MODES.includes(settings.mode))
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

/** Trains one run with the settings' head; null when cancelled (nothing is left to dispose). */
export function trainRun(view: SplitView, settings: ExperimentSettings, spec: RunSpec, hooks: RunHooks): Promise<TrainedRun | null> {
  return experimentHead(settings) === 'mechanistic'
    ? trainHybridRun(view, settings, spec, hooks)
    : trainDirectRun(view, settings, spec, hooks);
}

/** The options both heads' trainings take alike: the network (the run's circuit size) and its training. */
const networkOptions = (settings: ExperimentSettings, spec: RunSpec) => ({
  encoder: spec.encoder,
  quantumBlocks: spec.quantumBlocks,
  architecture: { ...settings.architecture, nQubits: spec.nQubits, nLayers: spec.nLayers },
  training: settings.training,
  seed: settings.seed ?? 0,
});

async function trainDirectRun(view: SplitView, settings: ExperimentSettings, spec: RunSpec, hooks: RunHooks): Promise<TrainedRun | null> {
  const order: readonly string[] = settings.mode === 'multitask' ? ['pkpd'] : ['pk', 'pd'];
  const result = await trainPkPd(
    view,
    {
      ...(settings.study ? { study: settings.study } : {}),
      mode: settings.mode,
      ...networkOptions(settings, spec),
    },
    {
      signal: hooks.signal,
      onEpoch: (epoch) => hooks.onEpoch?.({ ...epoch, step: order.indexOf(epoch.branch) + 1, steps: order.length }),
    },
  );
  if (result.cancelled) {
    disposeModel(result.model);
    return null;
  }
  return {
    parameters: modelParameters(result.model),
    monitored: monitoredTraining(result),
    validation: result.validation,
    seconds: result.seconds,
    test: () => evaluateFinal(result.model, view).metrics,
    inferenceMicroseconds: () => inferenceMicrosecondsPerSample(result.model, view),
    dispose: () => disposeModel(result.model),
  };
}

async function trainHybridRun(view: SplitView, settings: ExperimentSettings, spec: RunSpec, hooks: RunHooks): Promise<TrainedRun | null> {
  const study = settings.study;
  if (!study) throw new ModelConfigError(NEEDS_STUDY);
  // Each round's network-step epochs: the kept round's are the monitored history.
  const histories = new Map<number, EpochProgress[]>();
  let trained: HybridTraining;
  try {
    trained = await trainHybrid(view, study, networkOptions(settings, spec), {
      signal: hooks.signal,
      onProgress: ({ round, rounds, epoch }) => {
        if (!epoch) return;
        histories.set(round, [...(histories.get(round) ?? []), epoch]);
        hooks.onEpoch?.({ ...epoch, branch: `round${round}`, step: round, steps: rounds });
      },
    });
  } catch (error) {
    if (error instanceof FitCancelledError) return null;
    throw error;
  }
  const { fit, validation } = trained;
  const kept = fit.rounds.find((r) => r.round === fit.keptRound);
  if (!kept) throw new Error(`experiment: the hybrid fit kept round ${fit.keptRound}, which it does not report`);
  return {
    parameters: fit.model.network.parameters.count(),
    monitored: {
      bestLoss: kept.valLoss ?? kept.trainLoss,
      bestEpoch: kept.epochs.best,
      epochsRun: kept.epochs.run,
      history: histories.get(kept.round) ?? [],
    },
    validation,
    seconds: fit.seconds,
    test: () => evaluateHybridFinal(fit.model, view),
    inferenceMicroseconds: () => hybridInferenceMicrosecondsPerSubject(fit.model, view),
    dispose: () => disposeHybridModel(fit.model),
  };
}

/** The direct model's monitored network: the PD branch, or the multitask network (a study without PD: the PK network). */
function monitoredTraining(result: PkPdTrainingResult): TrainingResult {
  const training = result.training.pd ?? result.training.pkpd ?? result.training.pk;
  if (!training) throw new Error('experiment: the model has no network');
  return training;
}

/** Trainable parameters of all the direct model's networks together. */
function modelParameters(model: PkPdModel): ParameterCount {
  return model.branches.reduce(
    (sum, b) => {
      const c = b.network.parameters.count();
      return { classical: sum.classical + c.classical, quantum: sum.quantum + c.quantum, total: sum.total + c.total };
    },
    { classical: 0, quantum: 0, total: 0 },
  );
}
