/**
 * The dose questions of any study at full size, printed as JSON:
 *   - truth: every question of src/dose/testing/truth-questions.ts (each route and PD family, and the
 *     concentration) on trials of BENCH_SUBJECTS (200) subjects simulated from the truth (seeds 2000,
 *     3000, 4000 + the scenario's index; BENCH_SEEDS, default 3), fitted with `fitStudy` (covariance
 *     steps included), answered from the fit with 20-draw parameter-uncertainty bands and from the
 *     truth on the same 1000 virtual subjects: each answer's difference in dose steps, whether the
 *     truth lies in the fitted answer's 90 % band (± one step); the share within one step over all;
 *   - speed: EstData's dose questions (N = 1000, seed 1; the fit excluded) answered by the study engine
 *     from the EstData preset (`answerStudyDoseQuestions`), median of BENCH_ROUNDS (5), and its 20-draw
 *     parameter-uncertainty bands. Only with BENCH_BASELINE=DIR (a baseline checkout, bench/baseline.ts;
 *     this tree no longer holds the EstData-only engine) also, interleaved, the EstData-only engine of
 *     DIR — `fitPkpd`, its mechanistic simulator and its dose engine — every grid dose simulated
 *     (`simulateEveryDose`, the engine before the study engine) and as DIR's Doses tab ran it
 *     (`answerFiveQuestions`, bands included), imported and run in the same process, the same answers
 *     and bands checked; without it those fields are null and `baseline` says so;
 *   - real (only with BENCH_ONLY=real): the questions of the three real files' specs (test-data/specs)
 *     answered from their fits, as `npm run headless -- doses --spec` prints them.
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx bench/dose-truth.ts > bench/results-dose-truth-DATE.json
 *   BENCH_ONLY=speed | truth | real    runs one part.
 *   DIR=/tmp/qpkpd-baseline && mkdir -p $DIR && git archive bc03053 src | tar -x -C $DIR && ln -sfn "$PWD/node_modules" $DIR/node_modules
 *   BENCH_BASELINE=$DIR BENCH_ONLY=speed npx tsx bench/dose-truth.ts    (beside bc03053's EstData-only engine)
 */
import { readFileSync } from 'node:fs';
import { ingestText } from '../src/data/ingest';
import type { Dataset } from '../src/data/types';
import { answersReport, curveSummaries } from '../src/dose/answers-report';
import { addParameterUncertainty, answerDoseQuestions, type DoseQuestionsResult } from '../src/dose/dose-questions';
import { estDataPreset } from '../src/study/estdata-preset';
import { drawStudyModel } from '../src/dose/parameter-uncertainty';
import { answerStudyDoseQuestions } from '../src/dose/study-questions';
import { StudyDoseSimulator } from '../src/dose/study-simulator';
import { compareWithTruth, TRUTH_QUESTIONS, truthQuestionSpec, type TruthAnswer } from '../src/dose/testing/truth-questions';
import { trialCovariates, type TrialCovariates } from '../src/dose/virtual-population';
import { createRng } from '../src/pkpd/random';
import { fitStudy, type StudyFitResult } from '../src/pkpd/population/fit-study';
import { simulateStudyTrial } from '../src/pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../src/pkpd/population/testing/truth-scenarios';
import type { StudySpec } from '../src/study/study-spec';
import { describeSpecProblems, readStudySpecText } from '../src/study/study-spec-reader';
import { readEstDataCsv, readRealDatasetCsv, type RealDatasetName } from '../src/testing/fixture-files';
import { BASELINE_DIR, BASELINE_NOTE, benchHeader, importBaseline } from './baseline';

const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200);
const SEEDS = Number(process.env.BENCH_SEEDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ONLY = process.env.BENCH_ONLY;
const VIRTUAL = 1000;

const round = (x: number, digits = 4): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number): number => Number((ms / 1000).toFixed(3));

function estData(): Dataset {
  const ingested = ingestText(readEstDataCsv(), 'EstData.csv');
  if (!ingested.ok) throw new Error('EstData.csv did not ingest');
  return ingested.dataset;
}

