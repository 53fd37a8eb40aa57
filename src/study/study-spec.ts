/**
 * The study spec: one versioned JSON document that says what a dataset's columns mean and what to
 * do with them — units, which observations are the drug concentration (PK) and which the response
 * (PD), how subjects are grouped, the structural model and its covariate effects, and the dose
 * questions. Nothing in the science assumes a particular drug: covariates, regimens, scenarios and
 * the criterion are data here, as in mrgsolve. Read from untrusted text only through
 * `readStudySpec` (study-spec-reader.ts), the one validator.
 */

export const STUDY_FORMAT = 'qpkpd-study';
export const STUDY_VERSION = 1;

export const TIME_UNITS = ['h', 'min', 'd'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export const AMOUNT_UNITS = ['g', 'mg', 'µg', 'ng', 'mmol', 'µmol', 'nmol'] as const;
export type AmountUnit = (typeof AMOUNT_UNITS)[number];

export const CONCENTRATION_UNITS = [
  'g/L',
  'mg/L',
  'mg/mL',
  'µg/mL',
  'µg/L',
  'ng/mL',
  'ng/L',
  'pg/mL',
  'mmol/L',
  'µmol/L',
  'nmol/L',
] as const;
export type ConcentrationUnit = (typeof CONCENTRATION_UNITS)[number];

export interface StudyUnits {
  time: TimeUnit;
  amount: AmountUnit;
  concentration: ConcentrationUnit;
  /** Free text for the response (PD) endpoint, e.g. "%", "ng/mL", "score". */
  response: string;
}

/** Which observation records form an endpoint: by DVID, by CMT, or both. */
export interface EndpointSelector {
  dvid?: number;
  cmt?: number;
  /** Shown on axes and in answers, e.g. "Theophylline" or "Inhibition". */
  name?: string;
}

export interface StudyEndpoints {
  pk?: EndpointSelector;
  pd?: EndpointSelector;
}

export const PK_ROUTES = ['oral', 'iv'] as const;
export type PkRoute = (typeof PK_ROUTES)[number];

export interface PkModelSpec {
  /** Route of the data's doses; an IV dose with RATE or DUR is a zero-order infusion. */
  route: PkRoute;
  compartments: 1 | 2 | 'auto';
  /** Absorption lag (oral only). */
  lag: boolean;
}

export const PD_DIRECTIONS = ['increase', 'decrease'] as const;
export type PdDirection = (typeof PD_DIRECTIONS)[number];

export const INDIRECT_TYPES = ['inhibit-production', 'stimulate-production', 'inhibit-loss', 'stimulate-loss'] as const;
export type IndirectType = (typeof INDIRECT_TYPES)[number];

export type PdModelSpec =
  | { family: 'direct'; direction: PdDirection; sigmoid: boolean }
  | { family: 'effect-compartment'; direction: PdDirection; sigmoid: boolean }
  /** `sigmoid` (optional, default false) puts a Hill exponent HILL on the drug effect. */
  | { family: 'indirect'; type: IndirectType; sigmoid?: boolean }
  | { family: 'auto' };

export const PD_FAMILIES = ['direct', 'effect-compartment', 'indirect', 'auto'] as const;

/** Structural parameters by name (upper case, as NONMEM users write them). */
export const PK_PARAMETERS = ['CL', 'V', 'KA', 'TLAG', 'Q', 'V2'] as const;
export const PD_PARAMETERS = ['E0', 'BASE', 'EMAX', 'IMAX', 'EC50', 'IC50', 'HILL', 'KE0', 'KOUT'] as const;
export const MODEL_PARAMETERS = [...PK_PARAMETERS, ...PD_PARAMETERS] as const;
export type ModelParameter = (typeof MODEL_PARAMETERS)[number];

export const COVARIATE_FORMS = ['power', 'linear', 'factor'] as const;
export type CovariateForm = (typeof COVARIATE_FORMS)[number];

/**
 * A covariate effect on a parameter: power P·(x/ref)^θ, linear P·(1 + θ(x − ref)), factor P·θ^x for
 * a 0/1 column (a column with other values is refused: recode it into 0/1 columns). `value` fixes θ
 * (a published model); without it θ is estimated. By the usual allometric convention a power effect
 * on CL also scales Q and one on V also scales V2, unless Q or V2 have an effect of the same column
 * of their own (linear and factor effects act on the parameter they name only).
 */
export interface CovariateEffect {
  column: string;
  on: ModelParameter;
  form: CovariateForm;
  /** Centre of power and linear effects (defaults to the column's median in the data). */
  reference?: number;
  value?: number;
}

/**
 * How an additive and a proportional error combine (../pkpd/residual-error.ts): `sum-of-variances`
 * (the default) Var = a² + b²f², NONMEM's Y = F + F·EPS(1) + EPS(2), nlmixr2's and Monolix's
 * `combined2`; `sum-of-sds` SD = a + b·|f|, nlmixr2's, Monolix's and posologyr's `combined1`.
 */
export const RESIDUAL_COMBINATIONS = ['sum-of-variances', 'sum-of-sds'] as const;
export type ResidualCombination = (typeof RESIDUAL_COMBINATIONS)[number];

export interface ResidualErrorSpec {
  additive?: number;
  proportional?: number;
  /** How additive and proportional combine; absent: `sum-of-variances`. Not with `exponential`. */
  combined?: ResidualCombination;
  /** Log-additive (exponential) error, as a SD on the log scale. */
  exponential?: number;
}

export interface StudyModelSpec {
  pk: PkModelSpec;
  /** Absent when the study has no response endpoint. */
  pd?: PdModelSpec;
  covariates: CovariateEffect[];
  /** Parameters with between-subject variability; with SDs (of log-normal η) when fixed. */
  randomEffects: ModelParameter[] | Partial<Record<ModelParameter, number>>;
  /** Fixed typical values (a published model); absent: estimated from the data. */
  parameters?: Partial<Record<ModelParameter, number>>;
  error?: { pk?: ResidualErrorSpec; pd?: ResidualErrorSpec };
  /**
   * The range [low, high] of covariates in the model's data, by column (a published model's
   * population), e.g. { "WT": [40, 120] }: a patient outside it gets a warning (src/patient).
   */
  covariateRanges?: Record<string, [number, number]>;
}

export const CRITERION_RULES = ['below', 'above', 'within'] as const;
export type CriterionRule = (typeof CRITERION_RULES)[number];
export const CRITERION_WINDOWS = ['throughout', 'trough', 'average'] as const;
export type CriterionWindow = (typeof CRITERION_WINDOWS)[number];

/** Over the last dosing interval at steady state: throughout it, at its trough, or on its average. */
export type Criterion =
  | { rule: 'below' | 'above'; threshold: number; window: CriterionWindow }
  | { rule: 'within'; range: [number, number]; window: CriterionWindow };

export interface RegimenSpec {
  name: string;
  /** Dosing interval, in the spec's time unit. */
  interval: number;
  route: PkRoute;
  /** Infusion duration (IV only), in the spec's time unit. */
  duration?: number;
  /** A first dose of `loading` × the maintenance dose. */
  loading?: number;
  /** Dose grid step, in the spec's amount unit. */
  step: number;
  /** Largest dose of the initial grid (default 60 steps). */
  max?: number;
}

export type CovariateDistribution =
  { uniform: [number, number] } | { normal: [number, number]; range?: [number, number] } | { share: number } | { values: number[] };

/** A virtual population: named covariates drawn as given, every other covariate resampled from the trial's subjects. */
export interface ScenarioSpec {
  name: string;
  covariates: 'resample' | Record<string, CovariateDistribution>;
}

export interface QuestionsSpec {
  endpoint: 'pk' | 'pd';
  criterion: Criterion;
  targets: number[];
  regimens: RegimenSpec[];
  scenarios: ScenarioSpec[];
  virtualSubjects: number;
  seed: number;
}

export interface StudySpec {
  format: typeof STUDY_FORMAT;
  version: typeof STUDY_VERSION;
  name: string;
  units: StudyUnits;
  endpoints: StudyEndpoints;
  /** The column whose values define groups in plots, strata and splits, or "regimen" (the subjects' dosing). */
  groupBy: string;
  model: StudyModelSpec;
  /** Absent in a spec that only describes data and model. */
  questions?: QuestionsSpec;
}

/** The parameters with between-subject variability, whichever form the spec uses. */
export function randomEffectNames(model: StudyModelSpec): ModelParameter[] {
  const effects = model.randomEffects;
  return Array.isArray(effects) ? [...effects] : (Object.keys(effects) as ModelParameter[]);
}
