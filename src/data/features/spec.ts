/**
 * Feature options (what the user picks) and the fitted feature model (options plus the constants
 * learned from the training subjects: rates, imputation medians). The fitted model is plain JSON,
 * so a trained network can carry it and rebuild identical features for simulated regimens.
 */
import type { EndpointSelector, TimeUnit } from '../../study/study-spec';
import { DVID_PD, DVID_PK } from '../types';

/**
 * How a dose and an observation at the same time are ordered.
 * - 'pre-dose' (default, our fix): the observation comes first, so the dose at that time is not yet
 *   counted (EstData's observations at dose times are troughs).
 * - 'dose-counted' (the reference's convention): the dose at that time is already counted.
 */
export type DoseTimeConvention = 'pre-dose' | 'dose-counted';

export const REFERENCE_WINDOWS_H: readonly number[] = [24, 48, 72, 96, 120, 144, 168];
export const REFERENCE_DECAY_HALF_LIVES_H: readonly number[] = [24, 48, 72];
/** Options for the terminal-slope estimate of the elimination rate k. */
export interface TerminalPhaseOptions {
  /** Only observations at least this many hours after the subject's last dose are used. Default 24. */
  minHoursAfterLastDose: number;
  /** Subjects with fewer usable points are skipped. Default 3. */
  minPoints: number;
}

export const DEFAULT_TERMINAL_PHASE: TerminalPhaseOptions = { minHoursAfterLastDose: 24, minPoints: 3 };

/**
 * Which observations are the concentration (PK) and response (PD) endpoints: the study spec's
 * `endpoints` (by DVID and/or CMT). Absent (and in models saved before specs): DVID 1 and DVID 2.
 */
export interface FeatureEndpoints {
  pk?: EndpointSelector;
  pd?: EndpointSelector;
}

/**
 * Windows and decay half-lives as multiples of the study's typical dosing interval τ (see
 * dosing-scale.ts): the dose sums over τ, 2τ, …, 7τ and the decays with half-lives τ, 2τ, 3τ — for a
 * once-daily study exactly the reference's 24 … 168 h and 24/48/72 h.
 */
export const WINDOW_MULTIPLES: readonly number[] = [1, 2, 3, 4, 5, 6, 7];
export const DECAY_MULTIPLES: readonly number[] = [1, 2, 3];

/** What the user chooses. Every field but dvid has a default (see resolveFeatureSpec). */
export interface FeatureSpec {
  /** Target the rows are built for: 1 PK, 2 PD (its observations: `endpoints`, else this DVID). */
  dvid: number;
  /** The study's endpoints (default DVID 1 for PK, 2 for PD). */
  endpoints?: FeatureEndpoints;
  /** Unit of TIME and dose times (the study spec's), for names and descriptions. Default 'h'. */
  timeUnit?: TimeUnit;
  /**
   * Scale windows, decay half-lives and the terminal phase to the dosing of the training subjects:
   * 'estimate' (the typical dosing interval, see dosing-scale.ts) or a given interval τ. Default off:
   * `windowsH` and `decayHalfLivesH` as given (or the reference's hours, which assume daily dosing).
   */
  dosingScale?: 'estimate' | number;
  /**
   * Subject covariates used as features, column names (any case). Default none: a study's come from its
   * spec (studyFeatureOptions in study-features.ts), which names them.
   */
  covariates?: readonly string[];
  /** Covariate holding body weight, for per-kg features (a study's: studyBodyWeight). Default none: no per-kg features. */
  bodyWeight?: string | null;
  /** Default 'pre-dose'. */
  doseTimeConvention?: DoseTimeConvention;
  /** Dose-sum windows in hours. Default 24, 48, …, 168. */
  windowsH?: readonly number[];
  /** Half-lives h of the exp(−ln2·TSLD/h) features. Default 24, 48, 72. */
  decayHalfLivesH?: readonly number[];
  /** Superposition exposure Σ A_j·e^{−k(t−t_j)} (raw and per kg). Default true. */
  superposition?: boolean;
  /** k in 1/h, or 'estimate' (terminal slope of log PK of the training subjects). Default 'estimate'. */
  eliminationRate?: number | 'estimate';
  /**
   * Faster rates for a second exposure, Σ A_j·g(t − t_j) with g the unit-dose PK shape (absorption
   * ka, fast disposition α with weight ρ, terminal k; see shapeSuperposition), raw and per kg:
   * 'estimate' (profile least squares on the training PK, see estimatePkShape), a fixed shape,
   * or 'none'. Needs superposition. Default 'estimate'.
   */
  pkShape?: 'estimate' | 'none' | PkShape;
  /** Add ln(ε + exposure per kg) for each exposure (ε = 1e-3 × median training dose per kg). Default true. */
  logExposure?: boolean;
  /** Per-kg copies of DOSE, last dose amount, cumulative dose and window sums. Default false. */
  perKgDoseFeatures?: boolean;
  /** The subject's pre-dose PD baseline (+ missing indicator). Default true for PD, false for PK. */
  baselinePd?: boolean;
  /** Target ln(DV); rows with DV ≤ 0 are excluded and counted. Default true for PK, false for PD. */
  logTarget?: boolean;
  terminalPhase?: Partial<TerminalPhaseOptions>;
}

