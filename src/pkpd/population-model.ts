/**
 * A complete population PK/PD parameter set: fixed effects, between-subject SDs (diagonal Ω, SD of
 * η on the log scale) and residual error. Used as the truth for simulated trials and as the shape
 * of fitted results.
 *
 * Residual error: PK log-additive, log DV = log C + ε (ε ~ N(0, σ_log²), ≈ proportional CV σ_log);
 * PD combined, DV = R (1 + ε_prop) + ε_add (σ_add = 0 gives proportional error).
 */
import type { PdEtaName, PdFixedEffects, PkEtaName, PkFixedEffects } from './covariates';
import type { Rng } from './random';

export interface PkPopulation {
  fixed: PkFixedEffects;
  /** SD of η per parameter with between-subject variability. */
  omega: Partial<Record<PkEtaName, number>>;
  /** SD of the log-additive residual error. */
  sigmaLog: number;
}

export interface PdPopulation {
  fixed: PdFixedEffects;
  omega: Partial<Record<PdEtaName, number>>;
  sigmaProp: number;
  sigmaAdd: number;
}

export interface PopulationModel {
  pk: PkPopulation;
  pd: PdPopulation;
}

/** Close to the one-compartment reference fit of EstData in docs/mechanistic-model.md. */
export const ESTDATA_LIKE_MODEL: PopulationModel = {
  pk: {
    fixed: { compartments: 1, cl: 0.04, v: 6.9, ka: 1, betaCl: 1.3, betaV: 1.1, comedOnCl: 1 },
    omega: { cl: 0.25, v: 0.1 },
    sigmaLog: 0.2,
  },
  pd: {
    fixed: { base: 10, comedOnBase: 0.76, kout: 0.015, imax: 0.88, ic50: 1.2 },
    omega: { base: 0.21 },
    sigmaProp: 0.1,
    sigmaAdd: 0,
  },
};

/** Draws η for each parameter named in `omega` (in the order given by `names`). */
export function sampleEtas<N extends string>(omega: Partial<Record<N, number>>, names: readonly N[], rng: Rng): Partial<Record<N, number>> {
  const eta: Partial<Record<N, number>> = {};
  for (const name of names) {
    const sd = omega[name];
    if (sd !== undefined && sd > 0) eta[name] = sd * rng.normal();
  }
  return eta;
}
