/**
 * The diagnostics of any study fit (../population/fit-study.ts `fitStudy`), as one plain,
 * structured-clone friendly object for the Doses tab's panels:
 *
 * - `observations`: the fit's own rows (PRED, IPRED, IWRES, CWRES per observation used), as they are.
 * - `curves`: per subject, IPRED (its empirical Bayes η) and PRED (every η = 0, the typical subject
 *   of its covariates) of PK and — where the fit has a PD model — PD, on a dense grid (800 evenly
 *   spaced points plus every dose time, infusion end and observation time) from the structural engine
 *   (../structural), segment by segment between resets (each segment from empty compartments, as the
 *   fit predicts it), beside all the subject's observations of each endpoint and every dose with its
 *   time, amount, route, infusion duration and steady state. For an indirect response the engine
 *   integrates over a grid that breaks at every output time, so the dense grid's quadrature differs
 *   from the fit's (observation times only) by its accuracy (about 1e-7 relative): at the
 *   observations the fit used, the PD curves hold the fit's own predictions (the stage's plans, the
 *   numbers of `observations`), so the curve passes through the IPRED and PRED of the table. PK and
 *   the direct and effect-compartment responses are in closed form and need no such step.
 * - `vpc`: a visual predictive check per endpoint: `vpcReplicates` trials simulated from the fitted
 *   model with the data's own design (each subject's covariates, doses and the observation times the
 *   fit used), new η from the fitted Ω (log-normal; IMAX on the logit scale) and new residual errors
 *   of the fitted model (exponential, or additive and/or proportional), binned in the data's time
 *   (designed times exactly, otherwise quantile bins; vpc.ts, the one implementation) and stratified
 *   by the spec's groups (`groupBy`; the binding's `StudySubject.group`). At most `MAX_VPC_PANELS`
 *   strata per endpoint: with more groups, the five with the most subjects (of that endpoint) keep
 *   their panel — if they have at least `MIN_PANEL_SUBJECTS` subjects — and the rest are pooled into
 *   one stratum labelled "other (k groups)" (or "all subjects (k groups)" when no group keeps a
 *   panel: one regimen per subject, as in theophylline grouped by regimen), whose `groups` lists them. Seeded (../random.ts) and deterministic: the same fit, seed and replicates give the
 *   same numbers. 0 replicates: no VPC (`pk` and `pd` null), the rest as usual.
 *
 *   Observations below the limit of quantification (BLQ, fitted by M3): the censored VPC (vpc.ts) —
 *   an observed BLQ and a simulated value below its observation's limit are censored; percentiles
 *   among them are NaN (below the limit); each bin gives the observed fraction below the limit and its
 *   simulated interval. The limit of a position: the file's LLOQ for it, else (CENS files give the
 *   limit only on censored rows) the smallest limit of the endpoint's censored observations.
 * - `pcVpc`: the prediction-corrected VPC (pc-vpc.ts, Bergstrand et al. 2011) of the same replicates,
 *   binning and strata: observations and simulations times PRED_bin / PRED.
 * - `npde`: normalised prediction distribution errors (npde.ts) per observation of `observations`, from
 *   `npdeSimulations` trials simulated as the VPC's (the VPC's replicates are the first of them: one
 *   set of simulations serves both, max(replicates, simulations) trials in all), decorrelated per
 *   subject on the fit's scale (log for an exponential error, natural otherwise), with a summary per
 *   endpoint (mean, variance, Kolmogorov–Smirnov test of N(0, 1)). Observations below the limit of
 *   quantification are omitted (the npde package's cens.method "omit"): their row is kept, marked
 *   `blq`, with NaN pd, pde and npde, and each subject's other observations are decorrelated among
 *   themselves. (Imputing them from their marginal simulations, pd uniform below the simulated share
 *   under the limit, was tried: with η on CL the late observations are strongly correlated with the
 *   subject's earlier ones, and the decorrelated imputations had variance 4.9 on a simulated truth.)
 * - `eta`: the random effects per subject with every covariate column, shrinkage, QQ pairs (eta-diagnostics.ts).
 * - `convergence`: the OFV at the start and after each accepted iteration of each kept stage's FOCE fit.
 * - `correlation`: per kept stage, the correlation matrix of the estimates from the covariance step,
 *   its eigenvalues and condition number (parameter-correlation.ts), or null with the step's message.
 *
 * Cancel through `signal` (checked per subject and per replicate): a FitCancelledError.
 * `onProgress(done, total)` counts the simulated trials.
 */