async function truthStudy(): Promise<unknown> {
  const rows: unknown[] = [];
  const all: (TruthAnswer & { question: string; seed: number })[] = [];
  const fits = new Map<string, { fit: StudyFitResult; seconds: number }>();
  for (const question of TRUTH_QUESTIONS) {
    for (let s = 0; s < SEEDS; s++) {
      const seed = 2000 + 1000 * s + question.scenario;
      const key = `${question.scenario}|${seed}`;
      let entry = fits.get(key);
      if (!entry) {
        const scenario = TRUTH_SCENARIOS[question.scenario];
        const trial = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(SUBJECTS), seed);
        const ingested = ingestText(trial.csv, 'truth.csv');
        if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));
        const started = performance.now();
        entry = { fit: fitStudy(ingested.dataset, scenario.spec), seconds: seconds(performance.now() - started) };
        fits.set(key, entry);
      }
      const { spec } = truthQuestionSpec(question, VIRTUAL, 1);
      const trial = trialCovariates(entry.fit.study.subjects);
      // The fitted answers with their bands: the fit's spec with this question.
      const started = performance.now();
      const fitted = await answerFittedQuestions(entry.fit, spec, trial);
      const questionSeconds = seconds(performance.now() - started);
      const { answers } = await compareWithTruth(question, entry.fit, fitted, { virtualSubjects: VIRTUAL, seed: 1 });
      for (const a of answers) all.push({ ...a, question: question.name, seed });
      rows.push({
        question: question.name,
        seed,
        subjects: SUBJECTS,
        fit_seconds: entry.seconds,
        questions_seconds: questionSeconds,
        converged: entry.fit.comparison.every((c) => c.converged),
        answers: answers.map((a) => ({ ...a, step: spec.questions!.regimens.find((r) => r.name === a.regimen)!.step })),
      });
    }
  }
  const off = all.filter((a) => a.steps !== null).map((a) => Math.abs(a.steps as number));
  const banded = all.filter((a) => a.inBand !== undefined);
  return {
    what: 'answers from a fit of a simulated trial vs from the truth, on the same 1000 virtual subjects; steps about a tenth of the answer',
    answers: all.length,
    within_one_step: round(off.filter((x) => x <= 1).length / off.length, 3),
    within_two_steps: round(off.filter((x) => x <= 2).length / off.length, 3),
    worst_steps: Math.max(...off),
    truth_reached_fit_not: all.filter((a) => a.truthReached && !a.fittedReached).length,
    truth_in_90_band: round(banded.filter((a) => a.inBand).length / banded.length, 3),
    by_question: TRUTH_QUESTIONS.map((q) => {
      const mine = all.filter((a) => a.question === q.name && a.steps !== null).map((a) => Math.abs(a.steps as number));
      return {
        question: q.name,
        within_one_step: round(mine.filter((x) => x <= 1).length / mine.length, 3),
        worst_steps: Math.max(...mine),
      };
    }),
    runs: rows,
  };
}

/** The fitted model's answers to the question (the fit was made with the scenario's spec; the question only adds `questions`). */
async function answerFittedQuestions(fit: StudyFitResult, spec: StudySpec, trial: TrialCovariates): Promise<DoseQuestionsResult> {
  const questions = spec.questions!;
  const simulator = new StudyDoseSimulator(spec, fit.model, questions.endpoint);
  const units = {
    time: spec.units.time,
    amount: spec.units.amount,
    endpoint: questions.endpoint === 'pk' ? spec.units.concentration : spec.units.response,
  };
  const result = await answerDoseQuestions(simulator, questions, { trial, units, mcts: false });
  const rng = createRng(questions.seed + 7919);
  const replicates: StudyDoseSimulator[] = [];
  for (let r = 0; r < 20; r++) {
    const model = drawStudyModel(fit, rng);
    if (model) replicates.push(new StudyDoseSimulator(spec, model, questions.endpoint));
  }
  await addParameterUncertainty(result, replicates, 20, 'from the fit’s covariance', { trial });
  return result;
}

/** What this benchmark calls of the baseline's EstData-only engine (bc03053), typed here (its types are not this tree's). */
interface BaselineModules {
  ingest: { ingestText: (text: string, name: string) => { ok: boolean; dataset?: unknown } };
  fit: { fitPkpd: (dataset: unknown) => { model: unknown } };
  simulator: { MechanisticPdSimulator: new (model: unknown) => unknown };
  questions: {
    answerDoseQuestions: (
      simulator: unknown,
      questions: unknown,
      options: Record<string, unknown>,
    ) => Promise<{ answers: { dose: number | null }[] }>;
  };
  five: {
    challengeQuestions: (settings: unknown) => unknown;
    settingsOf: (options: Record<string, unknown>) => unknown;
    answerFiveQuestions: (
      dataset: unknown,
      options: Record<string, unknown>,
    ) => Promise<{ answers: { dose_mg: number | null; uncertainty?: unknown }[]; timing: { uncertaintySeconds: number } }>;
  };
}

async function baselineModules(): Promise<BaselineModules | null> {
  if (!BASELINE_DIR) return null;
  return {
    ingest: await importBaseline('src/data/ingest.ts'),
    fit: await importBaseline('src/pkpd/pkpd-fit.ts'),
    simulator: await importBaseline('src/dose/mechanistic-simulator.ts'),
    questions: await importBaseline('src/dose/dose-questions.ts'),
    five: await importBaseline('src/dose/five-questions.ts'),
  };
}

