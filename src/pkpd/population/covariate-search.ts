/**
 * Stepwise covariate search (SCM, as PsN's scm does it): forward inclusion, then backward elimination,
 * over the candidates of covariate-candidates.ts — every covariate column of the study on every
 * parameter with a random effect — each test a likelihood ratio with one degree of freedom.
 *
 * 1. Base model: the spec with only its fixed effects (those with a `value`; the spec's estimated
 *    effects are left out: the search decides them), fitted as fitStudy fits it. Its structure — the
 *    compartments and PD family "auto" chose — is then held for every fit of the search, so that all
 *    objectives compare the same structure.
 * 2. Forward: each remaining candidate is added to the current model and fitted; the one that lowers
 *    the objective most is included when the drop exceeds `forwardThreshold` (3.84: χ², 1 df,
 *    p < 0.05) and its fit converged; repeated until none qualifies.
 * 3. Backward: from the forward model, each included effect is removed in turn and the model refitted;
 *    the one whose removal raises the objective least is dropped when the rise is below
 *    `backwardThreshold` (6.63: p < 0.01) and the reduced fit converged; repeated until none qualifies.
 *
 * The objective of a test is that of the stage the parameter belongs to (the fit is sequential,
 * ./fit-study.ts): PK OFV for an effect on a PK parameter, PD OFV (conditioned on the individual PK
 * parameters, IPP) for one on a PD parameter. A PK effect changes the individual PK parameters the
 * PD stage is conditioned on, so the sum of the stages would not be a likelihood ratio of nested
 * models; each stage's own objective is. A PK candidate is therefore fitted without the PD stage
 * (the same PK fit: same subjects' PK data, same starts), which saves the PD fit.
 *
 * Every fit starts from the data's starting values (initial-values.ts) as fitStudy's do — fitStudy
 * takes no initial estimates, so no warm start from the current model — and skips the covariance step.
 * A fit that throws is a row with its error and is never chosen; cancelling throws FitCancelledError.
 * A model is fitted once (a cache by effect set; for the PK stage, by PK effects: PD effects do not change it).
 *
 * The result's spec is the input spec with `model.covariates` replaced by the fixed effects kept and
 * the chosen effects as effects to estimate (no `value`; power and linear with the reference the
 * search used); everything else, the structure included, is the input's.
 *
 * Written once as steps (`covariateSearchSteps`, as ../optimizer.ts's): each yields the fits a step
 * needs — the base model, a step's own model, a step's tests — as one batch of independent fits,
 * answered one after another in this thread (`covariateSearch`) or side by side (`covariateSearchAsync`:
 * a pool of workers each fitting whole models, workers/fit-pool.ts); each fit is the same computation
 * wherever it runs, so the search is the same bit for bit (issue 16).
 */
import type { Dataset } from '../../data/types';
import { bindStudy } from '../../study/study-data';
import type { CovariateEffect, PdModelSpec, PkModelSpec, StudySpec } from '../../study/study-spec';
import { FitCancelledError } from '../errors';
import type { CancelSignal, FitProgress } from '../foce';
import { runSteps, runStepsAsync, type Steps } from '../optimizer';
import { covariateCandidates, type CandidateOptions, type CovariateCandidate, type SkippedColumn } from './covariate-candidates';
import { fitStudy, type StudyFitControl, type StudyFitResult } from './fit-study';
import { effectName, type Stage } from './parameter-model';

/** χ² with 1 degree of freedom at p = 0.05 and p = 0.01. */
export const FORWARD_THRESHOLD = 3.84;
export const BACKWARD_THRESHOLD = 6.63;

type ResolvedPk = PkModelSpec & { compartments: 1 | 2 };
type ResolvedPd = Exclude<PdModelSpec, { family: 'auto' }>;

/** Objective per stage of the sequential fit (a stage the fit did not run is absent). */
export interface StageOfv {
  pk?: number;
  pd?: number;
}

