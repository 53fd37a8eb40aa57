/**
 * Population PK/PD fit of any study: a Dataset read through its StudySpec (src/study/study-data.ts),
 * the parameter model the spec describes (parameter-model.ts), fitted by FOCE-I (../foce.ts) through
 * the general structural engine (../structural), sequentially as the EstData-only fit it replaced did
 * (pkpd-fit.ts, retired; commit bc03053):
 *
 * 1. PK by FOCE-I; `compartments: "auto"` fits one and two compartments and keeps the lower AIC.
 * 2. PD by FOCE-I conditioned on each subject's individual PK parameters (IPP: the empirical Bayes
 *    estimates; typical values for a subject without PK observations). `family: "auto"` fits the
 *    families consistent with the direction of the response (read from the data: the median change
 *    after dosing) — direct, effect compartment, and the two indirect types that move the response
 *    that way (falling: inhibit-production, stimulate-loss; rising: stimulate-production,
 *    inhibit-loss) — and keeps the lowest AIC.
 * Starting values come from the data (initial-values.ts). Without a PK endpoint, the PK parameters
 * must all be fixed in the spec (`model.parameters`), and PD uses the typical PK of each subject.
 *
 * Pure and synchronous, with progress callbacks and a cancel signal, so a Web Worker can run it as it
 * is. Results are in the data's units for computation (`estimate`, `model`) and in
 * the spec's display units (units.ts `shownUnit`) for people (`value`).
 *
 * Written once as steps (`studyFitSteps`): every objective evaluation — the grids of starting values
 * and the FOCE fits — is a yielded `StudyFitRequest`, answered in this thread by `fitStudyData`, or
 * by a pool of workers through `fitStudyDataAsync` (issue 16): a request names its stage with plain
 * data (`StageKey`), from which a worker rebuilds the same objective (`stageObjective`).
 */
import type { Dataset } from '../../data/types';
import { bindStudy, type StudyData, type StudySubject } from '../../study/study-data';
import type { ModelParameter, PdModelSpec, PkModelSpec, StudySpec } from '../../study/study-spec';
import { HOURS_PER, shownUnit } from '../../study/units';
import { formatCount } from '../../text/format';
import type { ObservationDiagnostic } from '../diagnostics/observation-diagnostics';
import { PkpdDataError } from '../errors';
import type { CancelSignal, FitProgress, FoceObjective, FoceResult, ParameterEstimate, SubjectAnswer } from '../foce';
import { mapRequests, runSteps, runStepsAsync, type Steps } from '../optimizer';
import { createStructuralModel, type ParameterValues } from '../structural/structural-model';
import type { ResidualSds } from '../residual-error';
import { oneCompartmentStarts, pdStarts, responseRises, twoCompartmentStarts } from './initial-values';
import {
  covariateVector,
  individualValues,
  linearEffects,
  networkEffects,
  resolveEffects,
  stageModel,
  type ResolvedEffect,
  type Stage,
  type StageModel,
} from './parameter-model';
import {
  bestStartSteps,
  predictSubject,
  residualChoice,
  stageData,
  stageFitSteps,
  stageProblem,
  type ResidualChoice,
  type StageData,
  type StageRequest,
  type StageStart,
} from './stage';
import { FoceObjective as Objective } from '../foce';

export interface StudyFitControl {
  onProgress?: (progress: FitProgress) => void;
  signal?: CancelSignal;
  /** Standard errors for every fit (default true). */
  covariance?: boolean;
  /**
   * A hybrid model's covariate model (src/model/mechanistic): the parameters a network shifts (each
   * subject's covariates carry the shift as `networkColumn(P)`) and the inputs of its linear part
   * (`inputColumn(c)`, an estimated effect on each shifted parameter); see parameter-model.ts. Give a
   * spec whose structure is resolved (compartments 1 or 2, a PD family other than "auto").
   */
  network?: { shifted: readonly ModelParameter[]; inputs: readonly string[] };
}

/** A fitted estimate: `value` in the spec's display units, `estimate` in the data's units. */
export interface NamedEstimate {
  stage: Stage;
  role: 'typical' | 'effect';
  /** The parameter a typical value is of, or the one an effect acts on. */
  parameter: ModelParameter;
  value: number;
  unit: string;
  /** Standard error and 95 % interval in display units; NaN when not available or fixed. */
  se: number;
  rse: number;
  lower: number;
  upper: number;
  fixed: boolean;
  estimate: number;
}

