/**
 * A hybrid model: a mechanistic population PK/PD model of a study (src/pkpd/population) whose
 * covariate model is a network. The network (any encoder, with one head per shifted parameter)
 * maps a subject's covariates to log shifts of the typical values of the structural parameters
 * that vary between subjects:
 *
 *   P_i = θ_P · e^{s_P(x_i)} · e^{η_P,i}        s = network(standardised covariates) · ω_P
 *
 * Between-subject random effects η (Ω), the residual error and θ stay those of the population model,
 * so it is a mixed-effects model: fitted end to end by hybrid-fit.ts, simulated and asked dose
 * questions by the study engine as any mechanistic model (the network runs once per subject; dose
 * history, superposition and steady state are the structural model's). The shifts reach the engine
 * as covariates named `networkColumn(P)` (parameter-model.ts "network" effects).
 *
 * Each head predicts the shift in units of ω_P (the SD of η_P at the first fit): its mean squared
 * error is then the η prior term Σ η²/ω² of the population objective (hybrid-fit.ts).
 */
import { tensor2d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { DerivedCovariates } from '../../dose/study-simulator';
import type { StudyPopulationModel } from '../../pkpd/population/fit-study';
import type { HybridScalers } from './hybrid-evaluation';
import { networkColumn } from '../../pkpd/population/parameter-model';
import type { ModelParameter, StudySpec } from '../../study/study-spec';
import { INFERENCE } from '../layers';
import type { Network } from '../network';

/** How covariates enter the network: upper-case columns, standardised with the training subjects' mean and SD. */
export interface HybridInputs {
  readonly columns: readonly string[];
  readonly mean: readonly number[];
  readonly sd: readonly number[];
}

export interface HybridModel {
  /** The study, its structure resolved (compartments, PD family) and its covariate effects those of the population model. */
  readonly spec: StudySpec;
  /** θ, Ω and residual error, with a "network" effect on each shifted parameter. */
  readonly population: StudyPopulationModel;
  /** Shifted parameters, in the network's head order. */
  readonly shifted: readonly ModelParameter[];
  /** Per shifted parameter: the log shift per unit of the head's output (ω of the first fit). */
  readonly scale: readonly number[];
  readonly inputs: HybridInputs;
  /** Target scalers of the training subjects' observations, for metrics in the direct head's z-units. */
  readonly scalers: HybridScalers;
  readonly network: Network;
}

/** A subject's network inputs: standardised covariates (a missing value at the mean, 0). */
export function hybridInputRow(inputs: HybridInputs, covariates: Readonly<Record<string, number>>, out: Float32Array, offset = 0): void {
  inputs.columns.forEach((c, j) => {
    const x = covariates[c];
    out[offset + j] = Number.isFinite(x) ? (x - inputs.mean[j]) / inputs.sd[j] : 0;
  });
}

/** The network's inputs for subjects' covariates, [n × columns]. */
export function hybridInputs(inputs: HybridInputs, subjects: readonly Readonly<Record<string, number>>[]): Float32Array {
  const width = inputs.columns.length;
  const x = new Float32Array(subjects.length * width);
  subjects.forEach((s, i) => hybridInputRow(inputs, s, x, i * width));
  return x;
}

/** Network outputs (head units) for input rows; one forward pass in inference mode. */
export function headOutputs(network: Network, x: Float32Array, rows: number): Float32Array {
  if (rows === 0) return new Float32Array(0);
  const columns = x.length / rows;
  const out = tidy(() => network.forward(tensor2d(x, [rows, columns]) as Tensor2D, INFERENCE).regression);
  try {
    return out.dataSync() as Float32Array;
  } finally {
    out.dispose();
  }
}

/** Log shifts of the shifted parameters for each subject, [n][k]. */
export function parameterShifts(model: HybridModel, subjects: readonly Readonly<Record<string, number>>[]): Float64Array[] {
  const k = model.shifted.length;
  const out = headOutputs(model.network, hybridInputs(model.inputs, subjects), subjects.length);
  return subjects.map((_, i) => Float64Array.from(model.scale, (s, j) => out[i * k + j] * s));
}

/** Each subject's covariates with its network shifts (`networkColumn(P)`), what the engine reads. */
export function withParameterShifts(
  model: Pick<HybridModel, 'shifted'>,
  subjects: readonly Readonly<Record<string, number>>[],
  shifts: readonly ArrayLike<number>[],
): Record<string, number>[] {
  return subjects.map((covariates, i) => {
    const out: Record<string, number> = { ...covariates };
    model.shifted.forEach((p, j) => (out[networkColumn(p)] = shifts[i][j]));
    return out;
  });
}

export function disposeHybridModel(model: HybridModel): void {
  model.network.dispose();
}

/**
 * The network as derived covariates of the study engine's dose simulator: it runs once per virtual
 * subject. The shifts of a population are kept (by its covariate columns' object) for the other
 * simulators made from the same model — the parameter-uncertainty replicates, which vary θ and Ω and
 * hold the network.
 */
export function hybridDerivedCovariates(model: HybridModel): DerivedCovariates {
  const made = new WeakMap<object, Record<string, Float64Array>>();
  return {
    inputs: model.inputs.columns,
    outputs: model.shifted.map(networkColumn),
    derive(covariates, size) {
      const kept = made.get(covariates);
      if (kept && Object.values(kept).every((column) => column.length === size)) return kept;
      const rows = Array.from({ length: size }, (_, i) =>
        Object.fromEntries(model.inputs.columns.map((c) => [c, covariates[c]?.[i] ?? Number.NaN])),
      );
      const shifts = parameterShifts(model, rows);
      const out = Object.fromEntries(model.shifted.map((p, j) => [networkColumn(p), Float64Array.from(shifts, (s) => s[j])]));
      made.set(covariates, out);
      return out;
    },
  };
}