import { curveGrid } from '../../data/curve-grid';
import type { CancelSignal } from '../../data/cancel';
import type { StudySubject } from '../../study/study-data';
import { HOURS_PER } from '../../study/units';
import { FitCancelledError, PkpdParameterError } from '../errors';
import type { StageFit, StudyFitResult } from '../population/fit-study';
import { covariateVector, individualValues, stageModel, type StageModel } from '../population/parameter-model';
import { addError } from '../population/simulate-study';
import { predictSubject } from '../population/stage';
import { createRng, type Rng } from '../random';
import { createStructuralModel, type ParameterValues, type Prediction, type StructuralModel } from '../structural/structural-model';
import { type CurvePair, DEFAULT_CURVE_POINTS, type IndividualCurve, type ObservedSeries } from './individual-curves';
import type { DiagnosticTarget, ObservationDiagnostic } from './observation-diagnostics';
import { binPercentiles, DEFAULT_VPC_REPLICATES, summariseVpc, vpcLayout, type VpcLayout, type VpcResult, type VpcStratumKey } from './vpc';
import { etaDiagnostics, type EtaDiagnostics } from './eta-diagnostics';
import { npdeSummary, subjectNpde, type NpdeSummary, type SubjectNpde } from './npde';
import { parameterCorrelation, type ParameterCorrelation } from './parameter-correlation';
import { predictionCorrector, type PcVpcTarget, type PredictionCorrector } from './pc-vpc';
import type { Stage } from '../population/parameter-model';

export interface StudyDiagnostics {
  observations: ObservationDiagnostic[];
  curves: IndividualCurve[];
  vpc: VpcResult;
  pcVpc: PcVpcResult;
  npde: NpdeResult;
  eta: EtaDiagnostics;
  convergence: ConvergenceTrace[];
  correlation: StageCorrelation[];
}

/** The prediction-corrected VPC: the VPC's replicates, strata and bins, corrected values (pc-vpc.ts). */
export interface PcVpcResult {
  replicates: number;
  seed: number;
  pk: PcVpcTarget | null;
  pd: PcVpcTarget | null;
}

export interface NpdeObservation {
  target: DiagnosticTarget;
  id: string;
  group: string;
  time: number;
  dv: number;
  /** The fit's PRED (natural scale). */
  pred: number;
  /** Mean of the subject's simulations at this observation on the NPDE's scale, back on the natural scale (log: the geometric mean). */
  epred: number;
  /** Prediction discrepancy (not decorrelated), pde (decorrelated) and npde = Φ⁻¹(pde); NaN with fewer than 2 usable simulations. */
  pd: number;
  pde: number;
  npde: number;
  /** False where the subject's simulated covariance could not be factorised: pde is then pd. */
  decorrelated: boolean;
  /**
   * Below the limit of quantification: `dv` is the limit, and pd, pde and npde are NaN (see the top
   * comment). Every row studyDiagnostics makes has it; optional for rows made before it existed.
   */
  blq?: boolean;
}

export interface NpdeResult {
  /** K, the trials simulated for it (0: none). */
  simulations: number;
  seed: number;
  /** Scale of the decorrelation per endpoint: log for an exponential residual error, else natural. */
  scale: Partial<Record<DiagnosticTarget, 'log' | 'natural'>>;
  /** In the order of `StudyDiagnostics.observations`. */
  observations: NpdeObservation[];
  summary: Partial<Record<DiagnosticTarget, NpdeSummary>>;
}

/** OFV at the starting values and after each accepted iteration of a kept stage's FOCE fit. */
export interface ConvergenceTrace {
  stage: Stage;
  model: string;
  ofv: number[];
  /** The fit's final OFV (the last entry re-evaluated from the accepted modes). */
  finalOfv: number;
  converged: boolean;
  message: string;
}

export interface StageCorrelation {
  stage: Stage;
  model: string;
  /** Null where the covariance step failed or was not run (`message` says which). */
  correlation: ParameterCorrelation | null;
  message: string;
}