export interface OmegaEstimate {
  stage: Stage;
  /** SD of η (log-normal; IMAX: on the logit scale). */
  sd: number;
  rse: number;
  lower: number;
  upper: number;
  fixed: boolean;
  /** 1 − SD(η̂)/ω. */
  shrinkage: number;
}

export type ResidualComponent = 'exponential' | 'additive' | 'proportional';

export interface ResidualEstimate {
  value: number;
  /** Exponential and proportional: a fraction (SD of ln DV, coefficient of variation); additive: the endpoint's unit. */
  unit: string;
  rse: number;
  lower: number;
  upper: number;
}

/**
 * Residual error values of an endpoint (data units): log scale (`additive` is the SD of ln DV) or
 * natural, with how additive and proportional combine (`combined`, ../residual-error.ts).
 */
export interface ResidualValues extends ResidualSds {
  scale: 'log' | 'natural';
}

/**
 * A fitted (or given) population model in the data's units: what a simulator needs
 * (simulate-study.ts). θ by name — typical values "CL", effects "CL~WT" — with the effects' references.
 */
export interface StudyPopulationModel {
  pk: PkModelSpec & { compartments: 1 | 2 };
  pd?: Exclude<PdModelSpec, { family: 'auto' }>;
  effects: ResolvedEffect[];
  theta: Record<string, number>;
  omega: Partial<Record<ModelParameter, number>>;
  residual: { pk?: ResidualValues; pd?: ResidualValues };
}

export interface StageFit {
  stage: Stage;
  /** E.g. "oral 2-compartment", "indirect (inhibit-production)". */
  label: string;
  pk: PkModelSpec & { compartments: 1 | 2 };
  pd?: Exclude<PdModelSpec, { family: 'auto' }>;
  model: StageModel;
  residual: ResidualChoice;
  foce: FoceResult;
  /** Observations left out, and why. */
  excluded: { count: number; reasons: string[] };
  data: StageData;
}

export interface ModelComparison {
  stage: Stage;
  model: string;
  ofv: number;
  aic: number;
  bic: number;
  parameters: number;
  /** AIC minus the lowest AIC of the stage's candidates. */
  deltaAic: number;
  chosen: boolean;
  converged: boolean;
}

export interface SubjectFit {
  id: string;
  group: string;
  /** Empirical Bayes η by parameter (0 where the subject had no observations of that stage). */
  eta: Partial<Record<ModelParameter, number>>;
  /** Individual parameters, data units. */
  parameters: ParameterValues;
}

export interface StudyFitResult {
  spec: StudySpec;
  study: StudyData;
  pk?: StageFit;
  pd?: StageFit;
  /** Every model fitted, per stage, in the order tried. */
  candidates: { pk: StageFit[]; pd: StageFit[] };
  comparison: ModelComparison[];
  /** Typical values and covariate effects of the kept models, by θ name. */
  estimates: Record<string, NamedEstimate>;
  /** Between-subject SDs by parameter. */
  omega: Partial<Record<ModelParameter, OmegaEstimate>>;
  residual: { pk?: Partial<Record<ResidualComponent, ResidualEstimate>>; pd?: Partial<Record<ResidualComponent, ResidualEstimate>> };
  /** Sums over the kept models' stages (the IPP objective: PK, plus PD given the individual PK). */
  ofv: number;
  aic: number;
  bic: number;
  nObservations: number;
  individuals: SubjectFit[];
  /** PRED, IPRED, IWRES and CWRES per observation used (PD PRED: typical PK and PD, as observation-diagnostics.ts). */
  observations: ObservationDiagnostic[];
  model: StudyPopulationModel;
  pdConditioning: 'IPP';
  notes: string[];
  elapsedMs: number;
}

/**
 * The PD engine refines its integration grid where (rate of the response) × (longest panel) exceeds
 * this (../structural/pd.ts; the engine's default 0.5 keeps the quadrature error near 1e-8). 1 keeps
 * it near 5e-7 — far below any residual error — and keeps a fit on the grid the EstData-only PD fit
 * used for KOUT up to 0.042/h with 24-h panels: EstData's fit visits KOUT up to 0.03/h, and with 0.5 its PD
 * estimates would differ from today's by about 1e-6 (relative) instead of not at all.
 */
