/**
 * A hybrid model: a mechanistic population PK/PD model of a study (src/pkpd/population) whose
 * covariate model is a network. The network (any encoder, with one head per shifted parameter)
 * maps a subject's covariates to log shifts of the typical values of the structural parameters
 * that vary between subjects:
 *
 *   P_i = θ_P · e^{s_P(x_i)} · e^{η_P,i}        s_P = Σ_c θ_{P~z(c)} z_c + ω_P · network_P(z)
 *
 * z: the standardised covariates (positive ones with more than two values on the log scale). The
 * linear part is a classical covariate model — power effects of log-scale covariates, exponential
 * ones of the rest — whose θ FOCE-I estimates with the rest of the population model; the network
 * learns what it leaves (hybrid-fit.ts). Beyond the trial's covariates the network's part levels off
 * and the linear part goes on, as the classical forms extrapolate.
 *
 * Between-subject random effects η (Ω), the residual error and θ stay those of the population model,
 * so it is a mixed-effects model: fitted end to end by hybrid-fit.ts, simulated and asked dose
 * questions by the study engine as any mechanistic model (the network runs once per subject; dose
 * history, superposition and steady state are the structural model's). The engine reads z as
 * covariates `inputColumn(c)` and the network's part as `networkColumn(P)` (parameter-model.ts).
 *
 * Each head predicts in units of ω_P (the SD of η_P at the first fit): its mean squared error is
 * then the η prior term Σ η²/ω² of the population objective (hybrid-fit.ts).
 */
import { tensor2d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { DerivedCovariates } from '../../dose/study-simulator';
import type { StudyPopulationModel } from '../../pkpd/population/fit-study';
import type { HybridScalers } from './hybrid-evaluation';
import { inputColumn, networkColumn } from '../../pkpd/population/parameter-model';
import type { ModelParameter, StudySpec } from '../../study/study-spec';
import { INFERENCE } from '../layers';
import { BASELINE_PD_EFFECT } from '../../dose/network-simulator';
import { BASELINE_PD_COLUMN, drawBaselines, type HybridBaseline } from './hybrid-baseline';
import type { Network } from '../network';

/**
 * How covariates enter the network: upper-case columns, each on the log scale where `log` says so
 * (positive covariates with more than two values: body size enters as in allometric models), then
 * standardised with the training subjects' mean and SD.
 */
export interface HybridInputs {
  readonly columns: readonly string[];
  readonly log: readonly boolean[];
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
  /** The training subjects' baseline PD by stratum, when the network reads it (hybrid-baseline.ts; its column among the inputs). */
  readonly baseline?: HybridBaseline;
}

/** A subject's network inputs: standardised covariates (a missing value at the mean, 0). */
function hybridInputRow(inputs: HybridInputs, covariates: Readonly<Record<string, number>>, out: Float32Array, offset = 0): void {
  inputs.columns.forEach((c, j) => {
    const x = inputs.log[j] ? Math.log(covariates[c]) : covariates[c];
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

/** The network's part of the log shifts for each subject, [n][k] (× ω). */
export function networkShifts(model: HybridModel, subjects: readonly Readonly<Record<string, number>>[]): Float64Array[] {
  const k = model.shifted.length;
  const out = headOutputs(model.network, hybridInputs(model.inputs, subjects), subjects.length);
  return subjects.map((_, i) => Float64Array.from(model.scale, (s, j) => out[i * k + j] * s));
}

/** The whole log shift of each shifted parameter for each subject, [n][k]: linear part + network. */
export function parameterShifts(model: HybridModel, subjects: readonly Readonly<Record<string, number>>[]): Float64Array[] {
  const x = hybridInputs(model.inputs, subjects);
  const width = model.inputs.columns.length;
  return networkShifts(model, subjects).map((shift, i) =>
    shift.map((v, j) => {
      let total = v;
      model.inputs.columns.forEach((c, m) => (total += (model.population.theta[`${model.shifted[j]}~z(${c})`] ?? 0) * x[i * width + m]));
      return total;
    }),
  );
}

/**
 * Each subject's covariates with what the engine reads of the hybrid model: the standardised inputs
 * (`inputColumn`) and the network's part of the shifts (`networkColumn`, from `networkShifts`).
 */
export function withHybridCovariates(
  model: Pick<HybridModel, 'shifted' | 'inputs'>,
  subjects: readonly Readonly<Record<string, number>>[],
  shifts: readonly ArrayLike<number>[],
): Record<string, number>[] {
  const width = model.inputs.columns.length;
  const x = hybridInputs(model.inputs, subjects);
  return subjects.map((covariates, i) => {
    const out: Record<string, number> = { ...covariates };
    model.inputs.columns.forEach((c, m) => (out[inputColumn(c)] = x[i * width + m]));
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
  const baseline = model.baseline;
  const written = [...model.shifted.map(networkColumn), ...model.inputs.columns.map(inputColumn)];
  return {
    // A virtual subject's baseline PD is drawn (hybrid-baseline.ts), not given by the scenario.
    inputs: model.inputs.columns.filter((c) => c !== BASELINE_PD_COLUMN),
    outputs: baseline ? [...written, BASELINE_PD_COLUMN] : written,
    ...(baseline ? { randomEffects: [BASELINE_PD_EFFECT] } : {}),
    derive(covariates, size, random) {
      const kept = made.get(covariates);
      if (kept && Object.values(kept).every((column) => column.length === size)) return kept;
      const given: Record<string, Float64Array | undefined> = { ...covariates };
      let drawn: ReturnType<typeof drawBaselines> | null = null;
      // A population that gives the baseline (a scenario's distribution of it) keeps it; otherwise it is drawn.
      if (baseline && !covariates[BASELINE_PD_COLUMN]) {
        const z = random[BASELINE_PD_EFFECT];
        if (!z) throw new Error(`hybridDerivedCovariates: the population has no ${BASELINE_PD_EFFECT} draws`);
        drawn = given[BASELINE_PD_COLUMN] = drawBaselines(baseline, covariates, z);
      }
      const rows = Array.from({ length: size }, (_, i) =>
        Object.fromEntries(model.inputs.columns.map((c) => [c, given[c]?.[i] ?? Number.NaN])),
      );
      const records = withHybridCovariates(model, rows, networkShifts(model, rows));
      const out: Record<string, Float64Array> = Object.fromEntries(written.map((c) => [c, Float64Array.from(records, (r) => r[c])]));
      const pd0 = drawn ?? covariates[BASELINE_PD_COLUMN];
      if (baseline && pd0) out[BASELINE_PD_COLUMN] = pd0;
      made.set(covariates, out);
      return out;
    },
  };
}