/** What the search needs of a fit. */
export interface CovariateFitOutcome {
  ofv: StageOfv;
  converged: { pk?: boolean; pd?: boolean };
  /** θ by name (data units; effects "CL~WT"). */
  theta: Readonly<Record<string, number>>;
  /** The structure fitted (compartments and PD family resolved). */
  structure: { pk: ResolvedPk; pd?: ResolvedPd };
}

/** Fits a spec to the data; the default is fitStudy (`studyFitOutcome`). */
export type CovariateFitter = (dataset: Dataset, spec: StudySpec, control: StudyFitControl) => CovariateFitOutcome;

export function studyFitOutcome(fit: StudyFitResult): CovariateFitOutcome {
  const ofv: StageOfv = {};
  const converged: CovariateFitOutcome['converged'] = {};
  for (const stage of [fit.pk, fit.pd]) {
    if (!stage) continue;
    ofv[stage.stage] = stage.foce.ofv;
    converged[stage.stage] = stage.foce.converged;
  }
  const structure: CovariateFitOutcome['structure'] = { pk: fit.model.pk };
  if (fit.model.pd) structure.pd = fit.model.pd;
  return { ofv, converged, theta: fit.model.theta, structure };
}

const fitByStudyFit: CovariateFitter = (dataset, spec, control) => studyFitOutcome(fitStudy(dataset, spec, control));

/** One fit the search needs: the spec to fit, and where the search stands (for progress). */
export interface CovariateFitJob {
  spec: StudySpec;
  progress: CovariateSearchProgress;
}

/** A fit's outcome, or why it failed (a message; the base model's failure is thrown as it was). */
export type CovariateFitAnswer = { outcome: CovariateFitOutcome } | { error: unknown };

/** 'final': the chosen model's full fit, when no step fitted it with every stage. */
export type SearchPhase = 'base' | 'forward' | 'backward' | 'final';

export interface CovariateSearchProgress {
  phase: SearchPhase;
  /** Step of the phase, from 1 (0: the base and the final model). */
  step: number;
  /** The fit running among the step's fits, from 1, of `candidates`. */
  candidate: number;
  candidates: number;
  /** The effect added (forward) or removed (backward) by the fit running; null for the step's own model. */
  name: string | null;
  /** Fits run so far (cached models are not fitted again). */
  fits: number;
  /** The running fit's own progress (FOCE iterations), when it reports. */
  fit?: FitProgress;
}

export interface CovariateStepRow {
  name: string;
  effect: CovariateEffect;
  stage: Stage;
  /** The stage's objective with the effect added (forward) or removed (backward); NaN when the fit failed. */
  ofv: number;
  /** Forward: the drop, step OFV − OFV; backward: the rise, OFV − step OFV. NaN when the fit failed. */
  deltaOfv: number;
  converged: boolean;
  /** The effect's θ in the fit with it added (forward); NaN in backward rows and failed fits. */
  estimate: number;
  /** Included (forward) or removed (backward) at this step. */
  chosen: boolean;
  error?: string;
}

export interface CovariateStep {
  phase: 'forward' | 'backward';
  step: number;
  threshold: number;
  /** The effects of the model the step starts from. */
  model: string[];
  /** That model's objective per stage. */
  ofv: StageOfv;
  rows: CovariateStepRow[];
  /** The effect included or removed; null when none qualified (the phase ends). */
  chosen: string | null;
}

export interface CovariateSearchOptions extends CandidateOptions {
  forwardThreshold?: number;
  backwardThreshold?: number;
  onProgress?: (progress: CovariateSearchProgress) => void;
  /** Each step as it completes (the rows of a table). */
  onStep?: (step: CovariateStep) => void;
  signal?: CancelSignal;
  /** The fitter (tests inject one); default fitStudy. */
  fit?: CovariateFitter;
}

