/**
 * A dose run of the Doses tab as plain, structured-clone-friendly data: the study's questions (its
 * spec's `questions`, with the scenario and regimen names, the criterion in words and the units)
 * answered by each model chosen — the population model of the spec fitted to the data (with its fit
 * report and diagnostics), and saved networks — with the run options that are not part of the study
 * (uncertainty draws, search method, VPC replicates). The dose worker is a thin adapter over
 * `runStudyDoses` and `networkRunReport`; the page and the exports read these types only.
 */
import { studySpecDocument } from '../store/study-file';
import type { Dataset } from '../data/types';
import { type StudyDiagnostics, studyDiagnostics } from '../pkpd/diagnostics/study-diagnostics';
import { fitStudy, type StudyFitControl, type StudyFitResult } from '../pkpd/population/fit-study';
import { FixedModelExportError, fixedModelDocument } from '../pkpd/population/fixed-model-document';
import { studyFitReport, type StudyFitReport } from '../pkpd/population/report';
import type { Criterion, QuestionsSpec, StudySpec } from '../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../study/study-spec-reader';
import { describeCriterion } from './criterion';
import type { DoseAnswer, DoseProgress, DoseQuestionsResult, DoseResponseCurve, UncertaintySummary } from './dose-questions';
import { DoseSettingsError } from './errors';
import type { CancelSignal } from './steady-state';
import type { DoseJobRunner } from './dose-pool';
import { answerFittedStudyQuestions, studyQuestions } from './study-questions';
import type { StudySimulatorOptions } from './study-simulator';

/** What a run needs beside the study: how to search and how much uncertainty and diagnostics to compute. */
export interface DoseRunOptions {
  /** Models drawn from the fit's covariance for the bands (0: none). */
  uncertaintyReplicates: number;
  /** Which search gives the answer; the other runs beside it (for networks only when MCTS is chosen). */
  method: 'bisection' | 'mcts';
  /** Replicate trials of the visual predictive check (0: none). */
  vpcReplicates: number;
}

export const DOSE_RUN_LIMITS = {
  uncertaintyReplicates: 200,
  vpcReplicates: 1000,
} as const;

export type DoseRunStage = DoseProgress['stage'] | 'diagnostics' | 'loading';

export interface DoseRunProgress {
  stage: DoseRunStage;
  /** Units done and total in this stage; total 0 when open-ended (the fit's iterations). */
  done: number;
  total: number;
  message: string;
}

export interface DoseRunControl {
  onProgress?: (progress: DoseRunProgress) => void;
  signal?: CancelSignal;
  /**
   * The fitted model for other tools (NONMEM, nlmixr2, mrgsolve), given by the caller (the dose worker
   * passes src/export/model `modelExportsOf`: the export layer sits above this one); absent: none made.
   */
  exportModel?: (fitted: StudyFitResult) => Pick<MechanisticRunReport, 'modelExports' | 'modelExportsProblem'>;
  /**
   * Fits the study elsewhere (the dose worker passes a pool of fit workers, workers/fit-pool.ts, with
   * the same results); absent: `fitStudy` in this thread.
   */
  fitStudy?: (dataset: Dataset, spec: StudySpec, control: StudyFitControl) => Promise<StudyFitResult>;
  /** Workers for the questions' simulations and replicates (dose-pool.ts; the dose worker passes workers/dose-pool.ts); absent: this thread. */
  dosePool?: DoseJobRunner | null;
}

/** The questions as a run answered them, shared by every model of the run. */
export interface AnsweredQuestions {
  label: string;
  /** The study spec's name. */
  study: string;
  /** The questions asked (the spec's, with the form's edits). */
  questions: QuestionsSpec;
  /** The endpoint as people read it: "PD (Biomarker)", "PK (Theophylline)". */
  endpoint: string;
  /** The criterion in words: "PD (Biomarker) below 3.3 ng/mL throughout the last dosing interval at steady state". */
  question: string;
  units: DoseQuestionsResult['units'];
  answers: DoseAnswer[];
  curves: DoseResponseCurve[];
  /** What a reader must know about all answers (loading doses, falling success, …). */
  notes: string[];
  method: 'bisection' | 'mcts';
}

