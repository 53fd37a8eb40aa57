/**
 * Known-truth population models for recovery tests, and helpers that simulate a trial through the
 * CSV path (simulateTrial → ingestText → extractSubjects) and line estimates up against the truth.
 */
import { ingestText } from '../../data/ingest';
import type { FoceResult } from '../foce';
import { ESTDATA_LIKE_MODEL, type PdPopulation, type PkPopulation, type PopulationModel } from '../population-model';
import { estDataDesign, simulateTrial, type SimulatedSubject } from '../simulate-trial';
import { extractSubjects, type PkpdSubject } from '../subject-data';

/** Near the one-compartment EstData fit; no COMED effect on CL. */
export const SCENARIO_ESTDATA_1CMT: PopulationModel = ESTDATA_LIKE_MODEL;

/** As above with COMED lowering CL by 40%. */
export const SCENARIO_COMED_ON_CL: PopulationModel = {
  ...ESTDATA_LIKE_MODEL,
  pk: { ...ESTDATA_LIKE_MODEL.pk, fixed: { ...ESTDATA_LIKE_MODEL.pk.fixed, comedOnCl: 0.6 } },
};

/** Near the two-compartment EstData fit (docs/mechanistic-model.md), with IIV on IC50. */
export const SCENARIO_ESTDATA_2CMT: PopulationModel = {
  pk: {
    fixed: { compartments: 2, cl: 0.044, v: 2.6, q: 0.17, v2: 5.9, ka: 0.9, betaCl: 1.3, betaV: 1.0, comedOnCl: 1 },
    omega: { cl: 0.28, v: 0.2 },
    sigmaLog: 0.1,
  },
  pd: {
    fixed: { base: 10, comedOnBase: 0.76, kout: 0.016, imax: 0.9, ic50: 1.0 },
    omega: { base: 0.21, ic50: 0.19 },
    sigmaProp: 0.1,
    sigmaAdd: 0,
  },
};

/** Simulates an EstData-shaped trial (perArm subjects in each of 4 arms) and reads it back. */
export function simulatedTrial(
  model: PopulationModel,
  perArm: number,
  seed: number,
): { subjects: PkpdSubject[]; truth: SimulatedSubject[] } {
  const trial = simulateTrial(model, estDataDesign(perArm), seed);
  const result = ingestText(trial.csv, `simulated-${seed}.csv`);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return { subjects: extractSubjects(result.dataset), truth: trial.subjects };
}

export function simulatedSubjects(model: PopulationModel, perArm: number, seed: number): PkpdSubject[] {
  return simulatedTrial(model, perArm, seed).subjects;
}

/** True values under the FOCE parameter names of the PK fit. */
export function pkTruth(pk: PkPopulation): Record<string, number> {
  const f = pk.fixed;
  const truth: Record<string, number> = {
    CL: f.cl,
    V: f.v,
    ka: f.ka,
    beta_CL: f.betaCl,
    beta_V: f.betaV,
    COMED_CL: f.comedOnCl,
    'sigma(add)': pk.sigmaLog,
  };
  if (f.compartments === 2) {
    truth.Q = f.q ?? NaN;
    truth.V2 = f.v2 ?? NaN;
  }
  for (const [name, sd] of Object.entries(pk.omega)) truth[`omega(${name})`] = sd ?? 0;
  return truth;
}

export function pdTruth(pd: PdPopulation): Record<string, number> {
  const f = pd.fixed;
  const truth: Record<string, number> = {
    BASE: f.base,
    COMED_BASE: f.comedOnBase,
    kout: f.kout,
    Imax: f.imax,
    IC50: f.ic50,
    'sigma(prop)': pd.sigmaProp,
  };
  if (pd.sigmaAdd > 0) truth['sigma(add)'] = pd.sigmaAdd;
  for (const [name, sd] of Object.entries(pd.omega)) truth[`omega(${name})`] = sd ?? 0;
  return truth;
}

export interface RecoveryRow {
  name: string;
  truth: number;
  estimate: number;
  se: number;
  /** estimate / truth */
  ratio: number;
  /** (estimate − truth) / SE */
  z: number;
  /** Truth inside the reported 95% interval. */
  covered: boolean;
}

/** Estimated parameters of a fit beside the truth (parameters without a true value are skipped). */
export function recoveryTable(fit: FoceResult, truth: Record<string, number>): RecoveryRow[] {
  return fit.parameters
    .filter((p) => !p.fixed && truth[p.name] !== undefined)
    .map((p) => {
      const t = truth[p.name];
      return {
        name: p.name,
        truth: t,
        estimate: p.estimate,
        se: p.se,
        ratio: p.estimate / t,
        z: (p.estimate - t) / p.se,
        covered: p.lower <= t && t <= p.upper,
      };
    });
}

export function formatRecovery(rows: RecoveryRow[]): string {
  const line = (r: RecoveryRow): string =>
    `${r.name.padEnd(12)} ${r.truth.toPrecision(4).padStart(9)} ${r.estimate.toPrecision(4).padStart(9)} ${(100 * (r.ratio - 1)).toFixed(1).padStart(7)}% ${r.z.toFixed(2).padStart(6)}`;
  return [
    `${'parameter'.padEnd(12)} ${'truth'.padStart(9)} ${'estimate'.padStart(9)} ${'error'.padStart(8)} ${'z'.padStart(6)}`,
    ...rows.map(line),
  ].join('\n');
}