async function speed(): Promise<unknown> {
  const data = estData();
  const preset = estDataPreset();
  const questions = { ...preset.questions!, virtualSubjects: VIRTUAL, seed: 1 };
  // The fits are not timed here (bench/fit-truth.ts does): each engine answers from its own fit, made once.
  const study = fitStudy(data, preset);
  const trial = trialCovariates(study.study.subjects);
  const units = { time: 'h' as const, amount: 'mg' as const, endpoint: 'ng/mL' };
  const engines: Record<string, () => Promise<(number | null)[]>> = {
    study_engine: async () =>
      (await answerDoseQuestions(new StudyDoseSimulator(preset, study.model, 'pd'), questions, { trial, units })).answers.map(
        (a) => a.dose,
      ),
  };
  const old = await baselineModules();
  let oldData: unknown = null;
  if (old) {
    const ingested = old.ingest.ingestText(readEstDataCsv(), 'EstData.csv');
    if (!ingested.ok) throw new Error('EstData.csv did not ingest with the baseline’s ingest');
    oldData = ingested.dataset;
    const { model } = old.fit.fitPkpd(oldData);
    const oldQuestions = old.five.challengeQuestions(old.five.settingsOf({ nVirtual: VIRTUAL, seed: 1, trialComedShare: 0.5 }));
    const run = async (every: boolean) =>
      (
        await old.questions.answerDoseQuestions(new old.simulator.MechanisticPdSimulator(model), oldQuestions, {
          units,
          simulateEveryDose: every,
        })
      ).answers.map((a) => a.dose);
    engines.baseline_every_dose = () => run(true);
    engines.baseline_engine = () => run(false);
  }
  const times: Record<string, number[]> = {};
  const answers: Record<string, (number | null)[]> = {};
  // Each once to warm up, then interleaved rounds.
  for (let r = -1; r < ROUNDS; r++) {
    for (const [name, run] of Object.entries(engines)) {
      const t = performance.now();
      answers[name] = await run();
      if (r >= 0) (times[name] ??= []).push(performance.now() - t);
    }
  }
  // Bands: 20 models drawn from each fit's covariance (the fit redone each time, not counted), interleaved rounds.
  const bands: Record<string, number[]> = {};
  let sameBands: boolean | null = old ? true : null;
  for (let r = 0; r < ROUNDS; r++) {
    const banded = await answerStudyDoseQuestions(data, preset, { questions: { seed: 1 }, uncertainty: { replicates: 20 } });
    (bands.study_engine ??= []).push(banded.timing.uncertaintySeconds * 1000);
    if (old) {
      const before = await old.five.answerFiveQuestions(oldData, { nVirtual: VIRTUAL, seed: 1, uncertainty: { replicates: 20 } });
      (bands.baseline_engine ??= []).push(before.timing.uncertaintySeconds * 1000);
      sameBands &&= JSON.stringify(banded.answers.map((a) => a.uncertainty)) === JSON.stringify(before.answers.map((a) => a.uncertainty));
    }
  }
  const reference = answers.study_engine;
  return {
    what: 'EstData, the preset’s twelve questions, N = 1000, seed 1: seconds of the questions alone (fits excluded), median of interleaved rounds',
    rounds: ROUNDS,
    same_answers: old
      ? Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, JSON.stringify(v) === JSON.stringify(reference)]))
      : null,
    answers_mg: reference,
    median_seconds: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, seconds(median(v))])),
    seconds: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map(seconds)])),
    ratio_study_to_every_dose: old ? round(median(times.study_engine) / median(times.baseline_every_dose), 3) : null,
    ratio_study_to_baseline_engine: old ? round(median(times.study_engine) / median(times.baseline_engine), 3) : null,
    bands_20_replicates: {
      median_seconds: Object.fromEntries(Object.entries(bands).map(([k, v]) => [k, seconds(median(v))])),
      seconds: Object.fromEntries(Object.entries(bands).map(([k, v]) => [k, v.map(seconds)])),
      same_bands: sameBands,
    },
    baseline: BASELINE_NOTE,
  };
}

const REAL: { data: RealDatasetName; spec: string }[] = [
  { data: 'theo_sd', spec: 'theophylline' },
  { data: 'pheno_sd', spec: 'phenobarbital' },
  { data: 'mavoglurant', spec: 'mavoglurant' },
];

async function realDoses(): Promise<unknown> {
  const out: unknown[] = [];
  for (const r of REAL) {
    const ingested = ingestText(readRealDatasetCsv(r.data), `${r.data}.csv`);
    if (!ingested.ok) throw new Error(`${r.data} did not ingest`);
    const reading = readStudySpecText(readFileSync(new URL(`../test-data/specs/${r.spec}.study.json`, import.meta.url), 'utf8'));
    if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
    const result = await answerStudyDoseQuestions(ingested.dataset, reading.spec);
    out.push({
      data: `test-data/real/${r.data}.csv`,
      spec: `test-data/specs/${r.spec}.study.json`,
      study: reading.spec.name,
      structure: { pk: result.fit.pk?.label ?? null, pd: result.fit.pd?.label ?? null },
      question: result.question,
      units: result.units,
      n_virtual: result.settings.questions.virtualSubjects,
      answers: answersReport(result),
      curves: curveSummaries(result),
      notes: result.notes,
      uncertainty: result.uncertainty,
      seconds: {
        fit: round(result.timing.fitSeconds, 3),
        questions: round(result.timing.questionsSeconds, 3),
        bands: round(result.timing.uncertaintySeconds, 3),
      },
    });
  }
  return out;
}

const report: Record<string, unknown> = benchHeader();
if (ONLY === undefined || ONLY === 'speed') report.speed = await speed();
if (ONLY === undefined || ONLY === 'truth') report.truth = await truthStudy();
if (ONLY === 'real') report.real = await realDoses();
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
