/**
 * The dose questions answered by a trained PK/PD network. `answerNetworkStudyQuestions` answers a
 * study's questions (its spec's `questions`: endpoint, criterion, regimens, scenarios, targets) with
 * the engine every model uses (dose-questions.ts, criterion.ts) over a network steady-state
 * simulator (network-simulator.ts), with the network's own facts beside the answers — each
 * regimen's history plan (how many intervals, and whether the training time span capped them) and
 * the input features that leave their training range at each answer. Virtual subjects get the
 * model's covariates by column name from the scenario, the rest resampled jointly from the network's
 * training subjects (virtual-population.ts). A network has no infusion input: an infusion regimen
 * is refused with a message before anything runs. Given an ensemble (the same network trained with
 * other seeds), every member answers on the same virtual subjects: each curve gets the band of the
 * members' success fractions at its doses (5th, 50th, 95th percentile) and each answer the spread
 * of the members' answers (nearest rank; Infinity where a member never reaches the target).
 * `compareAnswers` measures how far two sets of answers are apart, in dose units and grid steps.
 *
 * Defaults differ from the mechanistic run where a network costs more: a 0.5 h grid (in the study's
 * time unit; at most a quarter of the shortest interval), bisection only (MCTS would triple the
 * doses simulated) and the curve of the doses the searches evaluated. Only the training subjects
 * passed in are read (baseline PD, covariates, feature ranges).
 */
import { answerSpread, bandPoint } from './percentiles';
import type { Dataset } from '../data/types';
import type { PkPdModel } from '../model/pkpd-model';
import type { QuestionsSpec, RegimenSpec, StudySpec, TimeUnit } from '../study/study-spec';
import { HOURS_PER } from '../study/units';
import {
  answerDoseQuestions,
  type DoseAnswer,
  type DoseControl,
  type DoseEngineOptions,
  type DoseQuestionsResult,
  dosingRegimen,
} from './dose-questions';
import { DoseResponse } from './dose-response';
import { DoseSettingsError } from './errors';
import { bisectDoseGrid } from './grid-search';
import { networkTrainingContext, type NetworkTrainingContext } from './network-context';
import { type FeatureExtrapolation, type HistoryPlan, NetworkPdSimulator, type NetworkSimulatorOptions } from './network-simulator';
import { studyQuestions, studyUnits } from './study-questions';
import { drawPopulation, type VirtualPopulation } from './virtual-population';

export interface NetworkStudyOptions extends Omit<DoseEngineOptions, 'units' | 'trial'> {
  /** Replaces parts of the spec's questions (e.g. virtualSubjects, seed). */
  questions?: Partial<QuestionsSpec>;
  /** The model's training subjects (indices into the dataset); default every subject with records. */
  trainingSubjects?: readonly number[];
  simulator?: Omit<NetworkSimulatorOptions, 'screenThreshold' | 'endpoint' | 'route' | 'direction'>;
  /** Other members of an ensemble (same features and training subjects, other seeds) for the bands. */
  ensemble?: readonly PkPdModel[];
}

export interface NetworkExtrapolation {
  scenario: string;
  regimen: string;
  /** The largest answer of this scenario and regimen. */
  dose: number;
  features: FeatureExtrapolation[];
}

/** What a network run adds to the engine's result. */
export interface NetworkFacts {
  /** One per regimen. */
  plans: HistoryPlan[];
  extrapolation: NetworkExtrapolation[];
  /** The bands' source (the model and its ensemble), or null without an ensemble. */
  band: { members: number; method: string } | null;
  timing: { questionsSeconds: number; bandSeconds: number };
}

export type NetworkStudyResult = DoseQuestionsResult & NetworkFacts;

/** How the study's endpoint moves with the dose, from its spec (unknown for an 'auto' PD family). */
function specDirection(spec: StudySpec, endpoint: 'pk' | 'pd'): 'increasing' | 'decreasing' | undefined {
  const pd = spec.model.pd;
  if (endpoint === 'pk') return 'increasing';
  if (!pd || pd.family === 'auto') return undefined;
  if (pd.family === 'indirect') return pd.type === 'stimulate-production' || pd.type === 'inhibit-loss' ? 'increasing' : 'decreasing';
  return pd.direction === 'increase' ? 'increasing' : 'decreasing';
}

/** The network's default grid: 0.5 h in the time unit, at most a quarter of the shortest interval. */
function networkGridStep(questions: QuestionsSpec, time: TimeUnit): number {
  const shortest = Math.min(...questions.regimens.map((r) => r.interval));
  return Math.min(0.5 / HOURS_PER[time], shortest / 4);
}