export interface StudyDiagnosticsOptions {
  /** Replicate trials of the VPC (default 100; 0: none). */
  vpcReplicates?: number;
  /** Trials simulated for the NPDE (K; default 1000; 0: none); the VPC's replicates are the first of them. */
  npdeSimulations?: number;
  seed?: number;
  signal?: CancelSignal;
  /** Called after each VPC replicate. */
  onProgress?: (done: number, total: number) => void;
  /** Evenly spaced points of each curve's grid (default 800). */
  curvePoints?: number;
}

/**
 * K of the NPDE by default (the npde package's recommendation): npde within ±3.29 (1/(2K) clipping).
 * The covariance of each subject's n observations is estimated from K simulations, which inflates the
 * variance of npde by about (K − 1)/(K − n − 2) under the true model: 1.02 at K = 1000 for EstData's
 * 18 PK and 25 PD observations per subject, 1.10–1.16 at K = 200 (measured: 1.007 and 1.024 at 1000,
 * 1.096 and 1.126 at 200). Cost on EstData (48 subjects, 2064 observations, Node): 1.0 s per 1000
 * trials beside the VPC's; memory K × observations × 8 bytes (16 MB there).
 */
export const DEFAULT_NPDE_SIMULATIONS = 1000;

/** Panels of a VPC per endpoint at most: beyond, the smallest groups are pooled into "other". */
export const MAX_VPC_PANELS = 6;
/** Beyond `MAX_VPC_PANELS` groups, a group keeps its own panel only with at least this many subjects. */
export const MIN_PANEL_SUBJECTS = 3;

/** A stage's parameter model with its θ (data units) from the fitted model. */
interface StageParameters {
  model: StageModel;
  theta: number[];
}

function stageParameters(fit: StudyFitResult, model: StageModel): StageParameters {
  return {
    model,
    theta: model.thetas.map((t) => {
      const v = fit.model.theta[t.name];
      if (v === undefined) throw new Error(`studyDiagnostics: the fitted model has no θ ${t.name}`);
      return v;
    }),
  };
}

/** PK (the fitted stage, or the spec's fixed PK) and PD (only where a PD model was fitted). */
function parameterModels(fit: StudyFitResult): { pk: StageParameters; pd: StageParameters | null } {
  const pkModel = fit.pk?.model ?? stageModel(fit.spec, 'pk', fit.model.pk, undefined, fit.model.effects);
  return { pk: stageParameters(fit, pkModel), pd: fit.pd && fit.model.pd ? stageParameters(fit, fit.pd.model) : null };
}

/** A subject's parameters at η (zeros: the typical subject of its covariates). */
function subjectValues(
  models: { pk: StageParameters; pd: StageParameters | null },
  subject: StudySubject,
  eta: { pk: ArrayLike<number>; pd: ArrayLike<number> },
  out: ParameterValues = {},
): ParameterValues {
  const { pk, pd } = models;
  individualValues(pk.model, pk.theta, eta.pk, covariateVector(pk.model, subject.covariates), out);
  if (pd) individualValues(pd.model, pd.theta, eta.pd, covariateVector(pd.model, subject.covariates), out);
  return out;
}

function checkCancel(signal: CancelSignal | undefined): void {
  if (signal?.aborted) throw new FitCancelledError();
}

/** Index of each subject in a stage's data (the subjects with observations the stage used). */
function stageIndex(stage: StageFit | undefined): Map<StudySubject, number> {
  return new Map(stage ? stage.data.subjects.map((d, i) => [d.subject, i]) : []);
}

function observedSeries(o: StudySubject['pk']): ObservedSeries {
  return { time: Array.from(o.times), dv: Array.from(o.values) };
}

/** Engine predictions over a grid, segment by segment (NaN where the parameters are invalid). */
export function predictGrid(
  engine: StructuralModel,
  subject: StudySubject,
  time: readonly number[],
  withPd: boolean,
  values: ParameterValues[],
): Prediction[] {
  const out = values.map(() => ({ pk: new Float64Array(time.length), pd: new Float64Array(withPd ? time.length : 0) }));
  const segments = subject.segments;
  let from = 0;
  segments.forEach((segment, k) => {
    const end = k + 1 < segments.length ? segments[k + 1].start : Number.POSITIVE_INFINITY;
    let to = from;
    while (to < time.length && time[to] < end) to++;
    if (to === from) return;
    const times = time.slice(from, to);
    const plan = engine.prepare(segment.doses, withPd ? { pk: times, pd: times } : { pk: times });
    values.forEach((v, n) => {
      try {
        const p = engine.predict(plan, v);
        out[n].pk.set(p.pk, from);
        if (withPd) out[n].pd.set(p.pd, from);
      } catch (error) {
        if (!(error instanceof PkpdParameterError)) throw error;
        out[n].pk.fill(Number.NaN, from, to);
        if (withPd) out[n].pd.fill(Number.NaN, from, to);
      }
    });
    from = to;
  });
  return out;
}

