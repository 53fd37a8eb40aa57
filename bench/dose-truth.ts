/**
 * The dose questions of any study at full size, printed as JSON:
 *   - truth: every question of src/dose/testing/truth-questions.ts (each route and PD family, and the
 *     concentration) on trials of BENCH_SUBJECTS (200) subjects simulated from the truth (seeds 2000,
 *     3000, 4000 + the scenario's index; BENCH_SEEDS, default 3), fitted with `fitStudy` (covariance
 *     steps included), answered from the fit with 20-draw parameter-uncertainty bands and from the
 *     truth on the same 1000 virtual subjects: each answer's difference in dose steps, whether the
 *     truth lies in the fitted answer's 90 % band (± one step); the share within one step over all;
 *   - speed: EstData's dose questions (N = 1000, seed 1; the fit excluded) answered by the study engine
 *     from the EstData preset (`answerStudyDoseQuestions`) beside the EstData-only engine as it was
 *     before it (every grid dose simulated: `simulateEveryDose`) and as the Doses tab runs it now
 *     (`answerFiveQuestions`), interleaved, median of BENCH_ROUNDS (5) each, the same answers checked;
 *     with BENCH_BASELINE=DIR also the code of an earlier checkout in DIR (e.g. `git archive 248c448 src
 *     | tar -x -C DIR`, with DIR/node_modules linked), imported and run in the same process;
 *   - real (only with BENCH_ONLY=real): the questions of the three real files' specs (test-data/specs)
 *     answered from their fits, as `npm run headless -- doses --spec` prints them.
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx bench/dose-truth.ts > bench/results-dose-truth-DATE.json
 *   BENCH_ONLY=speed | truth | real    runs one part.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { ingestText } from '../src/data/ingest';
import type { Dataset } from '../src/data/types';
import { answersReport, curveSummaries } from '../src/dose/answers-report';
import { addParameterUncertainty, answerDoseQuestions, type DoseQuestionsResult } from '../src/dose/dose-questions';
import { estDataPreset } from '../src/dose/estdata-preset';
import { answerFiveQuestions, challengeQuestions, settingsOf } from '../src/dose/five-questions';
import { MechanisticPdSimulator } from '../src/dose/mechanistic-simulator';
import { drawStudyModel } from '../src/dose/parameter-uncertainty';
import { answerStudyDoseQuestions } from '../src/dose/study-questions';
import { StudyDoseSimulator } from '../src/dose/study-simulator';
import { compareWithTruth, TRUTH_QUESTIONS, truthQuestionSpec, type TruthAnswer } from '../src/dose/testing/truth-questions';
import { trialCovariates, type TrialCovariates } from '../src/dose/virtual-population';
import { fitPkpd } from '../src/pkpd/pkpd-fit';
import { createRng } from '../src/pkpd/random';
import { fitStudy, type StudyFitResult } from '../src/pkpd/population/fit-study';
import { simulateStudyTrial } from '../src/pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../src/pkpd/population/testing/truth-scenarios';
import type { StudySpec } from '../src/study/study-spec';
import { describeSpecProblems, readStudySpecText } from '../src/study/study-spec-reader';
import { readEstDataCsv, readRealDatasetCsv, type RealDatasetName } from '../src/testing/fixture-files';

const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200);
const SEEDS = Number(process.env.BENCH_SEEDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ONLY = process.env.BENCH_ONLY;
const BASELINE = process.env.BENCH_BASELINE;
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
  addParameterUncertainty(result, replicates, 20, 'from the fit’s covariance', { trial });
  return result;
}

interface BaselineEngine {
  answerFiveQuestions(
    dataset: unknown,
    options: unknown,
  ): Promise<{ answers: { dose_mg: number | null }[]; timing: { questionsSeconds: number; uncertaintySeconds: number } }>;
  ingestText(text: string, name: string): { ok: boolean; dataset: unknown };
}

async function speed(): Promise<unknown> {
  const data = estData();
  const preset = estDataPreset();
  const questions = { ...preset.questions!, virtualSubjects: VIRTUAL, seed: 1 };
  // The fits are not timed here (bench/fit-truth.ts does): each engine answers from its own fit, made once.
  const study = fitStudy(data, preset);
  const today = fitPkpd(data);
  const trial = trialCovariates(study.study.subjects);
  const units = { time: 'h' as const, amount: 'mg' as const, endpoint: 'ng/mL' };
  const settings = settingsOf({ nVirtual: VIRTUAL, seed: 1, trialComedShare: 0.5 });
  const engines: Record<string, () => Promise<(number | null)[]>> = {
    study_engine: async () =>
      (await answerDoseQuestions(new StudyDoseSimulator(preset, study.model, 'pd'), questions, { trial, units })).answers.map(
        (a) => a.dose,
      ),
    estdata_engine_every_dose: async () =>
      (
        await answerDoseQuestions(new MechanisticPdSimulator(today.model), challengeQuestions(settings), { units, simulateEveryDose: true })
      ).answers.map((a) => a.dose),
    estdata_engine_now: async () =>
      (await answerDoseQuestions(new MechanisticPdSimulator(today.model), challengeQuestions(settings), { units })).answers.map(
        (a) => a.dose,
      ),
  };
  let baseline: BaselineEngine | null = null;
  let baselineData: unknown = null;
  if (BASELINE) {
    const dose = (await import(`${BASELINE}/src/dose/five-questions.ts`)) as Pick<BaselineEngine, 'answerFiveQuestions'>;
    const ingest = (await import(`${BASELINE}/src/data/ingest.ts`)) as Pick<BaselineEngine, 'ingestText'>;
    baseline = { ...dose, ...ingest };
    baselineData = baseline.ingestText(readEstDataCsv(), 'EstData.csv').dataset;
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
    if (baseline) {
      const result = await baseline.answerFiveQuestions(baselineData, { nVirtual: VIRTUAL, seed: 1, uncertainty: { replicates: 0 } });
      answers.baseline_checkout = result.answers.map((a) => a.dose_mg);
      if (r >= 0) (times.baseline_checkout ??= []).push(result.timing.questionsSeconds * 1000);
    }
  }
  // Bands: 20 models drawn from each fit's covariance (the fit redone each time, not counted), interleaved rounds.
  const bands: Record<string, number[]> = {};
  let sameBands = true;
  for (let r = 0; r < ROUNDS; r++) {
    const banded = await answerStudyDoseQuestions(data, preset, { questions: { seed: 1 }, uncertainty: { replicates: 20 } });
    const bandedToday = await answerFiveQuestions(data, { seed: 1, uncertainty: { replicates: 20 } });
    (bands.study_engine ??= []).push(banded.timing.uncertaintySeconds * 1000);
    (bands.estdata_engine_now ??= []).push(bandedToday.timing.uncertaintySeconds * 1000);
    sameBands &&=
      JSON.stringify(banded.answers.map((a) => a.uncertainty)) === JSON.stringify(bandedToday.answers.map((a) => a.uncertainty));
    if (baseline) {
      const old = await baseline.answerFiveQuestions(baselineData, { nVirtual: VIRTUAL, seed: 1, uncertainty: { replicates: 20 } });
      (bands.baseline_checkout ??= []).push(old.timing.uncertaintySeconds * 1000);
    }
  }
  const reference = answers.study_engine;
  return {
    what: 'EstData, the preset’s twelve questions, N = 1000, seed 1: seconds of the questions alone (fits excluded), median of interleaved rounds',
    rounds: ROUNDS,
    same_answers: Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, JSON.stringify(v) === JSON.stringify(reference)])),
    answers_mg: reference,
    median_seconds: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, seconds(median(v))])),
    seconds: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map(seconds)])),
    ratio_study_to_before: round(
      median(times.study_engine) / median(times[baseline ? 'baseline_checkout' : 'estdata_engine_every_dose']),
      3,
    ),
    bands_20_replicates: {
      median_seconds: Object.fromEntries(Object.entries(bands).map(([k, v]) => [k, seconds(median(v))])),
      seconds: Object.fromEntries(Object.entries(bands).map(([k, v]) => [k, v.map(seconds)])),
      same_bands: sameBands,
    },
    baseline: BASELINE ? `the code of ${BASELINE}, run in the same process` : null,
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

const report: Record<string, unknown> = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
  note: 'Node (tsx), single thread, on a machine shared with other jobs: times are upper bounds.',
};
if (ONLY === undefined || ONLY === 'speed') report.speed = await speed();
if (ONLY === undefined || ONLY === 'truth') report.truth = await truthStudy();
if (ONLY === 'real') report.real = await realDoses();
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
