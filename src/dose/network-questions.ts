/**
 * The dose questions answered by a trained PK/PD network: answerDoseQuestions over a
 * NetworkPdSimulator, with the network's own facts beside the answers — each regimen's history plan
 * (how many intervals, and whether the training time span capped them) and the input features that
 * leave their training range at each answer. Given an ensemble (the same network trained with other
 * seeds), every member answers on the same virtual subjects: each curve gets the band of the
 * members' success fractions at its doses (5th, 50th, 95th percentile) and each answer the spread
 * of the members' answers (nearest rank; Infinity where a member never reaches the target).
 * `compareAnswers` measures how far two sets of answers are apart, in mg and grid steps.
 *
 * Defaults differ from the mechanistic run where a network costs more: a 0.5 h grid (the largest
 * allowed), bisection only (MCTS would triple the doses simulated) and the curve of the doses the
 * searches evaluated. Only the training subjects passed in are read (baseline PD, feature ranges).
 */
import { answerSpread, bandPoint } from './percentiles';
import type { Dataset } from '../data/types';
import type { PkPdModel } from '../model/pkpd-model';
import { belowThroughout, DEFAULT_THRESHOLD } from './criterion';
import { DoseResponse } from './dose-response';
import {
  answerDoseQuestions,
  challengeScenario,
  DEFAULT_REGIMENS,
  type DoseAnswer,
  type DoseQuestionControl,
  type DoseQuestionOptions,
  type DoseQuestionsResult,
  type RegimenSpec,
  type ScenarioSpec,
} from './five-questions';
import { bisectDoseGrid } from './grid-search';
import { networkTrainingContext } from './network-context';
import { type FeatureExtrapolation, type HistoryPlan, NetworkPdSimulator, type NetworkSimulatorOptions } from './network-simulator';
import { oralEvery } from './steady-state';
import { datasetComedShare, drawPopulation, type VirtualPopulation } from './virtual-population';

export interface NetworkQuestionOptions extends DoseQuestionOptions {
  /** The model's training subjects (indices into the dataset); default every subject with records. */
  trainingSubjects?: readonly number[];
  simulator?: Omit<NetworkSimulatorOptions, 'screenThreshold'>;
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

export interface NetworkQuestionsResult extends DoseQuestionsResult {
  /** One per regimen. */
  plans: HistoryPlan[];
  extrapolation: NetworkExtrapolation[];
  /** The bands' source (the model and its ensemble), or null without an ensemble. */
  band: { members: number; method: string } | null;
  timing: { questionsSeconds: number; bandSeconds: number };
}

export async function answerNetworkDoseQuestions(
  model: PkPdModel,
  dataset: Dataset,
  options: NetworkQuestionOptions = {},
  control: DoseQuestionControl = {},
): Promise<NetworkQuestionsResult> {
  const started = performance.now();
  const { trainingSubjects, simulator: simulatorOptions, ensemble = [], ...questions } = options;
  const subjects = trainingSubjects ?? dataset.subjects.flatMap((s, i) => (s.recordCount > 0 ? [i] : []));
  const context = networkTrainingContext(model, dataset, subjects);
  const settings: DoseQuestionOptions = {
    gridStep: 0.5,
    mcts: false,
    curve: 'search',
    ...questions,
    trialComedShare: questions.trialComedShare ?? datasetComedShare(dataset),
  };
  const simulatorFor = (m: PkPdModel): NetworkPdSimulator =>
    new NetworkPdSimulator(m, m === model ? context : networkTrainingContext(m, dataset, subjects), {
      ...simulatorOptions,
      screenThreshold: questions.threshold ?? DEFAULT_THRESHOLD,
    });
  const simulator = simulatorFor(model);
  const members = [simulator, ...ensemble.map(simulatorFor)];
  const result = await answerDoseQuestions(simulator, settings, control);
  const s = result.settings;
  const population = (scenario: ScenarioSpec): VirtualPopulation =>
    drawPopulation({
      size: s.nVirtual,
      seed: s.seed,
      scenario: challengeScenario(scenario, s.trialComedShare),
      randomEffects: [...new Set(members.flatMap((m) => m.randomEffects))],
    });
  const extrapolation: NetworkExtrapolation[] = [];
  for (const curve of result.curves) {
    const doses = result.answers
      .filter((a) => a.scenario === curve.scenario && a.regimen === curve.regimen && a.dose_mg !== null)
      .map((a) => a.dose_mg as number);
    if (doses.length === 0) continue;
    const dose = Math.max(...doses);
    const scenario = s.scenarios.find((x) => x.name === curve.scenario)!;
    extrapolation.push({
      scenario: curve.scenario,
      regimen: curve.regimen,
      dose,
      features: simulator.extrapolation(population(scenario), curve.interval, dose, s.gridStep),
    });
  }
  const banding = performance.now();
  let band: NetworkQuestionsResult['band'] = null;
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
    plans: s.regimens.map((r) => simulator.plan(r.interval)),
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
  population: (scenario: ScenarioSpec) => VirtualPopulation,
  control: DoseQuestionControl,
): Promise<void> {
  const { settings } = result;
  let done = 0;
  for (const curve of result.curves) {
    control.onProgress?.({
      stage: 'uncertainty',
      done,
      total: result.curves.length,
      message: `ensemble, ${curve.scenario}, ${curve.regimen}`,
    });
    const pop = population(settings.scenarios.find((x) => x.name === curve.scenario)!);
    const doses = curve.points.map((p) => p.dose);
    const fractions: number[][] = doses.map(() => []);
    const answers = result.answers.filter((a) => a.scenario === curve.scenario && a.regimen === curve.regimen);
    const memberDoses = answers.map(() => [] as number[]);
    for (const member of members) {
      const dr = new DoseResponse(member, pop, oralEvery(curve.interval), {
        criterion: belowThroughout(settings.threshold),
        gridStep: settings.gridStep,
        signal: control.signal,
      });
      (await dr.at(doses)).forEach((p, k) => fractions[k].push(p.fraction));
      for (const [j, a] of answers.entries())
        memberDoses[j].push((await bisectDoseGrid(curve.grid, a.target, dr.fractionAt)).dose ?? Infinity);
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
export function regimenSteps(regimens: readonly RegimenSpec[] = DEFAULT_REGIMENS): Record<string, number> {
  return Object.fromEntries(regimens.map((r) => [r.name, r.step]));
}

/** What compareAnswers reads of an answer (a DoseAnswer or a headless answer). */
export type ComparableAnswer = Pick<DoseAnswer, 'scenario' | 'target' | 'regimen' | 'dose_mg'>;

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