const PD_STIFFNESS_LIMIT = 1;

type ResolvedPk = PkModelSpec & { compartments: 1 | 2 };
type ResolvedPd = Exclude<PdModelSpec, { family: 'auto' }>;

export function pkLabel(pk: ResolvedPk): string {
  const route = pk.route === 'oral' ? (pk.lag ? 'oral with lag' : 'oral') : 'IV';
  return `${route} ${pk.compartments}-compartment`;
}

export function pdLabel(pd: ResolvedPd): string {
  if (pd.family === 'indirect') return `indirect (${pd.type}${pd.sigmoid ? ', sigmoid' : ''})`;
  return `${pd.family} (${pd.direction}${pd.sigmoid ? ', sigmoid' : ''})`;
}

/** The PD families "auto" tries for a response that rises or falls with drug. */
export function autoFamilies(rises: boolean): ResolvedPd[] {
  const direction = rises ? 'increase' : 'decrease';
  return [
    { family: 'direct', direction, sigmoid: false },
    { family: 'effect-compartment', direction, sigmoid: false },
    { family: 'indirect', type: rises ? 'stimulate-production' : 'inhibit-production' },
    { family: 'indirect', type: rises ? 'inhibit-loss' : 'stimulate-loss' },
  ];
}

function pickByAic(fits: StageFit[]): StageFit {
  return fits.reduce((best, fit) => (fit.foce.aic < best.foce.aic ? fit : best));
}

const stageIndex = new WeakMap<StageData, Map<StudySubject, number>>();

/** The subject's empirical Bayes η in a stage (zeros when it had no observations there). */
function etaOf(fit: StageFit, subject: StudySubject): Float64Array {
  let index = stageIndex.get(fit.data);
  if (!index) {
    index = new Map(fit.data.subjects.map((d, i) => [d.subject, i]));
    stageIndex.set(fit.data, index);
  }
  const i = index.get(subject);
  return i !== undefined ? fit.foce.etas[i] : new Float64Array(fit.model.etas.length);
}

/**
 * A stage of the study fit as plain data, from which `stageObjective` rebuilds its objective (with
 * the study and the hybrid covariate model, if any): PK by its compartments; PD by its models and
 * each study subject's individual PK values (IPP, in the study's subject order).
 */
export type StageKey =
  | { readonly endpoint: 'pk'; readonly compartments: 1 | 2; readonly start: StageStart }
  | {
      readonly endpoint: 'pd';
      readonly pk: ResolvedPk;
      readonly pd: ResolvedPd;
      readonly pkValues: readonly ParameterValues[];
      readonly start: StageStart;
    };

/**
 * An objective evaluation of the study fit: a stage's request, its objective (to answer it in the
 * thread), its key and id (unique in the fit).
 */
export interface StudyFitRequest extends StageRequest {
  readonly id: string;
  readonly stage: StageKey;
}

/** Fits the study; throws StudyDataError (src/study) or PkpdDataError with what to do for data or specs that cannot work. */
export function fitStudy(dataset: Dataset, spec: StudySpec, control: StudyFitControl = {}): StudyFitResult {
  return fitStudyData(bindStudy(dataset, spec), control);
}

/** The study fit in this thread. */
export function fitStudyData(study: StudyData, control: StudyFitControl = {}): StudyFitResult {
  return runSteps(studyFitSteps(study, control), (r) => r.objective.subjectValues(r.request));
}

/**
 * The study fit with its objective evaluations answered by `answer` (a pool of workers, see the
 * header): the same result bit for bit when the answers hold the same numbers as the thread's.
 */
export function fitStudyDataAsync(
  study: StudyData,
  control: StudyFitControl,
  answer: (request: StudyFitRequest) => Promise<SubjectAnswer>,
): Promise<StudyFitResult> {
  return runStepsAsync(studyFitSteps(study, control), answer);
}

/** The covariate effects of the fit: the spec's, and a hybrid model's network and linear effects. */
function studyEffects(study: StudyData, network: StudyFitControl['network']): ResolvedEffect[] {
  const { spec, subjects } = study;
  return [
    ...resolveEffects(spec.model.covariates, (column) => subjects.map((s) => s.covariates[column])),
    ...networkEffects(network?.shifted ?? [], spec.model.pd),
    ...linearEffects(network?.shifted ?? [], network?.inputs ?? [], spec.model.pd),
  ];
}

