/**
 * What a share link carries (version 2): the bundled demo data, the open view, and optionally the
 * Model tab's training settings and the Doses tab's questions of the demo study (the spec's
 * `questions`, as the form holds them) with the run options — never data from a user's file, never
 * saved-model ids. Its check: exact keys, JSON types, and the forms' own rules (the study's questions
 * through the one validator, readStudySpec, on the demo's preset). A version-1 link (the EstData-only
 * dose numbers: N, seed, threshold, two targets, daily and weekly steps, grid step, method, replicates)
 * is read into the same shape (its time grid step is no longer a setting: the engine's 0.25 h for
 * these regimens). A doses section longer than MAX_SHARED_DOSES_LENGTH is left out of a link (it would
 * not fit the codec's limits beside the longest model settings). Pure: no DOM.
 */
import { studySpecDocument } from '../../store/study-file';
import { type DoseRunOptions, runOptionProblems } from '../../dose/dose-run-report';
import { estDataPreset } from '../../study/estdata-preset';
import { DEFAULT_TRAINING_CONFIG, type TrainingConfig, trainingConfigProblems } from '../../model/training-config';
import { jsonShapeIssue } from '../../model/untrusted-json';
import type { QuestionsSpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../../study/study-spec-reader';
import { checkDoseForm, type DoseFormValues } from '../doses/dose-form-model';

export const SHARE_VERSION = 2;
export const SHARE_VIEWS = ['data', 'model', 'doses'] as const;
export type ShareView = (typeof SHARE_VIEWS)[number];

/** The Doses tab's settings in a link: the demo study's questions and the run options. */
export interface SharedDoseSettings {
  readonly questions: QuestionsSpec;
  readonly run: DoseRunOptions;
}

/** The longest doses section (JSON characters) a link carries; the demo's own questions take about 700. */
export const MAX_SHARED_DOSES_LENGTH = 2000;

export interface ShareState {
  readonly v: typeof SHARE_VERSION;
  readonly data: 'demo';
  readonly view: ShareView;
  readonly model?: TrainingConfig;
  readonly doses?: SharedDoseSettings;
}

/** The fields a link may carry (a Record, so a field added to a form must be decided on here). */
const MODEL_FIELDS: Readonly<Record<keyof TrainingConfig, true>> = {
  head: true,
  encoder: true,
  mode: true,
  qubits: true,
  layers: true,
  epochs: true,
  patience: true,
  seed: true,
  split: true,
  backend: true,
  hidden: true,
  depth: true,
  experts: true,
  dropout: true,
  learningRate: true,
  batchSize: true,
  mcSamples: true,
  classification: true,
};

/** The version-1 dose settings (EstData-only numbers), read into the version-2 shape. */
interface DosesV1 {
  nVirtual: number;
  seed: number;
  threshold: number;
  targetHigh: number;
  targetLow: number;
  dailyStep: number;
  weeklyStep: number;
  gridStep: number;
  method: string;
  uncertaintyReplicates: number;
  vpcReplicates: number;
}

const DOSES_V1_FIELDS: Readonly<Record<keyof DosesV1, true>> = {
  nVirtual: true,
  seed: true,
  threshold: true,
  targetHigh: true,
  targetLow: true,
  dailyStep: true,
  weeklyStep: true,
  gridStep: true,
  method: true,
  uncertaintyReplicates: true,
  vpcReplicates: true,
};

const DOSES_V1_DEFAULTS: DosesV1 = {
  nVirtual: 1000,
  seed: 1,
  threshold: 3.3,
  targetHigh: 90,
  targetLow: 75,
  dailyStep: 0.5,
  weeklyStep: 5,
  gridStep: 0.25,
  method: 'bisection',
  uncertaintyReplicates: 20,
  vpcReplicates: 100,
};

const DOSES_FIELDS: Readonly<Record<keyof SharedDoseSettings, true>> = { questions: true, run: true };
const RUN_FIELDS: Readonly<Record<keyof DoseRunOptions, true>> = { uncertaintyReplicates: true, method: true, vpcReplicates: true };
const RUN_DEFAULTS: DoseRunOptions = { uncertaintyReplicates: 0, method: 'bisection', vpcReplicates: 0 };

/** A version-1 link's dose numbers as the demo study's questions (the preset's, with the link's numbers). */
function dosesFromV1(v1: DosesV1): unknown {
  const preset = estDataPreset().questions!;
  const steps: Record<string, number> = { daily: v1.dailyStep, weekly: v1.weeklyStep };
  return {
    questions: {
      ...preset,
      criterion: { ...preset.criterion, threshold: v1.threshold },
      targets: [v1.targetHigh / 100, v1.targetLow / 100],
      regimens: preset.regimens.map((r) => {
        const step = steps[r.name] ?? r.step;
        return { ...r, step, max: Number((60 * step).toFixed(10)) };
      }),
      virtualSubjects: v1.nVirtual,
      seed: v1.seed,
    },
    run: { uncertaintyReplicates: v1.uncertaintyReplicates, method: v1.method, vpcReplicates: v1.vpcReplicates },
  };
}

/** The doses section checked: exact keys, the questions through readStudySpec on the demo's preset, the run options; or the problem in words. */
function checkDoses(value: unknown): { ok: true; doses: SharedDoseSettings } | { ok: false; detail: string } {
  const record = exactRecord<{ questions: unknown; run: unknown }>(value, DOSES_FIELDS, { questions: {}, run: {} });
  if (!record) return { ok: false, detail: 'dose settings' };
  const run = exactRecord<DoseRunOptions>(record.run, RUN_FIELDS, RUN_DEFAULTS);
  if (!run) return { ok: false, detail: 'dose run options' };
  const runProblems = Object.entries(runOptionProblems(run));
  if (runProblems.length > 0) return { ok: false, detail: problemsText('doses', Object.fromEntries(runProblems)) };
  const reading = readStudySpec({ ...studySpecDocument(estDataPreset()), questions: record.questions });
  if (!reading.ok) return { ok: false, detail: `doses ${describeSpecProblems(reading.problems, 3)}` };
  return { ok: true, doses: { questions: reading.spec.questions!, run } };
}

export const DAMAGED_MESSAGE =
  'This link is damaged or incomplete, so it could not be opened. Ask for the link again, or open the demo data from the side panel.';

export function newerVersionMessage(version: number): string {
  return (
    `This link was made by a newer version of QPKPD Studio (link version ${version}; this version reads version ${SHARE_VERSION}). ` +
    'Reload the page to get the latest version, then open the link again.'
  );
}

export type ShareCheck = { ok: true; state: ShareState } | { ok: false; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The record if it has exactly `fields`, each of the JSON type of its default; else null. */
function exactRecord<T extends object>(value: unknown, fields: Readonly<Record<keyof T, true>>, defaults: T): T | null {
  if (!isRecord(value)) return null;
  const keys = Object.keys(fields) as (keyof T & string)[];
  if (Object.keys(value).length !== keys.length) return null;
  const typed = keys.every((key) => Object.hasOwn(value, key) && typeof value[key] === typeof defaults[key]);
  return typed ? (Object.fromEntries(keys.map((key) => [key, value[key]])) as T) : null;
}

/** The damaged-link message, with a detail in the app's own words (never text taken from the link). */
export function damagedLink(detail?: string): ShareCheck {
  return { ok: false, message: detail ? `${DAMAGED_MESSAGE} (${detail})` : DAMAGED_MESSAGE };
}

/**
 * A state's objects nest seven levels deep (state → doses → questions → scenarios → a scenario →
 * its covariates → a distribution → its pair); one more is allowed, never used.
 */
const MAX_SHARE_NESTING = 8;

const problemsText = (section: string, problems: Record<string, string | undefined>): string =>
  Object.entries(problems)
    .map(([key, message]) => `${section} ${key}: ${message}`)
    .join(' ');

/** Checks a parsed link payload: the version first (a newer link gets its own message), then every field. */
export function checkShareState(value: unknown): ShareCheck {
  if (!isRecord(value)) return damagedLink();
  const issue = jsonShapeIssue(value, MAX_SHARE_NESTING, 'link');
  if (issue?.kind === 'reserved-key') return damagedLink(`it holds a field named “${issue.key}”, which no link has`);
  if (issue) return damagedLink('its settings are nested deeper than in any link');
  const { v } = value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return damagedLink();
  if (v > SHARE_VERSION) return { ok: false, message: newerVersionMessage(v) };
  const allowed = new Set(['v', 'data', 'view', 'model', 'doses']);
  const unknown = Object.keys(value).filter((key) => !allowed.has(key));
  // Counted, never named: the names are the link author's text, not the app's.
  if (unknown.length > 0)
    return damagedLink(`it holds ${unknown.length === 1 ? 'a field' : `${unknown.length} fields`} that this version does not know`);
  if (value.data !== 'demo') return damagedLink('only the demo data can be shared');
  const view = value.view;
  if (typeof view !== 'string' || !(SHARE_VIEWS as readonly string[]).includes(view)) return damagedLink('unknown view');
  let state: ShareState = { v: SHARE_VERSION, data: 'demo', view: view as ShareView };
  if (value.model !== undefined) {
    // Links made before the hybrid head hold no head: the direct one.
    const sent = isRecord(value.model) && !Object.hasOwn(value.model, 'head') ? { ...value.model, head: 'direct' } : value.model;
    const model = exactRecord<TrainingConfig>(sent, MODEL_FIELDS, DEFAULT_TRAINING_CONFIG);
    if (!model) return damagedLink('model settings');
    const problems = trainingConfigProblems(model);
    if (Object.keys(problems).length > 0) return damagedLink(problemsText('model', problems));
    state = { ...state, model };
  }
  if (value.doses !== undefined) {
    let doses: unknown = value.doses;
    if (v === 1) {
      const old = exactRecord<DosesV1>(value.doses, DOSES_V1_FIELDS, DOSES_V1_DEFAULTS);
      if (!old) return damagedLink('dose settings');
      doses = dosesFromV1(old);
    }
    const checked = checkDoses(doses);
    if (!checked.ok) return damagedLink(checked.detail);
    state = { ...state, doses: checked.doses };
  }
  return { ok: true, state };
}

/** The fields of `source` that `fields` names. */
function pick<T extends object>(source: T, fields: Readonly<Record<string, true>>): T {
  return Object.fromEntries(Object.keys(fields).map((key) => [key, source[key as keyof T]])) as T;
}

export interface ShareDraft {
  readonly state: ShareState;
  /** Settings left out of the link: the form holds values out of range, or (doses) too much for a link. */
  readonly leftOut: readonly ('model' | 'doses')[];
  /** Why each part was left out, in words ("hold values out of range"). */
  readonly why: Readonly<Partial<Record<'model' | 'doses', string>>>;
}

/**
 * The state of the current analysis on the demo data; a form holding values out of range is left out
 * of it, and so are dose settings longer than MAX_SHARED_DOSES_LENGTH. `doses`: the Doses form (of the
 * demo study), or null when the Doses tab was not opened.
 */
export function shareStateOf(view: ShareView, config: TrainingConfig, doses: DoseFormValues | null): ShareDraft {
  let state: ShareState = { v: SHARE_VERSION, data: 'demo', view };
  const leftOut: ('model' | 'doses')[] = [];
  const why: Partial<Record<'model' | 'doses', string>> = {};
  const outOfRange = 'hold values out of range';
  const model = checkShareState({ ...state, model: pick(config, MODEL_FIELDS) });
  if (model.ok) state = model.state;
  else {
    leftOut.push('model');
    why.model = outOfRange;
  }
  if (doses) {
    const checked = checkDoseForm(estDataPreset(), { ...doses, mechanistic: true, hybrid: null, networkIds: [], ensemble: false });
    const shared = checked.spec?.questions && checked.options ? { questions: checked.spec.questions, run: checked.options } : null;
    if (shared && JSON.stringify(shared).length <= MAX_SHARED_DOSES_LENGTH) state = { ...state, doses: shared };
    else {
      leftOut.push('doses');
      why.doses = shared ? `are longer than a link can carry (${MAX_SHARED_DOSES_LENGTH.toLocaleString('en')} characters)` : outOfRange;
    }
  }
  return { state, leftOut, why };
}