export interface ResolvedFeatureSpec {
  dvid: number;
  /** Absent in models saved before study specs: DVID 1 and 2. */
  endpoints?: FeatureEndpoints;
  /** Absent in models saved before study specs: 'h'. */
  timeUnit?: TimeUnit;
  /** How windowsH and decayHalfLivesH were set: absent when given (or the reference's). */
  dosingScale?: 'estimate' | number;
  covariates: string[];
  bodyWeight: string | null;
  doseTimeConvention: DoseTimeConvention;
  windowsH: number[];
  decayHalfLivesH: number[];
  superposition: boolean;
  eliminationRate: number | 'estimate';
  pkShape: 'estimate' | 'none' | PkShape;
  logExposure: boolean;
  perKgDoseFeatures: boolean;
  baselinePd: boolean;
  logTarget: boolean;
  terminalPhase: TerminalPhaseOptions;
}

/**
 * Fills the defaults. `available` (the dataset's covariate names) drops covariates the data lacks;
 * the dropped names are reported in `notes`.
 */
export function resolveFeatureSpec(spec: FeatureSpec, available?: readonly string[]): { spec: ResolvedFeatureSpec; notes: string[] } {
  if (spec.dvid !== DVID_PK && spec.dvid !== DVID_PD)
    throw new Error(`features: DVID must be ${DVID_PK} (PK) or ${DVID_PD} (PD), got ${spec.dvid}`);
  const notes: string[] = [];
  // A name of the data's (any case) as the data writes it; without `available`, upper case.
  const named = (name: string): string | null => {
    const upper = name.toUpperCase();
    if (available === undefined) return upper;
    return available.find((a) => a.toUpperCase() === upper) ?? null;
  };
  const has = (name: string): boolean => named(name) !== null;
  const requested = [...new Set((spec.covariates ?? []).map((c) => c.toUpperCase()))].filter((c) => c !== 'DOSE');
  const covariates = requested.flatMap((c) => {
    const name = named(c);
    if (name !== null) return [name];
    notes.push(`covariate ${c} is not in the data and was left out`);
    return [];
  });
  let bodyWeight: string | null;
  if (spec.bodyWeight === undefined || spec.bodyWeight === null) bodyWeight = null;
  else {
    bodyWeight = named(spec.bodyWeight) ?? spec.bodyWeight.toUpperCase();
    if (!has(bodyWeight)) {
      notes.push(`body-weight covariate ${bodyWeight} is not in the data: per-kg features were left out`);
      bodyWeight = null;
    }
  }
  const positive = (values: readonly number[], what: string): number[] => {
    for (const v of values) if (!(v > 0) || !Number.isFinite(v)) throw new Error(`features: ${what} must be positive numbers, got ${v}`);
    return [...values];
  };
  const { eliminationRate = 'estimate', pkShape = 'estimate' } = spec;
  if (typeof eliminationRate === 'number' && !(eliminationRate > 0))
    throw new Error(`features: elimination rate must be > 0, got ${eliminationRate}`);
  if (typeof pkShape === 'object' && !(pkShape.ka > 0 && pkShape.alpha > 0 && pkShape.rho >= 0 && pkShape.rho < 1)) {
    throw new Error('features: a PK shape needs ka > 0, alpha > 0 and 0 ≤ rho < 1');
  }
  const terminalPhase = { ...DEFAULT_TERMINAL_PHASE, ...spec.terminalPhase };
  if (spec.dosingScale !== undefined && spec.dosingScale !== 'estimate' && !(spec.dosingScale > 0 && Number.isFinite(spec.dosingScale)))
    throw new Error(`features: the dosing interval must be a positive number, got ${spec.dosingScale}`);
  const scaled = typeof spec.dosingScale === 'number' ? spec.dosingScale : null;
  return {
    spec: {
      dvid: spec.dvid,
      ...(spec.endpoints ? { endpoints: copyEndpoints(spec.endpoints) } : {}),
      ...(spec.timeUnit ? { timeUnit: spec.timeUnit } : {}),
      ...(spec.dosingScale !== undefined ? { dosingScale: spec.dosingScale } : {}),
      covariates,
      bodyWeight,
      doseTimeConvention: spec.doseTimeConvention ?? 'pre-dose',
      windowsH: positive(scaled !== null ? WINDOW_MULTIPLES.map((m) => m * scaled) : (spec.windowsH ?? REFERENCE_WINDOWS_H), 'windows'),
      decayHalfLivesH: positive(
        scaled !== null ? DECAY_MULTIPLES.map((m) => m * scaled) : (spec.decayHalfLivesH ?? REFERENCE_DECAY_HALF_LIVES_H),
        'decay half-lives',
      ),
      superposition: spec.superposition ?? true,
      eliminationRate,
      pkShape: typeof pkShape === 'object' ? { ...pkShape } : pkShape,
      logExposure: spec.logExposure ?? true,
      perKgDoseFeatures: spec.perKgDoseFeatures ?? false,
      baselinePd: spec.baselinePd ?? spec.dvid === DVID_PD,
      logTarget: spec.logTarget ?? spec.dvid === DVID_PK,
      terminalPhase,
    },
    notes,
  };
}

