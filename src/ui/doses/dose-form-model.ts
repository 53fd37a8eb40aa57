/**
 * The Doses form's model: the study spec's `questions` as the fields a user edits (text as typed,
 * shares in %), the run options that are not part of the study (uncertainty draws, search method,
 * VPC replicates) and the models to answer with. Checked by the one validator of study specs
 * (`readStudySpec` on the spec with these questions) and the run options' own check
 * (`runOptionProblems`), each problem placed at its field by its path ("questions.regimens[1].step").
 * Pure: no DOM.
 */
import { studySpecDocument } from '../../store/study-file';
import { DOSE_RUN_LIMITS, type DoseRunOptions, runOptionProblems } from '../../dose/dose-run-report';
import type { TrainedModelMeta } from '../../model/trained-model';
import type { EncoderName } from '../../quantum/resources/architecture';
import {
  CRITERION_RULES,
  CRITERION_WINDOWS,
  type CovariateDistribution,
  PK_ROUTES,
  type QuestionsSpec,
  type ScenarioSpec,
  type StudySpec,
} from '../../study/study-spec';
import { readStudySpec, type SpecProblem, STUDY_LIMITS } from '../../study/study-spec-reader';

export const DISTRIBUTION_KINDS = ['resample', 'uniform', 'normal', 'share', 'values'] as const;
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

export const DISTRIBUTION_LABELS: Readonly<Record<DistributionKind, string>> = {
  resample: 'resampled',
  uniform: 'uniform',
  normal: 'normal',
  share: 'share of 1s',
  values: 'values',
};

/** One covariate of a scenario as typed: uniform [a, b]; normal mean a, SD b, optional range [low, high]; share a (%); values "1, 2, 3". */
export interface DistributionDraft {
  kind: DistributionKind;
  a: string;
  b: string;
  low: string;
  high: string;
  values: string;
}

export interface ScenarioDraft {
  /** Stable key of this scenario in the form (not part of the study). */
  key: number;
  name: string;
  /** By the file's covariate columns (and any column the spec's scenario named). */
  covariates: Record<string, DistributionDraft>;
}

export interface RegimenDraft {
  /** Stable key of this regimen in the form (not part of the study). */
  key: number;
  name: string;
  interval: string;
  route: string;
  /** "" for none (a bolus, or an oral dose). */
  duration: string;
  loading: string;
  step: string;
  max: string;
}

export interface QuestionsDraft {
  endpoint: string;
  rule: string;
  threshold: string;
  low: string;
  high: string;
  window: string;
  /** In % of virtual subjects. */
  targets: string[];
  regimens: RegimenDraft[];
  scenarios: ScenarioDraft[];
  virtualSubjects: string;
  seed: string;
}

export interface RunDraft {
  uncertaintyReplicates: string;
  method: string;
  vpcReplicates: string;
}

export interface DoseFormValues {
  questions: QuestionsDraft;
  run: RunDraft;
  mechanistic: boolean;
  /** A hybrid model to fit and answer with: the population model with this encoder as its covariate model; null: none. */
  hybrid: EncoderName | null;
  /** Saved networks to answer with (ids in IndexedDB). */
  networkIds: string[];
  /** Answer with the chosen networks as one ensemble: the first answers, all of them give the bands. */
  ensemble: boolean;
}

/** Problems by field path: spec paths ("questions.targets[0]"), "run.<option>", "models". */
export type DoseFormProblems = Record<string, string>;

export const DEFAULT_RUN: DoseRunOptions = { uncertaintyReplicates: 20, method: 'bisection', vpcReplicates: 100 };

const text = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '' : String(x));
/** A share as a percentage without float noise: 0.9 → "90", 0.075 → "7.5". */
const percentText = (x: number): string => String(Number((100 * x).toPrecision(12)));

const EMPTY_DISTRIBUTION: DistributionDraft = { kind: 'resample', a: '', b: '', low: '', high: '', values: '' };

