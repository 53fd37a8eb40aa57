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
 * Cancel through `signal` (checked per subject and per replicate): a FitCancelledError.
 * `onProgress(done, total)` counts the replicates.
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

export interface StudyDiagnostics {
  observations: ObservationDiagnostic[];
  curves: IndividualCurve[];
  vpc: VpcResult;
}

export interface StudyDiagnosticsOptions {
  /** Replicate trials of the VPC (default 100; 0: none). */
  vpcReplicates?: number;
  seed?: number;
  signal?: CancelSignal;
  /** Called after each VPC replicate. */
  onProgress?: (done: number, total: number) => void;
  /** Evenly spaced points of each curve's grid (default 800). */
  curvePoints?: number;
}

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
}

function targetPlan(fit: StudyFitResult, target: DiagnosticTarget): TargetPlan | null {
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
  const longest = Math.max(...stage.data.subjects.map((d) => d.times.length));
  return { target, stage, layout, offsets, simulated: new Float64Array(n), stats: [], buffer: new Float64Array(longest) };
}

function sampleEta(model: StageModel | undefined, omega: StudyFitResult['model']['omega'], rng: Rng): Float64Array {
  if (!model) return new Float64Array(0);
  return Float64Array.from(model.etas, (name) => {
    const sd = omega[name] ?? 0;
    return sd > 0 ? sd * rng.normal() : 0;
  });
}

function studyVpc(fit: StudyFitResult, replicates: number, seed: number, options: StudyDiagnosticsOptions): VpcResult {
  const plans = { pk: replicates > 0 ? targetPlan(fit, 'pk') : null, pd: replicates > 0 ? targetPlan(fit, 'pd') : null };
  const active = [plans.pk, plans.pd].filter((p): p is TargetPlan => p !== null);
  const models = parameterModels(fit);
  const indices = active.map((p) => stageIndex(p.stage));
  const rng = createRng(seed);
  const values: ParameterValues = {};
  for (let r = 0; r < replicates && active.length > 0; r++) {
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
    for (const plan of active) plan.stats.push(binPercentiles(plan.layout, plan.simulated));
    options.onProgress?.(r + 1, replicates);
  }
  return {
    replicates,
    seed,
    pk: plans.pk ? summariseVpc(plans.pk.layout, plans.pk.stats) : null,
    pd: plans.pd ? summariseVpc(plans.pd.layout, plans.pd.stats) : null,
  };
}

export function studyDiagnostics(fit: StudyFitResult, options: StudyDiagnosticsOptions = {}): StudyDiagnostics {
  const replicates = options.vpcReplicates ?? DEFAULT_VPC_REPLICATES;
  if (!Number.isInteger(replicates) || replicates < 0)
    throw new Error(`studyDiagnostics: VPC replicates must be a whole number ≥ 0, got ${replicates}`);
  const curves = studyCurves(fit, options.curvePoints ?? DEFAULT_CURVE_POINTS, options.signal);
  const vpc = studyVpc(fit, replicates, options.seed ?? 1, options);
  return { observations: fit.observations.map((r) => ({ ...r })), curves, vpc };
}