export interface MechanisticRunReport extends AnsweredQuestions {
  kind: 'mechanistic';
  uncertainty: UncertaintySummary;
  fit: StudyFitReport;
  /** Null when no diagnostics were asked for (0 VPC replicates still gives the goodness-of-fit plots). */
  diagnostics: StudyDiagnostics | null;
  timing: { fitSeconds: number; questionsSeconds: number; uncertaintySeconds: number; diagnosticsSeconds: number; totalSeconds: number };
  /**
   * The fitted model as a patient's population model (src/patient): a `qpkpd-study` document with
   * every value fixed and the run's questions (src/pkpd/population/fixed-model-document.ts), plain
   * JSON; null when a study spec cannot express the model (a hybrid model's covariate network), with
   * the reason in `patientModelProblem`.
   */
  patientModel: Record<string, unknown> | null;
  patientModelProblem: string | null;
  /**
   * The fitted model for NONMEM, nlmixr2 and mrgsolve (src/export/model: the control stream / model
   * code and its data file, final estimates as initial values); null when the exports cannot hold the
   * model (a hybrid model's covariate network), with the reason in `modelExportsProblem`.
   */
  modelExports: Record<ModelExportFormat, ModelFiles> | null;
  modelExportsProblem: string | null;
}

export type ModelExportFormat = 'nonmem' | 'nlmixr2' | 'mrgsolve';

/** One export: its files (the model file and its data file). */
export interface ModelFiles {
  files: { name: string; text: string }[];
}

export interface NetworkRunReport extends AnsweredQuestions {
  kind: 'network';
  modelId: string;
  /** How the bands were made (an ensemble), or null without one. */
  band: { members: number; method: string } | null;
  /** Input features that leave their training range at the answers. */
  extrapolation: {
    scenario: string;
    regimen: string;
    dose: number;
    features: { branch: string; feature: string; beyond: number }[];
  }[];
  /** These answers minus the reference (mechanistic) answers, when given. */
  differences: { scenario: string; target: number; regimen: string; mg: number | null; steps: number | null }[] | null;
  /** Which subjects of the open dataset gave the network's context (baseline PD, feature ranges). */
  context: string;
  backend: string;
  seconds: number;
}

export type DoseModelReport = MechanisticRunReport | NetworkRunReport;

/** "PD (Biomarker)", "PK (Theophylline)", or "PK" without a name. */
export function endpointInWords(spec: StudySpec, endpoint: 'pk' | 'pd'): string {
  const name = spec.endpoints[endpoint]?.name;
  return name ? `${endpoint.toUpperCase()} (${name})` : endpoint.toUpperCase();
}

/** The unit of the endpoint a question is about. */
export function endpointUnit(spec: StudySpec, endpoint: 'pk' | 'pd'): string {
  return endpoint === 'pk' ? spec.units.concentration : (spec.units.response ?? '');
}

/** "PD (Biomarker) below 3.3 ng/mL throughout the last dosing interval at steady state", "PK (Phenobarbital) within 15–40 mg/L at the trough …". */
export function questionInWords(spec: StudySpec, endpoint: 'pk' | 'pd', criterion: Criterion): string {
  return `${endpointInWords(spec, endpoint)} ${describeCriterion(criterion, endpointUnit(spec, endpoint))}`;
}

/** The parts of a run's answers every model shares, from the engine's result. */
export function answeredQuestions(spec: StudySpec, label: string, result: DoseQuestionsResult): AnsweredQuestions {
  const questions = result.settings.questions;
  return {
    label,
    study: spec.name,
    questions,
    endpoint: endpointInWords(spec, questions.endpoint),
    question: questionInWords(spec, questions.endpoint, questions.criterion),
    units: result.units,
    answers: result.answers,
    curves: result.curves,
    notes: result.notes,
    method: result.settings.method,
  };
}

/** The label of the fitted population model: "Population model (oral 2-compartment, indirect (inhibit-production))". */
export function mechanisticLabel(fit: StudyFitReport): string {
  return `Population model (${fit.structure.pk}${fit.structure.pd ? `, ${fit.structure.pd}` : ''})`;
}

/**
 * The spec a run was handed (from the page, a form or storage), read again through the one validator;
 * a DoseSettingsError lists its problems by field.
 */
export function checkedRunSpec(spec: unknown): StudySpec {
  const reading = readStudySpec(studySpecDocument(spec as StudySpec));
  if (!reading.ok) throw new DoseSettingsError(`The study's settings have problems: ${describeSpecProblems(reading.problems)}.`);
  if (!reading.spec.questions) studyQuestions(reading.spec);
  return reading.spec;
}

/** Problems of the run options by name, in words for the form ("Between 0 and 200, a whole number."). */
export function runOptionProblems(options: DoseRunOptions): Partial<Record<keyof DoseRunOptions, string>> {
  const problems: Partial<Record<keyof DoseRunOptions, string>> = {};
  const whole = (x: number, max: number): boolean => Number.isInteger(x) && x >= 0 && x <= max;
  for (const key of ['uncertaintyReplicates', 'vpcReplicates'] as const) {
    const max = DOSE_RUN_LIMITS[key];
    if (!whole(options[key], max)) problems[key] = `must be a whole number from 0 to ${max}`;
  }
  if (options.method !== 'bisection' && options.method !== 'mcts') problems.method = 'must be "bisection" or "mcts"';
  return problems;
}