/** The PK stage's data with `compartments`. */
function pkStageData(study: StudyData, effects: ResolvedEffect[], compartments: 1 | 2): StageData {
  const { spec, subjects } = study;
  const pk: ResolvedPk = { ...spec.model.pk, compartments };
  return stageData(subjects, {
    endpoint: 'pk',
    engine: createStructuralModel({ pk }, { hoursPerTimeUnit: HOURS_PER[spec.units.time] }),
    model: stageModel(spec, 'pk', pk, undefined, effects),
    residual: residualChoice(
      'pk',
      spec.model.error?.pk,
      subjects.flatMap((s) => Array.from(s.pk.values)),
    ),
  });
}

/** The PD stage's data of model `pd` on the PK model `pk`, each subject's PK values from `pkOf`. */
function pdStageData(
  study: StudyData,
  effects: ResolvedEffect[],
  pk: ResolvedPk,
  pd: ResolvedPd,
  pkOf: (s: StudySubject) => ParameterValues,
): StageData {
  const { spec, subjects } = study;
  return stageData(subjects, {
    endpoint: 'pd',
    engine: createStructuralModel({ pk, pd }, { stiffnessLimit: PD_STIFFNESS_LIMIT, hoursPerTimeUnit: HOURS_PER[spec.units.time] }),
    model: stageModel(spec, 'pd', pk, pd, effects),
    residual: residualChoice(
      'pd',
      spec.model.error?.pd,
      subjects.flatMap((s) => Array.from(s.pd.values)),
    ),
    pkValues: pkOf,
  });
}

/** The objective of a stage of the fit of `study` (a pool worker's copy of the driver's: the same function of the parameters). */
export function stageObjective(study: StudyData, network: StudyFitControl['network'], stage: StageKey): FoceObjective {
  const effects = studyEffects(study, network);
  let data: StageData;
  if (stage.endpoint === 'pk') data = pkStageData(study, effects, stage.compartments);
  else {
    const index = new Map(study.subjects.map((s, i) => [s, i]));
    data = pdStageData(study, effects, stage.pk, stage.pd, (s) => stage.pkValues[index.get(s)!]);
  }
  return new Objective(stageProblem(data, stage.start));
}

/** `steps`' requests, each with the stage's id and key. */
function inStage<R>(id: string, stage: StageKey, steps: Steps<StageRequest, SubjectAnswer, R>): Steps<StudyFitRequest, SubjectAnswer, R> {
  return mapRequests(steps, (request) => ({ ...request, id, stage }));
}

