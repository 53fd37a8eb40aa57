/**
 * Covariate models: typical values at 70 kg without COMED, power models of body weight, a
 * multiplicative COMED factor, and log-normal between-subject variability (P_i = P_typ · e^{η_i}).
 *
 *   CL = θ_CL (BW/70)^β_CL · θ_COMED,CL^COMED · e^{η_CL}     Q  = θ_Q (BW/70)^β_CL
 *   V  = θ_V  (BW/70)^β_V  · e^{η_V}                          V2 = θ_V2 (BW/70)^β_V
 *   ka = θ_ka · e^{η_ka}
 *   BASE = θ_BASE · θ_COMED,BASE^COMED · e^{η_BASE},   IC50 = θ_IC50 e^{η_IC50},   k_out = θ_kout e^{η_kout}
 * (Q and V2 share the CL and V exponents — the usual allometric convention — unless
 * peripheralAllometry is false.)
 */
import type { IndirectResponseParameters } from './indirect-response';
import type { PkParameters } from './pk-model';

export const REFERENCE_BW = 70;

export interface SubjectCovariates {
  /** Body weight (kg). */
  bw: number;
  /** Concomitant medication, 0 or 1. */
  comed: number;
}

export interface PkFixedEffects {
  compartments: 1 | 2;
  /** Typical clearance at 70 kg, COMED 0 (1000 L/h). */
  cl: number;
  /** Typical (central) volume at 70 kg (1000 L). */
  v: number;
  /** Absorption rate constant (1/h). */
  ka: number;
  /** Inter-compartmental clearance at 70 kg (two compartments only). */
  q?: number;
  /** Peripheral volume at 70 kg (two compartments only). */
  v2?: number;
  betaCl: number;
  betaV: number;
  /** Factor on CL for COMED = 1; 1 means no effect. */
  comedOnCl: number;
  /** Scale Q and V2 with the CL and V exponents (default true); false leaves them unscaled. */
  peripheralAllometry?: boolean;
}

export const PK_ETA_NAMES = ['cl', 'v', 'ka'] as const;
export type PkEtaName = (typeof PK_ETA_NAMES)[number];
export type PkEtas = Partial<Record<PkEtaName, number>>;

export interface PdFixedEffects {
  /** Typical baseline without COMED (ng/mL). */
  base: number;
  /** Factor on BASE for COMED = 1. */
  comedOnBase: number;
  kout: number;
  imax: number;
  ic50: number;
}

export const PD_ETA_NAMES = ['base', 'ic50', 'kout'] as const;
export type PdEtaName = (typeof PD_ETA_NAMES)[number];
export type PdEtas = Partial<Record<PdEtaName, number>>;

export function individualPk(fixed: PkFixedEffects, cov: SubjectCovariates, eta: PkEtas = {}): PkParameters {
  const w = cov.bw / REFERENCE_BW;
  const clScale = w ** fixed.betaCl;
  const vScale = w ** fixed.betaV;
  const cl = fixed.cl * clScale * fixed.comedOnCl ** cov.comed * Math.exp(eta.cl ?? 0);
  const v = fixed.v * vScale * Math.exp(eta.v ?? 0);
  const ka = fixed.ka * Math.exp(eta.ka ?? 0);
  if (fixed.compartments === 1) return { compartments: 1, ka, cl, v };
  const scaled = fixed.peripheralAllometry ?? true;
  return { compartments: 2, ka, cl, v, q: (fixed.q ?? NaN) * (scaled ? clScale : 1), v2: (fixed.v2 ?? NaN) * (scaled ? vScale : 1) };
}

export function individualPd(fixed: PdFixedEffects, cov: SubjectCovariates, eta: PdEtas = {}): IndirectResponseParameters {
  return {
    base: fixed.base * fixed.comedOnBase ** cov.comed * Math.exp(eta.base ?? 0),
    kout: fixed.kout * Math.exp(eta.kout ?? 0),
    imax: fixed.imax,
    ic50: fixed.ic50 * Math.exp(eta.ic50 ?? 0),
  };
}