/** Writes a stage's own predictions at the observations it used into a curve (the fit's numbers, see the top comment). */
function spliceStage(stage: StageFit, index: number, time: readonly number[], values: ParameterValues, into: number[]): void {
  const d = stage.data.subjects[index];
  const at = new Float64Array(d.times.length);
  if (!predictSubject(stage.data, index, values, at)) at.fill(Number.NaN);
  const position = new Map(time.map((t, k) => [t, k]));
  d.times.forEach((t, j) => {
    const k = position.get(t);
    if (k !== undefined) into[k] = at[j];
  });
}

function studyCurves(fit: StudyFitResult, points: number, signal: CancelSignal | undefined): IndividualCurve[] {
  const models = parameterModels(fit);
  const withPd = models.pd !== null && fit.model.pd !== undefined;
  // The data's time unit sets the integration grid's panels, as the fit's engines (../population/fit-study.ts).
  const engine = createStructuralModel(withPd ? { pk: fit.model.pk, pd: fit.model.pd } : { pk: fit.model.pk }, {
    hoursPerTimeUnit: HOURS_PER[fit.spec.units.time],
  });
  const indirect = fit.model.pd?.family === 'indirect';
  const pdIndex = stageIndex(fit.pd);
  const none = { pk: new Float64Array(models.pk.model.etas.length), pd: new Float64Array(models.pd?.model.etas.length ?? 0) };
  const byId = new Map(fit.individuals.map((p) => [p.id, p]));
  return fit.study.subjects.map((subject) => {
    checkCancel(signal);
    const doses = subject.segments.flatMap((s) =>
      s.doses.map((d) => ({ ...d, ...(d.steadyState ? { steadyState: { ...d.steadyState } } : {}) })),
    );
    const required = [
      0,
      ...doses.flatMap((d) => (d.duration ? [d.time, d.time + d.duration] : [d.time])),
      ...subject.pk.times,
      ...subject.pd.times,
    ];
    const time = curveGrid(points, required);
    const typical = subjectValues(models, subject, none);
    const individual = byId.get(subject.id)?.parameters ?? typical;
    const [ipred, pred] = predictGrid(engine, subject, time, withPd, [individual, typical]);
    const pk: CurvePair | null = doses.length > 0 ? { ipred: Array.from(ipred.pk), pred: Array.from(pred.pk) } : null;
    let pd: CurvePair | null = null;
    if (withPd) {
      pd = { ipred: Array.from(ipred.pd), pred: Array.from(pred.pd) };
      const index = pdIndex.get(subject);
      if (indirect && fit.pd && index !== undefined) {
        spliceStage(fit.pd, index, time, individual, pd.ipred);
        spliceStage(fit.pd, index, time, typical, pd.pred);
      }
    }
    const covariates: Record<string, number> = {};
    for (const column of fit.study.effectColumns) covariates[column] = subject.covariates[column];
    return {
      id: subject.id,
      group: subject.group,
      armDose: subject.armDose,
      covariates,
      doses,
      time,
      pk,
      pd,
      observed: { pk: observedSeries(subject.pk), pd: observedSeries(subject.pd) },
    };
  });
}

/**
 * The strata of one endpoint from the groups of the subjects it has, in the binding's group order: one
 * per group; with more than `MAX_VPC_PANELS` groups, the (at most five) largest groups of at least
 * `MIN_PANEL_SUBJECTS` subjects keep their panel and the rest are pooled into "other (k groups)" — or
 * "all subjects (k groups)" when no group is that large (e.g. a regimen per subject).
 */