export function distributionDraft(d: CovariateDistribution | undefined): DistributionDraft {
  if (!d) return { ...EMPTY_DISTRIBUTION };
  if ('uniform' in d) return { ...EMPTY_DISTRIBUTION, kind: 'uniform', a: text(d.uniform[0]), b: text(d.uniform[1]) };
  if ('normal' in d)
    return {
      ...EMPTY_DISTRIBUTION,
      kind: 'normal',
      a: text(d.normal[0]),
      b: text(d.normal[1]),
      low: text(d.range?.[0]),
      high: text(d.range?.[1]),
    };
  if ('share' in d) return { ...EMPTY_DISTRIBUTION, kind: 'share', a: percentText(d.share) };
  return { ...EMPTY_DISTRIBUTION, kind: 'values', values: d.values.join(', ') };
}

/** The covariate columns a scenario can set: the file's, then any other the spec's scenarios name (matched without regard to case). */
export function scenarioColumns(fileColumns: readonly string[], questions: QuestionsSpec | undefined): string[] {
  const columns = [...fileColumns];
  const known = new Set(columns.map((c) => c.toUpperCase()));
  for (const s of questions?.scenarios ?? []) {
    if (s.covariates === 'resample') continue;
    for (const column of Object.keys(s.covariates)) {
      if (!known.has(column.toUpperCase())) {
        known.add(column.toUpperCase());
        columns.push(column);
      }
    }
  }
  return columns;
}

function scenarioDraft(s: ScenarioSpec, columns: readonly string[]): ScenarioDraft {
  const given = s.covariates === 'resample' ? {} : s.covariates;
  const byUpper = new Map(Object.entries(given).map(([k, d]) => [k.toUpperCase(), { key: k, d }]));
  const covariates: Record<string, DistributionDraft> = {};
  for (const column of columns) {
    const found = byUpper.get(column.toUpperCase());
    covariates[found?.key ?? column] = distributionDraft(found?.d);
  }
  return { key: nextKey(), name: s.name, covariates };
}

let lastKey = 0;
const nextKey = (): number => ++lastKey;

function regimenDraft(r: QuestionsSpec['regimens'][number]): RegimenDraft {
  return {
    key: nextKey(),
    name: r.name,
    interval: text(r.interval),
    route: r.route,
    duration: text(r.duration),
    loading: text(r.loading),
    step: text(r.step),
    max: text(r.max),
  };
}

/** The fields of a spec's questions, with a row per covariate column in every scenario. */
export function questionsDraftOf(questions: QuestionsSpec, columns: readonly string[]): QuestionsDraft {
  const c = questions.criterion;
  const all = scenarioColumns(columns, questions);
  return {
    endpoint: questions.endpoint,
    rule: c.rule,
    threshold: c.rule === 'within' ? '' : text(c.threshold),
    low: c.rule === 'within' ? text(c.range[0]) : '',
    high: c.rule === 'within' ? text(c.range[1]) : '',
    window: c.window,
    targets: questions.targets.map(percentText),
    regimens: questions.regimens.map(regimenDraft),
    scenarios: questions.scenarios.map((s) => scenarioDraft(s, all)),
    virtualSubjects: text(questions.virtualSubjects),
    seed: text(questions.seed),
  };
}

/** A dosing interval of one day in the spec's time unit. */
const DAY: Readonly<Record<StudySpec['units']['time'], number>> = { h: 24, min: 1440, d: 1 };

/**
 * A starting point for a study whose spec asks no dose questions: its endpoint (the response when it
 * has a PD model), "above" a threshold left for the user to fill in, one daily regimen of the data's
 * route and one scenario resampling the trial's subjects.
 */
export function starterQuestionsDraft(spec: StudySpec, columns: readonly string[]): QuestionsDraft {
  const endpoint = spec.endpoints.pd && spec.model.pd ? 'pd' : 'pk';
  const draft = questionsDraftOf(
    {
      endpoint,
      criterion: { rule: 'above', threshold: Number.NaN, window: 'trough' },
      targets: [0.9],
      regimens: [{ name: 'daily', interval: DAY[spec.units.time], route: spec.model.pk.route, step: 1 }],
      scenarios: [{ name: 'trial', covariates: 'resample' }],
      virtualSubjects: 1000,
      seed: 1,
    },
    columns,
  );
  return draft;
}

/** The form's first values for a study: its questions (or a starter), the run options and models given. */
export function doseFormOf(
  spec: StudySpec,
  columns: readonly string[],
  keep: Pick<DoseFormValues, 'run' | 'mechanistic' | 'hybrid' | 'networkIds' | 'ensemble'>,
): DoseFormValues {
  const questions = spec.questions ? questionsDraftOf(spec.questions, columns) : starterQuestionsDraft(spec, columns);
  return { ...keep, questions };
}

