/**
 * What the app keeps about a trained model besides its weights: where it came from, how it was
 * trained, what it scored and whether its test subjects were read. Plain data (structured-clone and
 * JSON friendly); stored beside the ModelDocument and written into exported model files.
 */
import type { ComputeBackend } from '../platform/compute-backend';
import type { TargetMetrics } from './metrics';
import type { ReportLabels } from './report/labels';
import type { TrainingCurvePoint } from './report/types';
import type { StopReason } from './train-network';
import type { TrainingConfig } from './training-config';

export interface ParameterCount {
  readonly classical: number;
  readonly quantum: number;
  readonly total: number;
}

export interface BranchEpochs {
  readonly run: number;
  /** The epoch whose weights the model holds (0: none finished). */
  readonly best: number;
  readonly stop: StopReason;
}

export interface SubjectMetrics {
  readonly pk: TargetMetrics | null;
  readonly pd: TargetMetrics | null;
}

export interface BackendUsed {
  readonly backend: ComputeBackend;
  readonly adapter: string;
  readonly reason: string;
}

export interface SplitFacts {
  readonly name: string;
  readonly rule: string;
  readonly valIds: readonly string[];
  readonly testIds: readonly string[];
}

export interface TrainedModelFacts {
  readonly datasetId: string | null;
  readonly datasetName: string;
  /** datasetFingerprint of the data it was trained on. */
  readonly fingerprint: string;
  readonly config: TrainingConfig;
  readonly backendUsed: BackendUsed;
  readonly split: SplitFacts;
  /** Per branch ('pk', 'pd' or 'pkpd'). */
  readonly parameters: Readonly<Record<string, ParameterCount>>;
  readonly validation: SubjectMetrics;
  /** Set once, by the final test evaluation. */
  readonly test: SubjectMetrics | null;
  readonly testEvaluatedAt: number | null;
  readonly curves: readonly TrainingCurvePoint[];
  /** Branch → MoE block → training rows routed to each expert. */
  readonly expertUsage: Readonly<Record<string, number[][]>>;
  readonly epochs: Readonly<Record<string, BranchEpochs>>;
  /** Training was stopped by the user; the model holds the best epochs reached so far. */
  readonly cancelled: boolean;
  readonly seconds: number;
  /**
   * The study's units and endpoint names the model was trained with, and the criterion of its head (or
   * of the study's questions); absent in models saved before they were recorded (trainedModelLabels).
   */
  readonly labels?: ReportLabels;
  /** The mechanistic head's fit (absent for the direct head). */
  readonly hybrid?: HybridFacts;
}

/** What a hybrid model's fit found (the mechanistic head): what the network shifts, from what, and the objective per round. */
export interface HybridFacts {
  /** Parameters the network shifts (those with a random effect on the log scale). */
  readonly shifted: readonly string[];
  /** Covariate columns the network reads. */
  readonly inputs: readonly string[];
  /** The resolved structure (e.g. "2-compartment oral" and the PD family). */
  readonly structure: { readonly pk: string | null; readonly pd: string | null };
  /** FOCE-I objective without covariates, after each round, and the round kept (lowest). */
  readonly ofv: { readonly withoutCovariates: number; readonly rounds: readonly number[]; readonly keptRound: number };
}

/** A stored (or exported) model's description. */
export interface TrainedModelMeta extends TrainedModelFacts {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}