/** The study fit as steps (see the header). */
export function* studyFitSteps(study: StudyData, control: StudyFitControl = {}): Steps<StudyFitRequest, SubjectAnswer, StudyFitResult> {
  const started = performance.now();
  const { spec } = study;
  const units = spec.units;
  const subjects = study.subjects;
  const notes = [...study.notes];
  const effects = studyEffects(study, control.network);
  const fitControl = (stage: string) => ({ onProgress: control.onProgress, signal: control.signal, covariance: control.covariance, stage });

  // 1. PK.
  const pkCandidates: StageFit[] = [];
  let pkValues: (s: StudySubject) => ParameterValues;
  let chosenPk: ResolvedPk;
  if (spec.endpoints.pk) {
    const counts: (1 | 2)[] = spec.model.pk.compartments === 'auto' ? [1, 2] : [spec.model.pk.compartments];
    const prepared = new Map<1 | 2, StageData>();
    const dataFor = (compartments: 1 | 2): StageData => {
      let data = prepared.get(compartments);
      if (!data) {
        data = pkStageData(study, effects, compartments);
        prepared.set(compartments, data);
      }
      return data;
    };
    const pkKey = (compartments: 1 | 2, start: StageStart): StageKey => ({ endpoint: 'pk', compartments, start });
    let oneStart: StageStart | undefined;
    for (const compartments of counts) {
      const data = dataFor(compartments);
      if (!oneStart) {
        const candidates = oneCompartmentStarts(dataFor(1), units, data.model);
        oneStart = yield* inStage('pk1', pkKey(1, candidates[0]), bestStartSteps(dataFor(1), candidates, control.signal));
      }
      let start = oneStart;
      if (compartments === 2) {
        const candidates = twoCompartmentStarts(data, oneStart);
        start = yield* inStage('pk2', pkKey(2, candidates[0]), bestStartSteps(data, candidates, control.signal));
      }
      const pk: ResolvedPk = { ...spec.model.pk, compartments };
      const label = pkLabel(pk);
      const foce = yield* inStage(
        `pk${compartments}`,
        pkKey(compartments, start),
        stageFitSteps(data, start, fitControl(`PK ${compartments}-compartment`)),
      );
      pkCandidates.push({ stage: 'pk', label, pk, model: data.model, residual: data.residual, foce, excluded: data.excluded, data });
    }
    const pkFit = pickByAic(pkCandidates);
    chosenPk = pkFit.pk;
    const theta = pkFit.foce.theta;
    pkValues = (s) => individualValues(pkFit.model, theta, etaOf(pkFit, s), covariateVector(pkFit.model, s.covariates), {});
    for (const e of pkFit.model.unused)
      notes.push(`${e.name} acts on ${e.on}, which the ${pkFit.label} model does not have; it was left out.`);
  } else {
    if (spec.model.pk.compartments === 'auto') {
      throw new PkpdDataError(
        'The study has no PK endpoint, so model.pk.compartments cannot be chosen from the data: give 1 or 2, with every PK parameter in model.parameters.',
      );
    }
    chosenPk = { ...spec.model.pk, compartments: spec.model.pk.compartments };
    const model = stageModel(spec, 'pk', chosenPk, undefined, effects);
    const free = model.thetas.filter((t) => !t.fixed).map((t) => t.name);
    if (free.length > 0) {
      throw new PkpdDataError(
        `The study has no PK endpoint (endpoints.pk), so ${free.join(', ')} cannot be estimated: give them in model.parameters (or a covariate effect's value), or add the concentration observations.`,
      );
    }
    const theta = model.thetas.map((t) => t.fixedValue as number);
    const none = new Float64Array(model.etas.length);
    pkValues = (s) => individualValues(model, theta, none, covariateVector(model, s.covariates), {});
    notes.push('No PK endpoint: the response is driven by the typical PK of each subject (the fixed PK parameters).');
  }

  // 2. PD, conditioned on the individual PK parameters.
  const pdCandidates: StageFit[] = [];
  const pdSpec = spec.model.pd;
  if (pdSpec && spec.endpoints.pd && subjects.some((s) => s.pd.times.length > 0)) {
    const ipp = new Map(subjects.map((s) => [s, pkValues(s)]));
    const pkOf = (s: StudySubject): ParameterValues => ipp.get(s) as ParameterValues;
    const ippList = subjects.map(pkOf);
    const families = pdSpec.family === 'auto' ? autoFamilies(responseRises(subjects)) : [pdSpec];
    for (const pd of families) {
      const data = pdStageData(study, effects, chosenPk, pd, pkOf);
      const label = pdLabel(pd);
      const pdKey = (start: StageStart): StageKey => ({ endpoint: 'pd', pk: chosenPk, pd, pkValues: ippList, start });
      const candidates = pdStarts({ data, pd, units, pkValues: pkOf });
      const start = yield* inStage(`pd ${label}`, pdKey(candidates[0]), bestStartSteps(data, candidates, control.signal));
      const foce = yield* inStage(`pd ${label}`, pdKey(start), stageFitSteps(data, start, fitControl(`PD ${label}`)));
      pdCandidates.push({
        stage: 'pd',
        label,
        pk: chosenPk,
        pd,
        model: data.model,
        residual: data.residual,
        foce,
        excluded: data.excluded,
        data,
      });
    }
  } else if (pdSpec) {
    notes.push('The spec has a PD model but no response observations were selected; only PK was fitted.');
  }
  const pkFit = pkCandidates.length ? pickByAic(pkCandidates) : undefined;
  const pdFit = pdCandidates.length ? pickByAic(pdCandidates) : undefined;
  for (const fit of [pkFit, pdFit]) {
    if (!fit) continue;
    if (fit.excluded.count > 0) notes.push(`Left out: ${fit.excluded.reasons.join('; ')}.`);
    if (fit.data.censored > 0) notes.push(censoredNote(fit.stage, fit.data.censored));
    if (!fit.foce.converged) notes.push(`The ${fit.stage.toUpperCase()} fit (${fit.label}) did not converge: ${fit.foce.message}.`);
    if (fit.foce.covarianceMessage !== 'ok') notes.push(`${fit.stage.toUpperCase()} standard errors: ${fit.foce.covarianceMessage}.`);
  }
  if (pdFit)
    for (const e of pdFit.model.unused)
      notes.push(`${e.name} acts on ${e.on}, which the ${pdFit.label} model does not have; it was left out.`);

  const comparison = [...compare(pkCandidates, pkFit), ...compare(pdCandidates, pdFit)];
  const kept = [pkFit, pdFit].filter((f): f is StageFit => f !== undefined);
  const estimates: Record<string, NamedEstimate> = {};
  const omega: Partial<Record<ModelParameter, OmegaEstimate>> = {};
  const residual: StudyFitResult['residual'] = {};
  const model: StudyPopulationModel = { pk: chosenPk, effects, theta: {}, omega: {}, residual: {} };
  if (pdFit?.pd) model.pd = pdFit.pd;
  for (const fit of kept) {
    collectEstimates(fit, spec, estimates, omega);
    residual[fit.stage] = residualEstimates(fit, fit.stage === 'pk' ? units.concentration : units.response);
    fit.model.thetas.forEach((t, i) => (model.theta[t.name] = fit.foce.theta[i]));
    fit.model.etas.forEach((name, k) => (model.omega[name] = fit.foce.omegaSd[k]));
    const values: ResidualValues = {
      scale: fit.residual.scale,
      additive: fit.residual.additive !== undefined ? fit.foce.sigmaAdditive : 0,
      proportional: fit.residual.proportional !== undefined ? fit.foce.sigmaProportional : 0,
    };
    if (fit.residual.combined) values.combined = fit.residual.combined;
    model.residual[fit.stage] = values;
  }
  if (!pkFit) {
    // Fixed PK: the model still needs its θ for simulation.
    const pkModel = stageModel(spec, 'pk', chosenPk, undefined, effects);
    for (const t of pkModel.thetas) model.theta[t.name] = t.fixedValue as number;
  }
  const individuals = subjects.map((s) => individualFit(s, pkFit, pdFit, pkValues));
  const observations = kept.flatMap((fit) => observationRows(fit, spec, model));
  return {
    spec,
    study,
    pk: pkFit,
    pd: pdFit,
    candidates: { pk: pkCandidates, pd: pdCandidates },
    comparison,
    estimates,
    omega,
    residual,
    ofv: kept.reduce((a, f) => a + f.foce.ofv, 0),
    aic: kept.reduce((a, f) => a + f.foce.aic, 0),
    bic: kept.reduce((a, f) => a + f.foce.bic, 0),
    nObservations: kept.reduce((a, f) => a + f.foce.nObservations, 0),
    individuals,
    observations,
    model,
    pdConditioning: 'IPP',
    notes,
    elapsedMs: performance.now() - started,
  };
}

