/**
 * Feature options (what the user picks) and the fitted feature model (options plus the constants
 * learned from the training subjects: rates, imputation medians). The fitted model is plain JSON,
 * so a trained network can carry it and rebuild identical features for simulated regimens.
 */
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
export const DEFAULT_COVARIATES: readonly string[] = ['BW', 'COMED'];

/** Options for the terminal-slope estimate of the elimination rate k. */
export interface TerminalPhaseOptions {
  /** Only observations at least this many hours after the subject's last dose are used. Default 24. */
  minHoursAfterLastDose: number;
  /** Subjects with fewer usable points are skipped. Default 3. */
  minPoints: number;
}

export const DEFAULT_TERMINAL_PHASE: TerminalPhaseOptions = { minHoursAfterLastDose: 24, minPoints: 3 };

/** What the user chooses. Every field but dvid has a default (see resolveFeatureSpec). */
export interface FeatureSpec {
  /** Observation type the rows are built for: 1 PK, 2 PD. */
  dvid: number;
  /** Subject covariates used as features, upper-case column names. Default BW, COMED (those present). */
  covariates?: readonly string[];
  /** Covariate holding body weight in kg, for per-kg features. Default 'BW' when present, else none. */
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
  const has = (name: string): boolean => available === undefined || available.includes(name);
  const requested = [...new Set((spec.covariates ?? DEFAULT_COVARIATES).map((c) => c.toUpperCase()))].filter((c) => c !== 'DOSE');
  const covariates = requested.filter((c) => {
    if (has(c)) return true;
    if (spec.covariates !== undefined) notes.push(`covariate ${c} is not in the data and was left out`);
    return false;
  });
  let bodyWeight: string | null;
  if (spec.bodyWeight === undefined) bodyWeight = has('BW') ? 'BW' : null;
  else if (spec.bodyWeight === null) bodyWeight = null;
  else {
    bodyWeight = spec.bodyWeight.toUpperCase();
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
  return {
    spec: {
      dvid: spec.dvid,
      covariates,
      bodyWeight,
      doseTimeConvention: spec.doseTimeConvention ?? 'pre-dose',
      windowsH: positive(spec.windowsH ?? REFERENCE_WINDOWS_H, 'windows'),
      decayHalfLivesH: positive(spec.decayHalfLivesH ?? REFERENCE_DECAY_HALF_LIVES_H, 'decay half-lives'),
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

/** The reference pipeline's 21 features only: no fixes, the reference's dose-time convention. */
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
  /** ε of the ln(ε + exposure) features (1e-3 × median training dose, per kg when BW is used). */
  logExposureFloor: number;
  /** Subjects the constants were learned from (count only). */
  trainingSubjects: number;
  notes: string[];
}