export interface CovariateSearchResult {
  /** The input spec with the chosen `model.covariates` (a new object; the input is not changed). */
  spec: StudySpec;
  covariates: CovariateEffect[];
  /** The searched effects in the final model, in order of inclusion. */
  chosen: string[];
  /** Forward inclusions in order, then backward removals in order. */
  included: string[];
  removed: string[];
  steps: CovariateStep[];
  candidates: CovariateCandidate[];
  skipped: SkippedColumn[];
  structure: { pk: ResolvedPk; pd?: ResolvedPd };
  thresholds: { forward: number; backward: number };
  base: { ofv: StageOfv };
  /** The chosen model's fit (no covariance step). */
  final: CovariateFitOutcome;
  fits: number;
  notes: string[];
  elapsedMs: number;
}

/** The spec with these effects and the structure held. */
function withEffects(spec: StudySpec, effects: readonly CovariateEffect[], pkOnly: boolean): StudySpec {
  const model: StudySpec['model'] = { ...spec.model, covariates: effects.map((e) => ({ ...e })) };
  const endpoints = { ...spec.endpoints };
  if (pkOnly) {
    delete model.pd;
    delete endpoints.pd;
  }
  return { ...spec, endpoints, model };
}

function without<T>(list: readonly T[], item: T): T[] {
  return list.filter((x) => x !== item);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the search in this thread (see the header); throws what fitStudy throws for a base model that cannot be fitted. */
export function covariateSearch(dataset: Dataset, spec: StudySpec, options: CovariateSearchOptions = {}): CovariateSearchResult {
  const fit = options.fit ?? fitByStudyFit;
  const { signal, onProgress } = options;
  return runSteps(covariateSearchSteps(dataset, spec, options), (jobs) =>
    jobs.map((job): CovariateFitAnswer => {
      if (signal?.aborted) throw new FitCancelledError();
      onProgress?.(job.progress);
      const control: StudyFitControl = { signal, covariance: false };
      if (onProgress) control.onProgress = (progress) => onProgress({ ...job.progress, fit: progress });
      try {
        return { outcome: fit(dataset, job.spec, control) };
      } catch (error) {
        if (error instanceof FitCancelledError) throw error;
        return { error };
      }
    }),
  );
}

/**
 * The search with each batch of fits answered by `fitAll` (e.g. side by side on a pool of workers):
 * the same result as `covariateSearch` when each fit's outcome is the same. `fitAll` reports progress
 * itself and rejects to cancel (a FitCancelledError, or the pool's reason).
 */
export function covariateSearchAsync(
  dataset: Dataset,
  spec: StudySpec,
  options: Omit<CovariateSearchOptions, 'fit' | 'signal'>,
  fitAll: (jobs: readonly CovariateFitJob[]) => Promise<CovariateFitAnswer[]>,
): Promise<CovariateSearchResult> {
  return runStepsAsync(covariateSearchSteps(dataset, spec, options), fitAll);
}

/** The search as steps (see the header): each request a batch of independent fits, in the order the serial search runs them. */
export function* covariateSearchSteps(
  dataset: Dataset,
  spec: StudySpec,
  options: Omit<CovariateSearchOptions, 'fit' | 'signal'> = {},
): Steps<CovariateFitJob[], CovariateFitAnswer[], CovariateSearchResult> {
  const started = performance.now();
  const forwardThreshold = options.forwardThreshold ?? FORWARD_THRESHOLD;
  const backwardThreshold = options.backwardThreshold ?? BACKWARD_THRESHOLD;
  const notes: string[] = [];
  const fixed = spec.model.covariates.filter((c) => c.value !== undefined);
  const dropped = spec.model.covariates.filter((c) => c.value === undefined).map((c) => effectName(c.on, c.column));
  if (dropped.length > 0)
    notes.push(`The spec's estimated effects (${dropped.join(', ')}) are not in the base model: the search decides them.`);
  if (fixed.length > 0) notes.push(`Fixed effects kept in every model: ${fixed.map((c) => effectName(c.on, c.column)).join(', ')}.`);

  let fits = 0;
  type Position = Omit<CovariateSearchProgress, 'fits' | 'fit'>;
  const job = (input: StudySpec, position: Position): CovariateFitJob => ({ spec: input, progress: { ...position, fits: ++fits } });

  // 1. The base model, and its structure held from here on.
  const baseSpec = withEffects(spec, fixed, false);
  const [baseAnswer] = yield [job(baseSpec, { phase: 'base', step: 0, candidate: 1, candidates: 1, name: null })];
  if ('error' in baseAnswer) throw baseAnswer.error;
  const baseFit = baseAnswer.outcome;
  const structure = baseFit.structure;
  const held: StudySpec = {
    ...baseSpec,
    model: { ...baseSpec.model, pk: { ...structure.pk }, ...(structure.pd ? { pd: { ...structure.pd } } : {}) },
  };
  const hasPd = baseFit.ofv.pd !== undefined;
  const study = bindStudy(dataset, baseSpec);
  const { candidates, skipped } = covariateCandidates(dataset, study.subjects, spec.model, structure, options);
  if (candidates.length === 0) notes.push('No candidate effects: no usable covariate column, or no parameter with a random effect.');

  // Fits by effect set: "all" (every stage) and "pk" (the PK stage alone, which only the PK effects change) results.
  const keyOf = (stage: 'all' | 'pk', effects: readonly CovariateCandidate[]): string =>
    `${stage}:${effects
      .filter((c) => stage === 'all' || c.stage === 'pk')
      .map((c) => c.name)
      .sort()
      .join(',')}`;
  const cache = new Map<string, CovariateFitAnswer>([
    [keyOf('all', []), baseAnswer],
    [keyOf('pk', []), baseAnswer],
  ]);
  const cached = (effects: readonly CovariateCandidate[], stage: Stage): CovariateFitAnswer | undefined =>
    cache.get(keyOf('all', effects)) ?? (stage === 'pk' && hasPd ? cache.get(keyOf('pk', effects)) : undefined);
  /** Fits, as one batch, the models of `wanted` not fitted yet (each once). */
  function* fitMissing(
    wanted: readonly { effects: readonly CovariateCandidate[]; stage: Stage; position: Position }[],
  ): Steps<CovariateFitJob[], CovariateFitAnswer[], void> {
    const missing = new Map<string, { effects: readonly CovariateCandidate[]; pkOnly: boolean; position: Position }>();
    for (const w of wanted) {
      const pkOnly = w.stage === 'pk' && hasPd;
      const key = keyOf(pkOnly ? 'pk' : 'all', w.effects);
      if (!cached(w.effects, w.stage) && !missing.has(key)) missing.set(key, { effects: w.effects, pkOnly, position: w.position });
    }
    if (missing.size === 0) return;
    const entries = [...missing.values()];
    const answers = yield entries.map((m) => job(withEffects(held, [...fixed, ...m.effects.map((c) => c.effect)], m.pkOnly), m.position));
    entries.forEach((m, i) => {
      cache.set(keyOf(m.pkOnly ? 'pk' : 'all', m.effects), answers[i]);
      if (!m.pkOnly) cache.set(keyOf('pk', m.effects), answers[i]);
    });
  }
  /** The outcome of a model fitted by `fitMissing`; throws its error. */
  const evaluate = (effects: readonly CovariateCandidate[], stage: Stage): CovariateFitOutcome => {
    const answer = cached(effects, stage);
    if (!answer) throw new Error('covariate search: a model was not fitted before it was read');
    if ('error' in answer) throw answer.error;
    return answer.outcome;
  };
  const stageOfv = (model: readonly CovariateCandidate[], stages: ReadonlySet<Stage>): StageOfv => {
    const ofv: StageOfv = {};
    for (const stage of stages) ofv[stage] = evaluate(model, stage).ofv[stage];
    return ofv;
  };
  const row = (candidate: CovariateCandidate, model: readonly CovariateCandidate[], sign: 1 | -1, from: StageOfv): CovariateStepRow => {
    const out: CovariateStepRow = {
      name: candidate.name,
      effect: candidate.effect,
      stage: candidate.stage,
      ofv: Number.NaN,
      deltaOfv: Number.NaN,
      converged: false,
      estimate: Number.NaN,
      chosen: false,
    };
    try {
      const outcome = evaluate(model, candidate.stage);
      const ofv = outcome.ofv[candidate.stage];
      if (ofv === undefined) throw new Error(`the fit has no ${candidate.stage.toUpperCase()} stage`);
      out.ofv = ofv;
      out.deltaOfv = sign * ((from[candidate.stage] as number) - ofv);
      out.converged = outcome.converged[candidate.stage] === true;
      if (sign === 1) out.estimate = outcome.theta[candidate.name] ?? Number.NaN;
    } catch (error) {
      out.error = message(error);
    }
    return out;
  };
  const eligible = (r: CovariateStepRow): boolean => r.converged && Number.isFinite(r.deltaOfv);
  const steps: CovariateStep[] = [];
  const record = (step: CovariateStep): void => {
    steps.push(step);
    options.onStep?.(step);
  };

  /** One step: each test fitted; the best eligible one (forward: the largest drop; backward: the smallest rise) if it passes. */
  function* runStep(
    phase: 'forward' | 'backward',
    step: number,
    model: readonly CovariateCandidate[],
    tests: readonly CovariateCandidate[],
  ): Steps<CovariateFitJob[], CovariateFitAnswer[], CovariateCandidate | null> {
    const forward = phase === 'forward';
    const count = tests.length;
    const stages = new Set(tests.map((c) => c.stage));
    const own = { phase, step, candidate: 0, candidates: count, name: null };
    yield* fitMissing([...stages].map((stage) => ({ effects: model, stage, position: own })));
    const from = stageOfv(model, stages);
    const models = tests.map((c) => (forward ? [...model, c] : without(model, c)));
    yield* fitMissing(
      tests.map((c, k) => ({
        effects: models[k],
        stage: c.stage,
        position: { phase, step, candidate: k + 1, candidates: count, name: c.name },
      })),
    );
    const rows = tests.map((c, k) => row(c, models[k], forward ? 1 : -1, from));
    const score = (r: CovariateStepRow): number => (forward ? r.deltaOfv : -r.deltaOfv);
    const best = rows.filter(eligible).reduce<CovariateStepRow | null>((b, r) => (b === null || score(r) > score(b) ? r : b), null);
    const threshold = forward ? forwardThreshold : backwardThreshold;
    const chosen = best !== null && (forward ? best.deltaOfv > threshold : best.deltaOfv < threshold) ? best : null;
    if (chosen) chosen.chosen = true;
    record({ phase, step, threshold, model: model.map((c) => c.name), ofv: from, rows, chosen: chosen?.name ?? null });
    return chosen ? tests[rows.indexOf(chosen)] : null;
  }

  // 2. Forward inclusion.
  let current: CovariateCandidate[] = [];
  let remaining = [...candidates];
  const included: string[] = [];
  for (let step = 1; remaining.length > 0; step++) {
    const added = yield* runStep('forward', step, current, remaining);
    if (!added) break;
    current = [...current, added];
    remaining = without(remaining, added);
    included.push(added.name);
  }

  // 3. Backward elimination.
  const removed: string[] = [];
  for (let step = 1; current.length > 0; step++) {
    const gone = yield* runStep('backward', step, current, current);
    if (!gone) break;
    current = without(current, gone);
    removed.push(gone.name);
  }

  yield* fitMissing([{ effects: current, stage: 'pd', position: { phase: 'final', step: 0, candidate: 1, candidates: 1, name: null } }]);
  const final = evaluate(current, 'pd');
  const covariates = [...fixed.map((c) => ({ ...c })), ...current.map((c) => ({ ...c.effect }))];
  return {
    spec: { ...spec, model: { ...spec.model, covariates } },
    covariates,
    chosen: current.map((c) => c.name),
    included,
    removed,
    steps,
    candidates,
    skipped,
    structure,
    thresholds: { forward: forwardThreshold, backward: backwardThreshold },
    base: { ofv: baseFit.ofv },
    final,
    fits,
    notes,
    elapsedMs: performance.now() - started,
  };
}