function compare(fits: StageFit[], chosen: StageFit | undefined): ModelComparison[] {
  if (fits.length === 0) return [];
  const best = Math.min(...fits.map((f) => f.foce.aic));
  return fits.map((f) => ({
    stage: f.stage,
    model: f.label,
    ofv: f.foce.ofv,
    aic: f.foce.aic,
    bic: f.foce.bic,
    parameters: f.foce.nEstimated,
    deltaAic: f.foce.aic - best,
    chosen: f === chosen,
    converged: f.foce.converged,
  }));
}

function findEstimate(foce: FoceResult, name: string): ParameterEstimate {
  const p = foce.parameters.find((x) => x.name === name);
  if (!p) throw new Error(`The fit has no parameter ${name}.`);
  return p;
}

function collectEstimates(
  fit: StageFit,
  spec: StudySpec,
  estimates: Record<string, NamedEstimate>,
  omega: Partial<Record<ModelParameter, OmegaEstimate>>,
): void {
  for (const t of fit.model.thetas) {
    const p = findEstimate(fit.foce, t.name);
    const shown = t.role === 'typical' ? shownUnit(t.parameter, spec.units, fit.pd?.family) : { unit: '', factor: 1 };
    estimates[t.name] = {
      stage: fit.stage,
      role: t.role,
      parameter: t.parameter,
      value: p.estimate * shown.factor,
      unit: shown.unit,
      se: p.se * shown.factor,
      rse: p.rse,
      lower: p.lower * shown.factor,
      upper: p.upper * shown.factor,
      fixed: p.fixed,
      estimate: p.estimate,
    };
  }
  fit.model.etas.forEach((name, k) => {
    const p = findEstimate(fit.foce, `omega(${name})`);
    omega[name] = {
      stage: fit.stage,
      sd: p.estimate,
      rse: p.rse,
      lower: p.lower,
      upper: p.upper,
      fixed: p.fixed,
      shrinkage: fit.foce.etaShrinkage[k],
    };
  });
}

