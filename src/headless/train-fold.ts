/**
 * One training of the headless `train` command on one split (the reference split, or one fold of
 * cv5): the model trained on the split's development subjects (trainPkPd, or a hybrid model's fit
 * for head 'mechanistic'), then read once on its test subjects, as the command prints it. The same
 * function runs in the page (the serial path) and in a fold worker (workers/train-fold.worker.ts,
 * cv5 folds on a pool).
 */
import { createSplitView, type SubjectSplit } from '../data/splits/index';
import type { StudySpec } from '../study/study-spec';
import type { Dataset } from '../data/types';
import { disposeModel, evaluateFinal, type ModelMode, type PkPdTrainingOptions, trainPkPd, type ValidationMetrics } from '../model/index';
import { type BackendChoice, type BackendRequest, chooseBackend } from '../platform/compute-backend';
import { activateBackend } from '../platform/tfjs-runtime';
import { probeWebGpu } from '../platform/webgpu-probe';
import type { EncoderName } from '../quantum/resources/architecture';
import type { HybridFitOptions } from '../model/mechanistic/hybrid-fit';
import { disposeHybridModel } from '../model/mechanistic/hybrid-model';
import { evaluateHybridFinal, trainHybrid } from '../model/mechanistic/hybrid-run';

export const TRAIN_SPLITS = ['reference', 'cv5'] as const;
export type TrainSplit = (typeof TRAIN_SPLITS)[number];

/** What the encoder's output is: the observations (the seed's direct head) or a mechanistic model's parameters (hybrid). */
export const TRAIN_HEADS = ['direct', 'mechanistic'] as const;
export type TrainHead = (typeof TRAIN_HEADS)[number];

export interface TrainConfig {
  csv: string;
  head: TrainHead;
  encoder: EncoderName;
  mode: ModelMode;
  qubits: number;
  layers: number;
  seed: number;
  split: TrainSplit;
  split_seed: number;
  epochs: number;
  backend: BackendRequest;
}

export type Metrics = { val: ValidationMetrics; test: ValidationMetrics };

export async function useBackend(request: BackendRequest): Promise<BackendChoice> {
  const choice = chooseBackend(request, await probeWebGpu());
  await activateBackend(choice.backend);
  return choice;
}

export interface FoldResult {
  split: string;
  val_ids: string[];
  test_ids: string[];
  metrics: Metrics;
  epochs: Record<string, { run: number; best: number; stop: string }>;
  /** Trainable parameters per branch network. */
  parameters: Record<string, { classical: number; quantum: number; total: number }>;
  /** Per branch: the training loss and the validation loss of every epoch (z-units MSE). */
  curves: Record<string, { train: number[]; val: (number | null)[] }>;
  seconds: number;
  /** A hybrid model's fit (head "mechanistic"). */
  hybrid?: Record<string, unknown>;
}

/** The model-library training options of a headless configuration (and its study). */
export function trainingOptions(config: TrainConfig, spec?: StudySpec): PkPdTrainingOptions {
  return {
    ...(spec ? { study: spec } : {}),
    mode: config.mode,
    encoder: config.encoder,
    architecture: { nQubits: config.qubits, nLayers: config.layers },
    training: { epochs: config.epochs },
    seed: config.seed,
  };
}

/** The hybrid model's fitting options of a headless configuration (mode does not apply: one network gives every parameter). */
export function hybridOptions(config: TrainConfig): Omit<HybridFitOptions, 'trainIds'> {
  return {
    encoder: config.encoder,
    architecture: { nQubits: config.qubits, nLayers: config.layers },
    training: { epochs: config.epochs },
    seed: config.seed,
  };
}

async function trainHybridOnSplit(dataset: Dataset, split: SubjectSplit, config: TrainConfig, spec: StudySpec): Promise<FoldResult> {
  const started = performance.now();
  const view = createSplitView(dataset, split);
  const trained = await trainHybrid(view, spec, hybridOptions(config));
  const { fit } = trained;
  try {
    const test = evaluateHybridFinal(fit.model, view);
    const count = fit.model.network.parameters.count();
    return {
      split: split.name,
      val_ids: view.val.map((s) => split.ids[s]),
      test_ids: [...view.testIds],
      metrics: { val: trained.validation, test },
      epochs: Object.fromEntries(
        fit.rounds.map((r) => [`round${r.round}`, { run: r.epochs.run, best: r.epochs.best, stop: r.epochs.stop }]),
      ),
      parameters: { hybrid: count },
      curves: {},
      seconds: round((performance.now() - started) / 1000, 2),
      hybrid: {
        shifted: fit.model.shifted,
        inputs: fit.model.inputs.columns,
        structure: { pk: fit.fit.pk?.label ?? null, pd: fit.fit.pd?.label ?? null },
        ofv: { without_covariates: round(fit.base.ofv, 3), rounds: fit.rounds.map((r) => round(r.ofv, 3)), kept_round: fit.keptRound },
        network_loss: fit.rounds.map((r) => ({ train: round(r.trainLoss, 4), val: r.valLoss === null ? null : round(r.valLoss, 4) })),
        theta: fit.model.population.theta,
        omega: fit.model.population.omega,
        notes: fit.notes,
      },
    };
  } finally {
    disposeHybridModel(fit.model);
  }
}

export async function trainOnSplit(dataset: Dataset, split: SubjectSplit, config: TrainConfig, spec: StudySpec): Promise<FoldResult> {
  if (config.head === 'mechanistic') return trainHybridOnSplit(dataset, split, config, spec);
  const started = performance.now();
  const view = createSplitView(dataset, split);
  const trained = await trainPkPd(view, trainingOptions(config, spec));
  try {
    const test = evaluateFinal(trained.model, view).metrics;
    const epochs = Object.fromEntries(
      Object.entries(trained.training).map(([branch, r]) => [branch, { run: r.epochsRun, best: r.bestEpoch, stop: r.stopReason }]),
    );
    const parameters = Object.fromEntries(trained.model.branches.map((b) => [b.name, b.network.parameters.count()]));
    const curves = Object.fromEntries(
      Object.entries(trained.training).map(([branch, r]) => [
        branch,
        {
          train: r.history.map((h) => round(h.trainLoss, 5)),
          val: r.history.map((h) => (h.valLoss === null ? null : round(h.valLoss, 5))),
        },
      ]),
    );
    return {
      split: split.name,
      val_ids: view.val.map((s) => split.ids[s]),
      test_ids: [...view.testIds],
      metrics: { val: trained.validation, test },
      epochs,
      parameters,
      curves,
      seconds: round((performance.now() - started) / 1000, 2),
    };
  } finally {
    disposeModel(trained.model);
  }
}

export const round = (x: number, digits: number): number => Number(x.toFixed(digits));