/** A study's dose questions answered by a trained network (see the file comment). */
export async function answerNetworkStudyQuestions(
  model: PkPdModel,
  dataset: Dataset,
  spec: StudySpec,
  options: NetworkStudyOptions = {},
  control: DoseControl = {},
): Promise<NetworkStudyResult> {
  const { questions: replace, ...rest } = options;
  const questions = studyQuestions(spec, replace);
  const units = studyUnits(spec, questions.endpoint);
  return answerNetworkQuestions(
    model,
    dataset,
    questions,
    { route: spec.model.pk.route, direction: specDirection(spec, questions.endpoint), units, trial: true },
    { gridStep: networkGridStep(questions, spec.units.time), ...rest },
    control,
  );
}

interface NetworkStudy {
  route: 'oral' | 'iv';
  direction: 'increasing' | 'decreasing' | undefined;
  units: NonNullable<DoseEngineOptions['units']>;
  /** Resample the covariates a scenario leaves out from the training subjects. */
  trial: boolean;
}

/** Refuses questions a network cannot answer, before anything runs. */
function checkNetworkQuestions(questions: QuestionsSpec, route: 'oral' | 'iv'): void {
  for (const r of questions.regimens) {
    if (r.route === 'iv' && r.duration !== undefined && r.duration > 0) {
      throw new DoseSettingsError(
        `Networks cannot answer for the regimen "${r.name}": it is an infusion (over ${r.duration}), and the networks' features read every dose as given at once — they have no infusion input. Answer it with the population model, or remove the regimen from the networks' run.`,
      );
    }
    if (r.route !== route) {
      throw new DoseSettingsError(
        `Networks cannot answer for the regimen "${r.name}" (${r.route === 'oral' ? 'oral' : 'IV'}): they learned from the study's ${route === 'oral' ? 'oral doses' : 'IV doses'} only. Choose the study's route for the regimen, or answer it with the population model.`,
      );
    }
  }
}

async function answerNetworkQuestions(
  model: PkPdModel,
  dataset: Dataset,
  questions: QuestionsSpec,
  study: NetworkStudy,
  options: Omit<NetworkStudyOptions, 'questions'>,
  control: DoseControl,
): Promise<NetworkStudyResult> {
  const started = performance.now();
  checkNetworkQuestions(questions, study.route);
  const { trainingSubjects, simulator: simulatorOptions, ensemble = [], ...engine } = options;
  const subjects = trainingSubjects ?? dataset.subjects.flatMap((s, i) => (s.recordCount > 0 ? [i] : []));
  const context = networkTrainingContext(model, dataset, subjects);
  const c = questions.criterion;
  const screen = c.rule === 'below' && c.window === 'throughout' ? c.threshold : undefined;
  const simulatorFor = (m: PkPdModel, ctx: NetworkTrainingContext): NetworkPdSimulator =>
    new NetworkPdSimulator(m, ctx, {
      ...simulatorOptions,
      endpoint: questions.endpoint,
      route: study.route,
      ...(study.direction ? { direction: study.direction } : {}),
      ...(screen !== undefined ? { screenThreshold: screen } : {}),
    });
  const simulator = simulatorFor(model, context);
  const members = [simulator, ...ensemble.map((m) => simulatorFor(m, networkTrainingContext(m, dataset, subjects)))];
  const trial = study.trial ? context.trial : undefined;
  const settings: DoseEngineOptions = { mcts: false, curve: 'search', ...engine, units: study.units, ...(trial ? { trial } : {}) };
  const result = await answerDoseQuestions(simulator, questions, settings, control);
  const randomEffects = [...new Set(members.flatMap((m) => m.randomEffects))];
  const required = [...new Set(members.flatMap((m) => m.covariates))];
  const population = (name: string): VirtualPopulation =>
    drawPopulation({
      size: questions.virtualSubjects,
      seed: questions.seed,
      scenario: questions.scenarios.find((x) => x.name === name)!,
      trial,
      required,
      randomEffects,
    });
  const extrapolation: NetworkExtrapolation[] = [];
  for (const curve of result.curves) {
    const doses = result.answers
      .filter((a) => a.scenario === curve.scenario && a.regimen === curve.regimen && a.dose !== null)
      .map((a) => a.dose as number);
    if (doses.length === 0) continue;
    const dose = Math.max(...doses);
    extrapolation.push({
      scenario: curve.scenario,
      regimen: curve.regimen,
      dose,
      features: simulator.extrapolation(population(curve.scenario), curve.interval, dose, curve.gridStep),
    });
  }
  const banding = performance.now();
  let band: NetworkFacts['band'] = null;
  if (members.length > 1) {
    await addEnsembleBands(result, members, population, control);
    band = {
      members: members.length,
      method: `ensemble of ${members.length} networks: percentiles of their success fractions and answers on the same virtual subjects`,
    };
  }
  const finished = performance.now();
  return {
    ...result,
    plans: questions.regimens.map((r) => simulator.plan(r.interval)),
    extrapolation,
    band,
    timing: { questionsSeconds: result.seconds, bandSeconds: (finished - banding) / 1000 },
    seconds: (finished - started) / 1000,
  };
}