function residualEstimates(fit: StageFit, unit: string): Partial<Record<ResidualComponent, ResidualEstimate>> {
  const out: Partial<Record<ResidualComponent, ResidualEstimate>> = {};
  const entry = (name: string, shownUnit: string): ResidualEstimate => {
    const p = findEstimate(fit.foce, name);
    return { value: p.estimate, unit: shownUnit, rse: p.rse, lower: p.lower, upper: p.upper };
  };
  if (fit.residual.scale === 'log') out.exponential = entry('sigma(add)', '');
  else {
    if (fit.residual.additive !== undefined) out.additive = entry('sigma(add)', unit);
    if (fit.residual.proportional !== undefined) out.proportional = entry('sigma(prop)', '');
  }
  return out;
}

function individualFit(
  subject: StudySubject,
  pkFit: StageFit | undefined,
  pdFit: StageFit | undefined,
  pkValues: (s: StudySubject) => ParameterValues,
): SubjectFit {
  const eta: Partial<Record<ModelParameter, number>> = {};
  const parameters: ParameterValues = { ...pkValues(subject) };
  if (pkFit) {
    const e = etaOf(pkFit, subject);
    pkFit.model.etas.forEach((name, k) => (eta[name] = e[k]));
  }
  if (pdFit) {
    const e = etaOf(pdFit, subject);
    pdFit.model.etas.forEach((name, k) => (eta[name] = e[k]));
    individualValues(pdFit.model, pdFit.foce.theta, e, covariateVector(pdFit.model, subject.covariates), parameters);
  }
  return { id: subject.id, group: subject.group, eta, parameters };
}

/** The fit's note on a stage's observations below the limit of quantification ("12 concentration observations … M3"). */
export function censoredNote(stage: 'pk' | 'pd', count: number): string {
  const what = stage === 'pk' ? 'concentration' : 'response';
  return (
    `${formatCount(count)} ${what} observation(s) below the limit of quantification handled by M3 ` +
    '(the likelihood of a value below the limit; IWRES and CWRES are not defined there).'
  );
}

/**
 * Observation rows in the shape of src/pkpd/diagnostics: PK from the fit's own diagnostics (back on
 * the natural scale for a log-scale error); PD IPRED from the fit (individual PK and PD), PD PRED
 * from the typical PK and the typical PD (every η = 0).
 */
function observationRows(fit: StageFit, spec: StudySpec, model: StudyPopulationModel): ObservationDiagnostic[] {
  const log = fit.residual.scale === 'log';
  const back = (v: number): number => (log ? Math.exp(v) : v);
  const rows: ObservationDiagnostic[] = [];
  fit.data.subjects.forEach((d, i) => {
    const diag = fit.foce.diagnostics[i];
    let pred: Float64Array = diag.pred.map(back);
    if (fit.stage === 'pd') {
      const typical: ParameterValues = {};
      const pkModel = stageModel(spec, 'pk', fit.pk, undefined, model.effects);
      const pkTheta = pkModel.thetas.map((t) => model.theta[t.name]);
      individualValues(pkModel, pkTheta, new Float64Array(pkModel.etas.length), covariateVector(pkModel, d.subject.covariates), typical);
      individualValues(fit.model, fit.foce.theta, new Float64Array(fit.model.etas.length), d.z, typical);
      pred = new Float64Array(d.dv.length);
      if (!predictSubject(fit.data, i, typical, pred)) pred.fill(Number.NaN);
    }
    d.times.forEach((time, j) => {
      rows.push({
        target: fit.stage,
        id: d.subject.id,
        armDose: d.subject.armDose,
        group: d.subject.group,
        time,
        dv: d.dv[j],
        pred: pred[j],
        ipred: back(diag.ipred[j]),
        iwres: diag.iwres[j],
        cwres: diag.cwres[j],
        blq: d.blq[j] === 1,
      });
    });
  });
  return rows;
}