export function vpcStrata(
  groups: readonly string[],
  subjectGroups: readonly string[],
): { strata: VpcStratumKey[]; stratumOf: Map<string, number> } {
  const counts = new Map<string, number>();
  for (const g of subjectGroups) counts.set(g, (counts.get(g) ?? 0) + 1);
  const present = groups.filter((g) => counts.has(g));
  for (const g of counts.keys()) if (!present.includes(g)) present.push(g);
  const stratumOf = new Map<string, number>();
  if (present.length <= MAX_VPC_PANELS) {
    present.forEach((g, k) => stratumOf.set(g, k));
    return { strata: present.map((g) => ({ label: g, groups: [g] })), stratumOf };
  }
  // Largest first; equal counts keep the binding's order (Array.prototype.sort is stable).
  const kept = new Set(
    present
      .filter((g) => (counts.get(g) as number) >= MIN_PANEL_SUBJECTS)
      .sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number))
      .slice(0, MAX_VPC_PANELS - 1),
  );
  const strata: VpcStratumKey[] = [];
  for (const g of present) {
    if (!kept.has(g)) continue;
    stratumOf.set(g, strata.length);
    strata.push({ label: g, groups: [g] });
  }
  const pooled = present.filter((g) => !kept.has(g));
  for (const g of pooled) stratumOf.set(g, strata.length);
  strata.push({ label: `${kept.size > 0 ? 'other' : 'all subjects'} (${pooled.length} groups)`, groups: pooled });
  return { strata, stratumOf };
}

/** One endpoint's VPC design: its layout, and each stage subject's offset in the flat arrays. */
interface TargetPlan {
  target: DiagnosticTarget;
  stage: StageFit;
  layout: VpcLayout;
  offsets: Int32Array;
  simulated: Float64Array;
  stats: Float64Array[];
  buffer: Float64Array;
  /** The prediction correction of the layout (the fit's PRED per position) and its replicates' percentiles. */
  corrector: PredictionCorrector;
  pcStats: Float64Array[];
  corrected: Float64Array;
  /** The first `npdeSimulations` replicates, replicate-major (r · n + position). */
  kept: Float64Array;
}

function targetPlan(fit: StudyFitResult, target: DiagnosticTarget, keep: number): TargetPlan | null {
  const stage = fit[target];
  if (!stage) return null;
  const rows = fit.observations.filter((r) => r.target === target);
  if (rows.length === 0) return null;
  const offsets = new Int32Array(stage.data.subjects.length);
  let n = 0;
  stage.data.subjects.forEach((d, j) => {
    offsets[j] = n;
    n += d.times.length;
  });
  if (n !== rows.length) throw new Error(`studyDiagnostics: ${rows.length} ${target} rows for ${n} fitted observations`);
  const { strata, stratumOf } = vpcStrata(
    fit.study.groups,
    stage.data.subjects.map((d) => d.subject.group),
  );
  const stratumOfRow = new Int32Array(n);
  stage.data.subjects.forEach((d, j) =>
    stratumOfRow.fill(stratumOf.get(d.subject.group) as number, offsets[j], offsets[j] + d.times.length),
  );
  const layout = vpcLayout(
    target,
    strata,
    stratumOfRow,
    Float64Array.from(rows, (r) => r.time),
    Float64Array.from(rows, (r) => r.dv),
  );
  censorLayout(layout, stage, rows);
  const longest = Math.max(...stage.data.subjects.map((d) => d.times.length));
  return {
    target,
    stage,
    layout,
    offsets,
    simulated: new Float64Array(n),
    stats: [],
    buffer: new Float64Array(longest),
    corrector: predictionCorrector(
      layout,
      Float64Array.from(rows, (r) => r.pred),
    ),
    pcStats: [],
    corrected: new Float64Array(n),
    kept: new Float64Array(keep * n),
  };
}

/** The limits of quantification of a layout's positions, where the target has any (see the top comment). */
function censorLayout(layout: VpcLayout, stage: StageFit, rows: readonly ObservationDiagnostic[]): void {
  const limits = Float64Array.from(stage.data.subjects.flatMap((d) => Array.from(d.lloq)));
  if (!limits.some((v) => v > 0)) return;
  let fallback = Number.POSITIVE_INFINITY;
  rows.forEach((r, k) => {
    if (r.blq) fallback = Math.min(fallback, limits[k]);
  });
  layout.lloq = limits.map((v) => (v > 0 ? v : Number.isFinite(fallback) ? fallback : Number.NaN));
  layout.blq = Uint8Array.from(rows, (r) => (r.blq ? 1 : 0));
}

