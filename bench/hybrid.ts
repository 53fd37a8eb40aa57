/**
 * Hybrid models (src/model/mechanistic: an encoder as the covariate model of the study's mechanistic
 * model) beside the mechanistic model and the direct head, printed as JSON:
 *
 * - truth: a known EstData-style model — the EstData preset's model (oral, one or two compartments,
 *   indirect inhibition of production; body weight power effects on CL and V, COMED factors on CL and
 *   BASE) with the θ, Ω and residual error of its fit to EstData — simulates a daily-dosing trial of
 *   BENCH_SUBJECTS (200) subjects in EstData's design (placebo, 1, 3, 10 mg daily for 21 days;
 *   EstData's sampling times; BW uniform 50–100 kg, COMED in half), seed 2025. Fitted on its
 *   reference split's development subjects: the mechanistic model (the preset's spec), the hybrid
 *   headline (BENCH_ENCODER, default QNN-ResMLP-MoE with 8 qubits × 3 layers) and the direct head
 *   (BENCH_DIRECT, default the MLP; "none" skips it). Each answers the preset's twelve questions
 *   (three scenarios × 90/75 % × daily/weekly) on the same 1000 virtual subjects as the truth:
 *   difference in dose steps, every weekly answer reached, steady-state checks.
 * - weekly: a weekly-dosing trial from the same truth that no model saw (BENCH_WEEKLY_SUBJECTS, 100:
 *   placebo, 10, 30, 100 mg weekly for 4 weeks, seed 2026): each model's PD and PK RMSE of its
 *   typical predictions (the direct head's from covariates and dose history), and per subject the
 *   steady-state PD trough and peak under its weekly dose, typical (η = 0), against the truth's
 *   typical subject of the same covariates: median relative difference (the hybrid's network reads
 *   that typical subject's response before dosing, the truth's BASE at η = 0). The hybrid's RMSE is
 *   of its typical predictions given each subject's own pre-dose response (its baseline input).
 * - estdata: the hybrid headline fitted on EstData's reference split and its five questions (twelve
 *   answers) with 20-draw bands, timed; beside it the direct head's time for the same questions
 *   from bench/results-doses-network-qnn-resmlp-moe-2026-11-24.json (read, not re-run).
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/hybrid.ts > bench/results-hybrid-DATE.json
 *   BENCH_ONLY=truth | estdata    runs one part (truth includes weekly).
 * TF.js on its CPU backend in Node (the quantum layer's CPU kernel).
 */
import '@tensorflow/tfjs-backend-cpu';
import { ready, setBackend } from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { ingestText } from '../src/data/ingest';
import { createSplitView, referenceSplit, type SplitView } from '../src/data/splits/index';
import { studyGrouping } from '../src/data/splits/split';
import type { Dataset } from '../src/data/types';
import type { DoseQuestionsResult } from '../src/dose/dose-questions';
import { answerNetworkStudyQuestions } from '../src/dose/network-questions';
import { answerFittedStudyQuestions, answerStudyQuestionsForModel } from '../src/dose/study-questions';
import { StudyDoseSimulator, type StudySimulatorOptions } from '../src/dose/study-simulator';
import { trialCovariates, type VirtualPopulation } from '../src/dose/virtual-population';
import { disposeModel, evaluateSubjects, trainPkPd } from '../src/model/index';
import { hybridMetrics, hybridScalers, predictHybrid, predictTypical, typicalValues } from '../src/model/mechanistic/hybrid-evaluation';
import { BASELINE_PD_COLUMN } from '../src/model/mechanistic/hybrid-baseline';
import { disposeHybridModel, hybridDerivedCovariates } from '../src/model/mechanistic/hybrid-model';
import { trainHybrid } from '../src/model/mechanistic/hybrid-run';
import { fitStudy, type StudyPopulationModel } from '../src/pkpd/population/fit-study';
import { simulateStudyTrial, type StudyTrialDesign } from '../src/pkpd/population/simulate-study';
import { type EncoderName } from '../src/quantum/resources/architecture';
import { estDataPreset } from '../src/study/estdata-preset';
import { bindStudy } from '../src/study/study-data';
import type { StudySpec } from '../src/study/study-spec';
import { readEstDataCsv } from '../src/testing/fixture-files';
import { benchHeader } from './baseline';