const RUN_OPTION_NAMES: Readonly<Record<keyof DoseRunOptions, string>> = {
  uncertaintyReplicates: 'Uncertainty draws',
  method: 'The search method',
  vpcReplicates: 'VPC replicates',
};

/** Checks the run options (a DoseSettingsError says which is out of range). */
export function checkRunOptions(options: DoseRunOptions): void {
  const problems = Object.entries(runOptionProblems(options));
  if (problems.length > 0)
    throw new DoseSettingsError(problems.map(([key, m]) => `${RUN_OPTION_NAMES[key as keyof DoseRunOptions]} ${m}.`).join(' '));
}

/** The study's population model fitted to the dataset, its questions answered with bands, its diagnostics. */
export async function runStudyDoses(
  dataset: Dataset,
  spec: StudySpec,
  options: DoseRunOptions,
  control: DoseRunControl = {},
): Promise<MechanisticRunReport> {
  checkRunOptions(options);
  spec = checkedRunSpec(spec);
  const started = performance.now();
  const fitControl: StudyFitControl = {
    signal: control.signal,
    onProgress: (p) => control.onProgress?.({ stage: 'fit', done: p.iteration, total: 0, message: `${p.stage}, iteration ${p.iteration}` }),
  };
  const fit = control.fitStudy ? await control.fitStudy(dataset, spec, fitControl) : fitStudy(dataset, spec, fitControl);
  return await fittedRunReport(fit, spec, options, control, { fitSeconds: (performance.now() - started) / 1000 });
}

/** The fitted model as a fixed-value study spec document with the run's questions, or why it cannot be one. */
export function patientModelOf(
  fitted: StudyFitResult,
  spec: StudySpec,
): Pick<MechanisticRunReport, 'patientModel' | 'patientModelProblem'> {
  try {
    const fixed = fixedModelDocument(spec.questions ? { ...fitted.spec, questions: spec.questions } : fitted.spec, fitted.model, {
      subjects: fitted.study.subjects,
    });
    return { patientModel: JSON.parse(JSON.stringify(studySpecDocument(fixed))) as Record<string, unknown>, patientModelProblem: null };
  } catch (error) {
    if (error instanceof FixedModelExportError) return { patientModel: null, patientModelProblem: error.message };
    throw error;
  }
}

/**
 * A fitted population model's run report: the spec's questions answered with parameter-uncertainty
 * bands, the fit report and its diagnostics. A hybrid model (src/model/mechanistic) passes its label
 * and its network as the simulator's derived covariates.
 */
export async function fittedRunReport(
  fitted: StudyFitResult,
  spec: StudySpec,
  options: DoseRunOptions,
  control: DoseRunControl,
  extra: { fitSeconds: number; label?: string; simulator?: StudySimulatorOptions },
): Promise<MechanisticRunReport> {
  const questions = studyQuestions(spec);
  const progress = (p: DoseRunProgress): void => control.onProgress?.({ stage: p.stage, done: p.done, total: p.total, message: p.message });
  const result = await answerFittedStudyQuestions(
    fitted,
    spec,
    {
      questions,
      method: options.method,
      ...(options.method === 'mcts' ? { mcts: {} } : {}),
      uncertainty: { replicates: options.uncertaintyReplicates },
      ...(extra.simulator ? { simulator: extra.simulator } : {}),
    },
    { signal: control.signal, onProgress: progress, pool: control.dosePool },
  );
  const started = performance.now();
  const total = options.vpcReplicates;
  const diagnostics = studyDiagnostics(result.fit, {
    vpcReplicates: total,
    seed: questions.seed,
    signal: control.signal,
    onProgress: (done, of) => progress({ stage: 'diagnostics', done, total: of, message: 'VPC and NPDE, simulated trials' }),
  });
  const diagnosticsSeconds = (performance.now() - started) / 1000;
  const fit = studyFitReport(result.fit);
  return {
    kind: 'mechanistic',
    ...answeredQuestions(spec, extra.label ?? mechanisticLabel(fit), result),
    uncertainty: result.uncertainty,
    fit,
    diagnostics,
    timing: {
      ...result.timing,
      fitSeconds: extra.fitSeconds,
      diagnosticsSeconds,
      totalSeconds: extra.fitSeconds + result.timing.totalSeconds + diagnosticsSeconds,
    },
    ...patientModelOf(fitted, spec),
    ...(control.exportModel?.(fitted) ?? { modelExports: null, modelExportsProblem: 'no export was asked for with this run' }),
  };
}