/** Bands on each curve and spreads on each answer from the members' dose–responses (same subjects, same grids). */
async function addEnsembleBands(
  result: DoseQuestionsResult,
  members: readonly NetworkPdSimulator[],
  population: (scenario: string) => VirtualPopulation,
  control: DoseControl,
): Promise<void> {
  let done = 0;
  for (const curve of result.curves) {
    control.onProgress?.({
      stage: 'uncertainty',
      done,
      total: result.curves.length,
      message: `ensemble, ${curve.scenario}, ${curve.regimen}`,
    });
    const pop = population(curve.scenario);
    const doses = curve.points.map((p) => p.dose);
    const fractions: number[][] = doses.map(() => []);
    const answers = result.answers.filter((a) => a.scenario === curve.scenario && a.regimen === curve.regimen);
    const memberDoses = answers.map(() => [] as number[]);
    const order = curve.direction === 'falling' ? [...curve.grid].reverse() : curve.grid;
    for (const member of members) {
      const dr = new DoseResponse(member, pop, dosingRegimen({ interval: curve.interval, route: curve.route === 'oral' ? 'oral' : 'iv' }), {
        criterion: result.criterion,
        gridStep: curve.gridStep,
        signal: control.signal,
      });
      (await dr.at(doses)).forEach((p, k) => fractions[k].push(p.fraction));
      for (const [j, a] of answers.entries()) {
        if (curve.direction === 'not monotone') {
          const points = await dr.at(curve.grid);
          const hit = points.findIndex((p) => p.fraction >= a.target);
          memberDoses[j].push(hit >= 0 ? curve.grid[hit] : Infinity);
        } else memberDoses[j].push((await bisectDoseGrid(order, a.target, dr.fractionAt)).dose ?? Infinity);
      }
    }
    curve.band = doses.map((dose, k) => bandPoint(dose, fractions[k]));
    answers.forEach((a, j) => (a.uncertainty = answerSpread(memberDoses[j])));
    done++;
  }
  control.onProgress?.({ stage: 'uncertainty', done, total: result.curves.length, message: 'done' });
}

export interface AnswerDifference {
  scenario: string;
  target: number;
  regimen: string;
  a: number | null;
  b: number | null;
  /** a − b (mg); null when either did not reach the target. */
  mg: number | null;
  /** a − b in dose-grid steps of the regimen. */
  steps: number | null;
}

/** Dose steps per regimen name, e.g. { daily: 0.5, weekly: 5 }. */
export function regimenSteps(regimens: readonly Pick<RegimenSpec, 'name' | 'step'>[]): Record<string, number> {
  return Object.fromEntries(regimens.map((r) => [r.name, r.step]));
}

/** What compareAnswers reads of an answer (a headless answer, or an engine answer through comparableAnswer); `dose_mg`: the dose in the spec's amount unit. */
export interface ComparableAnswer {
  scenario: string;
  target: number;
  regimen: string;
  dose_mg: number | null;
}

/** An engine answer (DoseAnswer, in any dose unit) as compareAnswers reads it. */
export function comparableAnswer(a: Pick<DoseAnswer, 'scenario' | 'target' | 'regimen' | 'dose'>): ComparableAnswer {
  return { scenario: a.scenario, target: a.target, regimen: a.regimen, dose_mg: a.dose };
}

/** How far answers `a` are from answers `b`, per scenario × target × regimen (a's order, then b's others). */
export function compareAnswers(
  a: readonly ComparableAnswer[],
  b: readonly ComparableAnswer[],
  steps: Readonly<Record<string, number>>,
): AnswerDifference[] {
  const key = (x: ComparableAnswer): string => `${x.scenario}|${x.target}|${x.regimen}`;
  const inA = new Map(a.map((x) => [key(x), x]));
  const inB = new Map(b.map((x) => [key(x), x]));
  const keys = [...new Set([...inA.keys(), ...inB.keys()])];
  return keys.map((k) => {
    const x = inA.get(k);
    const y = inB.get(k);
    const id = (x ?? y)!;
    const da = x?.dose_mg ?? null;
    const db = y?.dose_mg ?? null;
    const mg = da !== null && db !== null ? Number((da - db).toFixed(10)) : null;
    const step = steps[id.regimen];
    return {
      scenario: id.scenario,
      target: id.target,
      regimen: id.regimen,
      a: da,
      b: db,
      mg,
      steps: mg !== null && step > 0 ? Number((mg / step).toFixed(6)) : null,
    };
  });
}