export const DEFAULT_MODELS: Pick<DoseFormValues, 'run' | 'mechanistic' | 'hybrid' | 'networkIds' | 'ensemble'> = {
  run: runDraftOf(DEFAULT_RUN),
  mechanistic: true,
  hybrid: null,
  networkIds: [],
  ensemble: false,
};

export function runDraftOf(options: DoseRunOptions): RunDraft {
  return {
    uncertaintyReplicates: text(options.uncertaintyReplicates),
    method: options.method,
    vpcReplicates: text(options.vpcReplicates),
  };
}

/** A number as typed: NaN when empty or not a number (the validator then says "must be a number"). */
function num(value: string): number {
  const trimmed = value.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** An optional number: absent when empty. */
function optional(value: string): number | undefined {
  return value.trim() === '' ? undefined : num(value);
}

function distributionDocument(d: DistributionDraft): unknown {
  switch (d.kind) {
    case 'uniform':
      return { uniform: [num(d.a), num(d.b)] };
    case 'normal':
      return d.low.trim() === '' && d.high.trim() === ''
        ? { normal: [num(d.a), num(d.b)] }
        : { normal: [num(d.a), num(d.b)], range: [num(d.low), num(d.high)] };
    case 'share':
      return { share: num(d.a) / 100 };
    case 'values':
      return {
        values: d.values
          .split(/[,;\s]+/)
          .filter((v) => v !== '')
          .map(num),
      };
    default:
      return undefined;
  }
}

/** The questions section as a document for the validator (numbers as typed; shares from %). */
export function questionsDocument(draft: QuestionsDraft): unknown {
  const criterion =
    draft.rule === 'within'
      ? { rule: draft.rule, range: [num(draft.low), num(draft.high)], window: draft.window }
      : { rule: draft.rule, threshold: num(draft.threshold), window: draft.window };
  return {
    endpoint: draft.endpoint,
    criterion,
    targets: draft.targets.map((t) => num(t) / 100),
    regimens: draft.regimens.map((r) => {
      const regimen: Record<string, unknown> = { name: r.name, interval: num(r.interval), route: r.route, step: num(r.step) };
      for (const key of ['duration', 'loading', 'max'] as const) {
        const value = optional(r[key]);
        if (value !== undefined) regimen[key] = value;
      }
      return regimen;
    }),
    scenarios: draft.scenarios.map((s) => {
      const given = Object.entries(s.covariates).filter(([, d]) => d.kind !== 'resample');
      return {
        name: s.name,
        covariates: given.length === 0 ? 'resample' : Object.fromEntries(given.map(([column, d]) => [column, distributionDocument(d)])),
      };
    }),
    virtualSubjects: num(draft.virtualSubjects),
    seed: num(draft.seed),
  };
}

export interface DoseFormCheck {
  /** The spec with the form's questions, when they are valid. */
  spec: StudySpec | null;
  options: DoseRunOptions | null;
  problems: DoseFormProblems;
}

/** Words of the validator said in the form's terms (targets are typed in %). */
function formMessage(problem: SpecProblem): string {
  if (/^questions\.targets\[\d+\]$/.test(problem.path)) return 'must be a share of subjects more than 0 and at most 100 %';
  if (/\.share$/.test(problem.path)) return 'must be a share from 0 to 100 %';
  return problem.message;
}

/** Checks the questions alone through readStudySpec (on `spec` with them): the spec with them, or the problems by path. */
export function checkQuestions(spec: StudySpec, draft: QuestionsDraft): { spec: StudySpec | null; problems: DoseFormProblems } {
  const problems: DoseFormProblems = {};
  const reading = readStudySpec({ ...studySpecDocument(spec), questions: questionsDocument(draft) });
  if (!reading.ok) for (const p of reading.problems) problems[p.path] ??= formMessage(p);
  return { spec: reading.ok ? reading.spec : null, problems };
}

/** Checks the form: the questions (checkQuestions), the run options (runOptionProblems), the models. */
export function checkDoseForm(spec: StudySpec, values: DoseFormValues): DoseFormCheck {
  const questions = checkQuestions(spec, values.questions);
  const problems: DoseFormProblems = { ...questions.problems };
  const options = {
    uncertaintyReplicates: num(values.run.uncertaintyReplicates),
    method: values.run.method as DoseRunOptions['method'],
    vpcReplicates: num(values.run.vpcReplicates),
  };
  for (const [key, message] of Object.entries(runOptionProblems(options))) problems[`run.${key}`] = message;
  if (!values.mechanistic && values.hybrid === null && values.networkIds.length === 0) problems.models = 'Choose at least one model.';
  else if (values.ensemble && values.networkIds.length < 2) problems.models = 'An ensemble needs two or more networks.';
  const ok = Object.keys(problems).length === 0;
  return { spec: ok ? questions.spec : null, options: ok ? options : null, problems };
}

/** The problem at a field, or at any field inside it ("questions.regimens[0]" holds ".step"). */
export function problemAt(problems: DoseFormProblems, path: string): string | undefined {
  if (problems[path]) return problems[path];
  const inner = Object.keys(problems).find((p) => p.startsWith(`${path}.`) || p.startsWith(`${path}[`));
  return inner ? problems[inner] : undefined;
}

/** A new regimen like the last one, with a name not used yet. */
export function addRegimen(draft: QuestionsDraft): QuestionsDraft {
  if (draft.regimens.length >= STUDY_LIMITS.regimens) return draft;
  const last = draft.regimens[draft.regimens.length - 1];
  const base: RegimenDraft = last ?? {
    key: 0,
    name: '',
    interval: '24',
    route: PK_ROUTES[0],
    duration: '',
    loading: '',
    step: '1',
    max: '',
  };
  return { ...draft, regimens: [...draft.regimens, { ...base, key: nextKey(), name: unusedName('regimen', draft.regimens) }] };
}

/** A new scenario resampling every covariate from the trial, with a name not used yet. */
export function addScenario(draft: QuestionsDraft): QuestionsDraft {
  if (draft.scenarios.length >= STUDY_LIMITS.scenarios) return draft;
  const columns = Object.keys(draft.scenarios[0]?.covariates ?? {});
  const covariates = Object.fromEntries(columns.map((c) => [c, { ...EMPTY_DISTRIBUTION }]));
  return { ...draft, scenarios: [...draft.scenarios, { key: nextKey(), name: unusedName('scenario', draft.scenarios), covariates }] };
}

export function removeAt<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

function unusedName(prefix: string, items: readonly { name: string }[]): string {
  const used = new Set(items.map((i) => i.name.trim().toLowerCase()));
  let k = items.length + 1;
  while (used.has(`${prefix} ${k}`)) k++;
  return `${prefix} ${k}`;
}

export const RULE_LABELS: Readonly<Record<(typeof CRITERION_RULES)[number], string>> = {
  below: 'below a threshold',
  above: 'above a threshold',
  within: 'within a range',
};

export const WINDOW_LABELS: Readonly<Record<(typeof CRITERION_WINDOWS)[number], string>> = {
  throughout: 'throughout',
  trough: 'at the trough',
  average: 'on average',
};

export const RUN_LIMITS = DOSE_RUN_LIMITS;

/**
 * The form with the saved networks to offer ticked: a network saved during this visit (created at
 * or after `since`) and trained on the open dataset (`fingerprint`) is ticked the first time it is
 * listed with that dataset open. `offered` remembers the (network, dataset) pairs already offered
 * and is updated, so a network the user unticked stays unticked. Returns `form` itself when nothing
 * is added.
 */
export function offerNetworks<F extends Pick<DoseFormValues, 'networkIds'>>(
  form: F,
  saved: readonly Pick<TrainedModelMeta, 'id' | 'fingerprint' | 'createdAt'>[],
  fingerprint: string,
  since: number,
  offered: Set<string>,
): F {
  const added: string[] = [];
  for (const m of saved) {
    const key = `${m.id} ${fingerprint}`;
    if (offered.has(key)) continue;
    offered.add(key);
    if (m.fingerprint === fingerprint && m.createdAt >= since && !form.networkIds.includes(m.id)) added.push(m.id);
  }
  return added.length === 0 ? form : { ...form, networkIds: [...form.networkIds, ...added] };
}