function sampleEta(model: StageModel | undefined, omega: StudyFitResult['model']['omega'], rng: Rng): Float64Array {
  if (!model) return new Float64Array(0);
  return Float64Array.from(model.etas, (name) => {
    const sd = omega[name] ?? 0;
    return sd > 0 ? sd * rng.normal() : 0;
  });
}

/** What the simulated trials give: the VPC, its prediction-corrected twin and the NPDE's simulations per target. */
interface Simulations {
  vpc: VpcResult;
  pcVpc: PcVpcResult;
  plans: { pk: TargetPlan | null; pd: TargetPlan | null };
}

/**
 * max(replicates, keep) trials of the design: the first `replicates` feed the VPC and pcVPC (the
 * random stream of the VPC alone, so its numbers do not depend on `keep`), the first `keep` are kept
 * for the NPDE.
 */
function simulateTrials(
  fit: StudyFitResult,
  replicates: number,
  keep: number,
  seed: number,
  options: StudyDiagnosticsOptions,
): Simulations {
  const trials = Math.max(replicates, keep);
  const plans = { pk: trials > 0 ? targetPlan(fit, 'pk', keep) : null, pd: trials > 0 ? targetPlan(fit, 'pd', keep) : null };
  const active = [plans.pk, plans.pd].filter((p): p is TargetPlan => p !== null);
  const models = parameterModels(fit);
  const indices = active.map((p) => stageIndex(p.stage));
  const rng = createRng(seed);
  const values: ParameterValues = {};
  for (let r = 0; r < trials && active.length > 0; r++) {
    checkCancel(options.signal);
    for (const subject of fit.study.subjects) {
      const eta = { pk: sampleEta(models.pk.model, fit.model.omega, rng), pd: sampleEta(models.pd?.model, fit.model.omega, rng) };
      subjectValues(models, subject, eta, values);
      active.forEach((plan, a) => {
        const j = indices[a].get(subject);
        if (j === undefined) return;
        const n = plan.stage.data.subjects[j].times.length;
        const out = plan.buffer.subarray(0, n);
        if (!predictSubject(plan.stage.data, j, values, out)) out.fill(Number.NaN);
        const residual = fit.model.residual[plan.target];
        const at = plan.offsets[j];
        for (let k = 0; k < n; k++) plan.simulated[at + k] = addError(out[k], residual, rng);
      });
    }
    for (const plan of active) {
      if (r < replicates) {
        plan.stats.push(binPercentiles(plan.layout, plan.simulated));
        // Simulated values are censored against the corrected limits of the corrected layout.
        plan.pcStats.push(binPercentiles(plan.corrector.layout, plan.corrector.correct(plan.simulated, plan.corrected)));
      }
      if (r < keep) plan.kept.set(plan.simulated, r * plan.simulated.length);
    }
    options.onProgress?.(r + 1, trials);
  }
  const vpcOf = (plan: TargetPlan | null) => (plan && replicates > 0 ? summariseVpc(plan.layout, plan.stats) : null);
  const pcOf = (plan: TargetPlan | null): PcVpcTarget | null =>
    plan && replicates > 0
      ? { ...summariseVpc(plan.corrector.layout, plan.pcStats), correction: plan.corrector.correction, binPred: plan.corrector.binPred }
      : null;
  return {
    vpc: { replicates, seed, pk: vpcOf(plans.pk), pd: vpcOf(plans.pd) },
    pcVpc: { replicates, seed, pk: pcOf(plans.pk), pd: pcOf(plans.pd) },
    plans,
  };
}