function copyEndpoints(endpoints: FeatureEndpoints): FeatureEndpoints {
  const out: FeatureEndpoints = {};
  if (endpoints.pk) out.pk = { ...endpoints.pk };
  if (endpoints.pd) out.pd = { ...endpoints.pd };
  return out;
}

/** The observations a target's rows are built from: the spec's endpoint, else DVID 1 (PK) or 2 (PD). */
export function targetSelector(
  spec: Pick<ResolvedFeatureSpec, 'dvid' | 'endpoints'>,
  target: 'pk' | 'pd' = spec.dvid === DVID_PK ? 'pk' : 'pd',
): EndpointSelector {
  const given = spec.endpoints?.[target];
  if (spec.endpoints !== undefined) return given ? { ...given } : { dvid: Number.NaN };
  return { dvid: target === 'pk' ? DVID_PK : DVID_PD };
}

/**
 * The reference pipeline's features only: no fixes, the reference's dose-time convention. Its
 * covariates are the study's, given beside these (with EstData's two, the reference's 21 features).
 */
export function referenceFeatureSpec(dvid: number): FeatureSpec {
  return {
    dvid,
    doseTimeConvention: 'dose-counted',
    superposition: false,
    pkShape: 'none',
    logExposure: false,
    perKgDoseFeatures: false,
    baselinePd: false,
    logTarget: false,
  };
}

/** Result of the terminal-slope fit (see estimateEliminationRate). */
export interface EliminationRateFit {
  /** Pooled within-subject slope of ln C on time, negated (1/h). */
  k: number;
  halfLifeH: number;
  subjects: number;
  points: number;
  /** Median of the per-subject slopes (a robustness check on the pooled value). */
  medianSubjectK: number;
}

/** Unit-dose PK shape: first-order absorption ka into a two-exponential disposition (α fast, k terminal). */
export interface PkShape {
  /** Absorption rate (1/h). */
  ka: number;
  /** Fast disposition rate (1/h). */
  alpha: number;
  /** Weight of the fast phase, 0 ≤ ρ < 1 (0: one-compartment oral). */
  rho: number;
}

export interface PkShapeFit extends PkShape {
  /** Residual SD of ln C around the subject-intercept fit. */
  residualSd: number;
  points: number;
  subjects: number;
}

/** A fitted, serialisable feature model: resolved options + constants learned from training subjects. */
export interface FeatureModel {
  version: 1;
  spec: ResolvedFeatureSpec;
  /** Column names, in matrix order. */
  names: string[];
  /** One line per column. */
  descriptions: string[];
  /** Elimination rate used by the superposition features (1/h); null when they are off. */
  k: number | null;
  /** PK shape used by the EXPO_PK features; null when they are off. */
  shape: PkShape | null;
  kFit: EliminationRateFit | null;
  shapeFit: PkShapeFit | null;
  /** Training medians used for missing covariates (subject baselines), by covariate name. */
  covariateMedians: Record<string, number>;
  /** Training median of the subjects' baseline PD (NaN-free), used when a subject has none. */
  baselinePdMedian: number;
  /** ε of the ln(ε + exposure) features (1e-3 × median training dose, per kg when there is a body weight). */
  logExposureFloor: number;
  /** Subjects the constants were learned from (count only). */
  trainingSubjects: number;
  /** The dosing interval the windows and decays were scaled to (absent: not scaled). */
  dosingInterval?: DosingIntervalFit | null;
  notes: string[];
}

/** The typical dosing interval of the training subjects (dosing-scale.ts). */
export interface DosingIntervalFit {
  /** τ, in the time unit of the data. */
  interval: number;
  rule: 'median interval between doses' | 'observation span after a single dose' | 'given';
  /** Training subjects the rule read. */
  subjects: number;
}