const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200);
const WEEKLY_SUBJECTS = Number(process.env.BENCH_WEEKLY_SUBJECTS ?? 100);
const ENCODER = (process.env.BENCH_ENCODER ?? 'qnn-resmlp-moe') as EncoderName;
const DIRECT = process.env.BENCH_DIRECT ?? 'mlp';
const ONLY = process.env.BENCH_ONLY;
const HYBRID = { encoder: ENCODER, architecture: { nQubits: 8, nLayers: 3 }, seed: 0 };

const round = (x: number | null | undefined, digits = 4): number | null =>
  x !== null && x !== undefined && Number.isFinite(x) ? Number(x.toPrecision(digits)) : null;
const log = (message: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
const seconds = (from: number): number => Number(((performance.now() - from) / 1000).toFixed(2));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function ingest(csv: string, name: string): Dataset {
  const ingested = ingestText(csv, name);
  if (!ingested.ok) throw new Error(`${name} did not ingest`);
  return ingested.dataset;
}

const ESTDATA_TIMES = [0, 1, 2, 4, 8, 12, 24, 36, 48, 72, 168, 336, 480, 481, 482, 484, 488, 492, 504, 552, 600, 672, 840, 1008, 1176];

function arms(doses: number[], subjects: number): StudyTrialDesign['arms'] {
  const per = Math.floor(subjects / doses.length);
  return doses.map((dose, i) => ({ dose, subjects: i === doses.length - 1 ? subjects - per * (doses.length - 1) : per }));
}

const COVARIATES: StudyTrialDesign['covariates'] = { BW: { uniform: [50, 100] }, COMED: { share: 0.5 } };

function dailyDesign(subjects: number): StudyTrialDesign {
  return {
    arms: arms([0, 1, 3, 10], subjects),
    regimen: { route: 'oral', interval: 24, count: 21 },
    pkTimes: ESTDATA_TIMES.filter((t) => t > 0),
    pdTimes: ESTDATA_TIMES,
    covariates: COVARIATES,
    covariateDecimals: 0,
  };
}

function weeklyDesign(subjects: number): StudyTrialDesign {
  const times = [0, 2, 4, 8, 24, 48, 96, 168, 336, 504, 506, 508, 512, 528, 552, 600, 672, 840];
  return {
    arms: arms([0, 10, 30, 100], subjects),
    regimen: { route: 'oral', interval: 168, count: 4 },
    pkTimes: times.filter((t) => t > 0),
    pdTimes: times,
    covariates: COVARIATES,
    covariateDecimals: 0,
  };
}

interface Compared {
  scenario: string;
  target: number;
  regimen: string;
  truth: number | null;
  fitted: number | null;
  reached: boolean;
  steps: number | null;
  band_90: [number, number] | null;
  /** The truth inside the 90 % band ± one step (models with bands). */
  truth_in_band: boolean | null;
}

function compare(spec: StudySpec, truth: DoseQuestionsResult, fitted: DoseQuestionsResult): { answers: Compared[]; summary: unknown } {
  const step = (name: string): number => spec.questions!.regimens.find((r) => r.name === name)!.step;
  const answers = truth.answers.map((t): Compared => {
    const f = fitted.answers.find((a) => a.scenario === t.scenario && a.target === t.target && a.regimen === t.regimen)!;
    const both = t.reached && f.reached && t.dose !== null && f.dose !== null;
    const band: [number, number] | null = f.uncertainty ? [f.uncertainty.p05, f.uncertainty.p95] : null;
    return {
      scenario: t.scenario,
      target: t.target,
      regimen: t.regimen,
      truth: t.dose,
      fitted: f.dose,
      reached: f.reached,
      steps: both ? Math.round(((f.dose as number) - (t.dose as number)) / step(t.regimen)) : null,
      band_90: band,
      truth_in_band: band && t.dose !== null ? t.dose >= band[0] - step(t.regimen) && t.dose <= band[1] + step(t.regimen) : null,
    };
  });
  const within = answers.filter((a) => a.steps !== null && Math.abs(a.steps) <= 1).length;
  const weekly = answers.filter((a) => a.regimen === 'weekly');
  const checks = fitted.answers.flatMap((a) => (a.steadyState ? [a.steadyState] : []));
  return {
    answers,
    summary: {
      within_one_step: within,
      of: answers.length,
      weekly_reached: weekly.filter((a) => a.reached).length,
      weekly: weekly.length,
      steady_state_checks_ok: checks.filter((c) => c.ok).length,
      steady_state_checks: checks.length,
    },
  };
}

/** Each subject's typical (η = 0) steady-state PD trough and peak under its weekly dose. */
function steadyStateSummaries(
  spec: StudySpec,
  model: StudyPopulationModel,
  population: VirtualPopulation,
  doses: number[],
  options: StudySimulatorOptions = {},
): { trough: number[]; peak: number[] } {
  const sim = new StudyDoseSimulator(spec, model, 'pd', options);
  const zero: VirtualPopulation = {
    ...population,
    random: Object.fromEntries(sim.randomEffects.map((e) => [e, new Float64Array(population.size)])),
  };
  const trough: number[] = [];
  const peak: number[] = [];
  const amounts = [...new Set(doses)];
  const batch = sim.simulate({
    population: zero,
    regimen: { interval: 168, route: 'oral' },
    amounts,
    gridStep: 1,
    summaries: ['max', 'min', 'trough'],
  });
  doses.forEach((dose, i) => {
    const r = batch.results[amounts.indexOf(dose)];
    trough.push(r.trough![i]);
    // The response falls with the drug: its peak effect is the lowest response.
    peak.push(r.min![i]);
  });
  return { trough, peak };
}

function relativeDifferences(model: number[], truth: number[]): { median: number | null; p90: number | null } {
  const d = model.map((m, i) => Math.abs(m / truth[i] - 1)).filter(Number.isFinite);
  const sorted = [...d].sort((a, b) => a - b);
  return { median: round(median(d)), p90: round(sorted[Math.floor(0.9 * (sorted.length - 1))]) };
}

async function truthPart(): Promise<unknown> {
  const preset = estDataPreset();
  const estdata = ingest(readEstDataCsv(), 'EstData.csv');
  const reference = fitStudy(estdata, preset);
  const truth = reference.model;
  // The simulated files have no DOSE column: their groups are the regimens.
  const spec: StudySpec = { ...preset, groupBy: 'regimen' };
  const started = performance.now();
  const daily = ingest(simulateStudyTrial(spec, truth, dailyDesign(SUBJECTS), 2025).csv, 'truth-daily.csv');
  const weeklyTrial = simulateStudyTrial(spec, truth, weeklyDesign(WEEKLY_SUBJECTS), 2026);
  const weekly = ingest(weeklyTrial.csv, 'truth-weekly.csv');
  const view: SplitView = createSplitView(daily, referenceSplit(daily, 42, studyGrouping(daily, spec)));
  const trainSubjects = bindStudy(view.development, spec).subjects.filter((s) => view.train.some((i) => daily.subjects[i].id === s.id));
  const scalers = hybridScalers(trainSubjects);
  const weeklySubjects = bindStudy(weekly, spec).subjects;

  // The truth's answers, on the virtual subjects every model gets.
  const trial = trialCovariates(bindStudy(view.development, spec).subjects);
  const truthAnswers = await answerStudyQuestionsForModel(spec, truth, { trial });

  // Mechanistic.
  log('truth answered; mechanistic fit');
  let at = performance.now();
  const mechanisticFit = fitStudy(view.development, spec);
  const mechanisticFitSeconds = seconds(at);
  at = performance.now();
  const mechanisticAnswers = await answerFittedStudyQuestions(mechanisticFit, spec, {});
  const mechanisticQuestionSeconds = seconds(at);
  const mechanisticWeekly = hybridMetrics(predictTypical(spec, mechanisticFit.model, weeklySubjects), scalers);

  // Hybrid headline.
  log('hybrid fit');
  at = performance.now();
  const hybrid = await trainHybrid(view, spec, HYBRID);
  const hybridFitSeconds = seconds(at);
  const model = hybrid.fit.model;
  at = performance.now();
  const derived = { derived: hybridDerivedCovariates(model) };
  const hybridAnswers = await answerFittedStudyQuestions(hybrid.fit.fit, model.spec, { simulator: derived });
  const hybridQuestionSeconds = seconds(at);
  const hybridWeekly = hybridMetrics(predictHybrid(model, bindStudy(weekly, model.spec).subjects), model.scalers);

  // Steady state on the weekly trial's subjects: typical, at their own weekly dose (dosed subjects only).
  const dosed = weeklyTrial.subjects.filter((s) => weeklySubjects.some((w) => Number(w.id) === s.id && w.armDose > 0));
  const doseOf = (id: number): number => weeklySubjects.find((w) => Number(w.id) === id)!.armDose;
  const population: VirtualPopulation = {
    size: dosed.length,
    seed: 0,
    scenario: 'weekly trial',
    covariates: {
      BW: Float64Array.from(dosed, (s) => s.covariates.BW),
      COMED: Float64Array.from(dosed, (s) => s.covariates.COMED),
      // The typical subject's response before dosing (the truth's BASE at η = 0): what the hybrid's
      // network reads of a typical subject, in place of a baseline drawn from the training subjects.
      [BASELINE_PD_COLUMN]: Float64Array.from(
        typicalValues(
          spec,
          truth,
          dosed.map((s) => s.covariates),
        ).values,
        (v) => v.BASE as number,
      ),
    },
    sources: {},
    trialIndex: null,
    random: {},
  };
  const doses = dosed.map((s) => doseOf(s.id));
  const ssTruth = steadyStateSummaries(spec, truth, population, doses);
  const ssHybrid = steadyStateSummaries(model.spec, model.population, population, doses, derived);
  const ssMechanistic = steadyStateSummaries(spec, mechanisticFit.model, population, doses);

  // Direct head.
  log('direct head');
  let direct: unknown = { skipped: 'BENCH_DIRECT=none' };
  if (DIRECT !== 'none') {
    at = performance.now();
    const trained = await trainPkPd(view, { study: spec, mode: 'cascade', encoder: DIRECT as EncoderName, seed: 0 });
    const directFitSeconds = seconds(at);
    log(`direct head trained in ${directFitSeconds} s; its questions`);
    try {
      at = performance.now();
      const answers = await answerNetworkStudyQuestions(trained.model, view.development, spec, { trainingSubjects: view.train });
      const directQuestionSeconds = seconds(at);
      const weeklyMetrics = evaluateSubjects(
        trained.model,
        weekly,
        weekly.subjects.map((_, i) => i),
      ).metrics;
      direct = {
        encoder: DIRECT,
        mode: 'cascade',
        train_seconds: directFitSeconds,
        question_seconds: directQuestionSeconds,
        ...compare(spec, truthAnswers, answers),
        weekly_trial: { pd_rmse: round(weeklyMetrics.pd?.rmse), pk_rmse: round(weeklyMetrics.pk?.rmse), metrics: weeklyMetrics },
      };
    } finally {
      disposeModel(trained.model);
    }
  }
  const mechanisticRmse = mechanisticWeekly.pd?.rmse ?? Number.NaN;
  const result = {
    design: {
      truth: 'EstData spec model with its EstData fit’s θ, Ω, residual error',
      truth_structure: { pk: reference.pk?.label, pd: reference.pd?.label },
      truth_theta: truth.theta,
      truth_omega: truth.omega,
      daily_trial: { subjects: SUBJECTS, seed: 2025, development_subjects: view.train.length + view.val.length, val: view.val.length },
      weekly_trial: { subjects: WEEKLY_SUBJECTS, seed: 2026, dosed: dosed.length },
    },
    mechanistic: {
      fit_seconds: mechanisticFitSeconds,
      question_seconds: mechanisticQuestionSeconds,
      structure: { pk: mechanisticFit.pk?.label, pd: mechanisticFit.pd?.label },
      ...compare(spec, truthAnswers, mechanisticAnswers),
      weekly_trial: {
        pd_rmse: round(mechanisticWeekly.pd?.rmse),
        pk_rmse: round(mechanisticWeekly.pk?.rmse),
        steady_state_trough: relativeDifferences(ssMechanistic.trough, ssTruth.trough),
        steady_state_peak: relativeDifferences(ssMechanistic.peak, ssTruth.peak),
      },
    },
    hybrid: {
      encoder: ENCODER,
      qubits: 8,
      layers: 3,
      fit_seconds: hybridFitSeconds,
      question_seconds: hybridQuestionSeconds,
      rounds: hybrid.fit.rounds.map((r) => ({ ...r, ofv: round(r.ofv, 7), seconds: round(r.seconds) })),
      kept_round: hybrid.fit.keptRound,
      ofv_without_covariates: round(hybrid.fit.base.ofv, 7),
      mechanistic_ofv: round(mechanisticFit.ofv, 7),
      structure: { pk: hybrid.fit.fit.pk?.label, pd: hybrid.fit.fit.pd?.label },
      ...compare(spec, truthAnswers, hybridAnswers),
      weekly_trial: {
        pd_rmse: round(hybridWeekly.pd?.rmse),
        pk_rmse: round(hybridWeekly.pk?.rmse),
        pd_rmse_over_mechanistic: round((hybridWeekly.pd?.rmse ?? Number.NaN) / mechanisticRmse),
        steady_state_trough: relativeDifferences(ssHybrid.trough, ssTruth.trough),
        steady_state_peak: relativeDifferences(ssHybrid.peak, ssTruth.peak),
      },
    },
    direct,
    seconds: seconds(started),
  };
  disposeHybridModel(model);
  return result;
}

async function estdataPart(): Promise<unknown> {
  const preset = estDataPreset();
  const estdata = ingest(readEstDataCsv(), 'EstData.csv');
  const view = createSplitView(estdata, referenceSplit(estdata, 42, studyGrouping(estdata, preset)));
  log('EstData: hybrid fit');
  let at = performance.now();
  const hybrid = await trainHybrid(view, preset, HYBRID);
  const fitSeconds = seconds(at);
  const model = hybrid.fit.model;
  try {
    at = performance.now();
    const answers = await answerFittedStudyQuestions(hybrid.fit.fit, model.spec, {
      simulator: { derived: hybridDerivedCovariates(model) },
    });
    const questionSeconds = seconds(at);
    const direct = JSON.parse(readFileSync(new URL('./results-doses-network-qnn-resmlp-moe-2026-11-24.json', import.meta.url), 'utf8')) as {
      timing_seconds: { train: number; questions: number };
    };
    return {
      encoder: ENCODER,
      fit_seconds: fitSeconds,
      rounds: hybrid.fit.rounds.map((r) => ({ round: r.round, ofv: round(r.ofv, 7), epochs: r.epochs })),
      kept_round: hybrid.fit.keptRound,
      questions_seconds: round(answers.timing.questionsSeconds),
      uncertainty_seconds: round(answers.timing.uncertaintySeconds),
      five_questions_seconds: questionSeconds,
      answers: answers.answers.map((a) => ({
        scenario: a.scenario,
        target: a.target,
        regimen: a.regimen,
        dose: a.dose,
        reached: a.reached,
        fraction: a.fraction,
        band_90: a.uncertainty ? [a.uncertainty.p05, a.uncertainty.p95] : null,
      })),
      all_reached: answers.answers.every((a) => a.reached),
      validation: hybrid.validation,
      direct_head_same_questions: {
        source: 'bench/results-doses-network-qnn-resmlp-moe-2026-11-24.json (same machine type; not re-run)',
        train_seconds: direct.timing_seconds.train,
        questions_seconds: direct.timing_seconds.questions,
      },
    };
  } finally {
    disposeHybridModel(model);
  }
}

await setBackend('cpu');
await ready();
const out: Record<string, unknown> = {
  ...benchHeader(),
  bench: 'hybrid models: an encoder as the covariate model of the mechanistic model',
  backend: 'TF.js cpu (Node)',
};
if (!ONLY || ONLY === 'estdata') out.estdata = await estdataPart();
if (!ONLY || ONLY === 'truth') out.truth = await truthPart();
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