/** NPDE of every observation of a target from the kept simulations, per subject on the fit's scale. */
function targetNpde(fit: StudyFitResult, plan: TargetPlan, keep: number): NpdeObservation[] {
  const scale = fit.model.residual[plan.target]?.scale ?? 'natural';
  const floor = plan.stage.data.floor;
  const onScale = (v: number): number => (scale === 'log' ? Math.log(Math.max(v, floor)) : v);
  const back = (v: number): number => (scale === 'log' ? Math.exp(v) : v);
  const rows = fit.observations.filter((r) => r.target === plan.target);
  const total = plan.simulated.length;
  const out: NpdeObservation[] = [];
  plan.stage.data.subjects.forEach((d, j) => {
    const at = plan.offsets[j];
    // The subject's observations above the limit (all of them without censoring), by position.
    const used = Array.from({ length: d.times.length }, (_, k) => k).filter((k) => !rows[at + k].blq);
    const n = used.length;
    const simulated = new Float64Array(keep * n);
    for (let r = 0; r < keep; r++) used.forEach((k, u) => (simulated[r * n + u] = onScale(plan.kept[r * total + at + k])));
    const observed = Float64Array.from(used, (k) => onScale(rows[at + k].dv));
    const omitted = new Float64Array(Math.max(n, 1)).fill(Number.NaN);
    const result: SubjectNpde =
      n > 0
        ? subjectNpde(observed, simulated)
        : { epred: omitted, pd: omitted, pde: omitted, npde: omitted, decorrelated: false, simulations: 0 };
    const place = new Map(used.map((k, u) => [k, u]));
    for (let position = 0; position < d.times.length; position++) {
      const row = rows[at + position];
      const k = place.get(position) ?? -1;
      out.push({
        target: plan.target,
        id: row.id,
        group: d.subject.group,
        time: row.time,
        dv: row.dv,
        pred: row.pred,
        epred: k >= 0 ? back(result.epred[k]) : Number.NaN,
        pd: k >= 0 ? result.pd[k] : Number.NaN,
        pde: k >= 0 ? result.pde[k] : Number.NaN,
        npde: k >= 0 ? result.npde[k] : Number.NaN,
        decorrelated: result.decorrelated,
        blq: row.blq,
      });
    }
  });
  return out;
}

function studyNpde(fit: StudyFitResult, plans: Simulations['plans'], keep: number, seed: number): NpdeResult {
  const result: NpdeResult = { simulations: keep, seed, scale: {}, observations: [], summary: {} };
  if (keep === 0) return result;
  for (const plan of [plans.pk, plans.pd]) {
    if (!plan) continue;
    const rows = targetNpde(fit, plan, keep);
    result.scale[plan.target] = fit.model.residual[plan.target]?.scale ?? 'natural';
    result.summary[plan.target] = npdeSummary(rows.map((r) => r.npde));
    result.observations.push(...rows);
  }
  return result;
}

function keptStages(fit: StudyFitResult): StageFit[] {
  return [fit.pk, fit.pd].filter((s): s is StageFit => s !== undefined);
}

function convergenceTraces(fit: StudyFitResult): ConvergenceTrace[] {
  return keptStages(fit).map((s) => ({
    stage: s.stage,
    model: s.label,
    ofv: [...s.foce.ofvTrace],
    finalOfv: s.foce.ofv,
    converged: s.foce.converged,
    message: s.foce.message,
  }));
}

function stageCorrelations(fit: StudyFitResult): StageCorrelation[] {
  return keptStages(fit).map((s) => ({
    stage: s.stage,
    model: s.label,
    correlation: s.foce.covariance ? parameterCorrelation(s.foce.covariance, s.foce.covarianceNames) : null,
    message: s.foce.covarianceMessage,
  }));
}

export function studyDiagnostics(fit: StudyFitResult, options: StudyDiagnosticsOptions = {}): StudyDiagnostics {
  const replicates = options.vpcReplicates ?? DEFAULT_VPC_REPLICATES;
  if (!Number.isInteger(replicates) || replicates < 0)
    throw new Error(`studyDiagnostics: VPC replicates must be a whole number ≥ 0, got ${replicates}`);
  const keep = options.npdeSimulations ?? DEFAULT_NPDE_SIMULATIONS;
  if (!Number.isInteger(keep) || keep < 0) throw new Error(`studyDiagnostics: NPDE simulations must be a whole number ≥ 0, got ${keep}`);
  const seed = options.seed ?? 1;
  const curves = studyCurves(fit, options.curvePoints ?? DEFAULT_CURVE_POINTS, options.signal);
  const simulations = simulateTrials(fit, replicates, keep, seed, options);
  return {
    observations: fit.observations.map((r) => ({ ...r })),
    curves,
    vpc: simulations.vpc,
    pcVpc: simulations.pcVpc,
    npde: studyNpde(fit, simulations.plans, keep, seed),
    eta: etaDiagnostics(fit),
    convergence: convergenceTraces(fit),
    correlation: stageCorrelations(fit),
  };
}
