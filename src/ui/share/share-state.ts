/**
 * What a share link carries (version 1): the bundled demo data, the open view, and optionally the
 * Model tab's training settings and the Doses tab's numbers and search method — never data from a
 * user's file, never saved-model ids. Its check: exact keys, JSON types, and the forms' own rules.
 * Pure: no DOM.
 */
import { DEFAULT_TRAINING_CONFIG, type TrainingConfig, trainingConfigProblems } from '../../model/training-config';
import { jsonShapeIssue } from '../../model/untrusted-json';
import { DEFAULT_DOSE_FORM, type DoseFormValues, doseFormProblems, type NumberSetting } from '../doses/dose-settings';

export const SHARE_VERSION = 1;
export const SHARE_VIEWS = ['data', 'model', 'doses'] as const;
export type ShareView = (typeof SHARE_VIEWS)[number];

export type SharedDoseSettings = Pick<DoseFormValues, NumberSetting | 'method'>;

export interface ShareState {
  readonly v: typeof SHARE_VERSION;
  readonly data: 'demo';
  readonly view: ShareView;
  readonly model?: TrainingConfig;
  readonly doses?: SharedDoseSettings;
}

/** The fields a link may carry (a Record, so a field added to a form must be decided on here). */
const MODEL_FIELDS: Readonly<Record<keyof TrainingConfig, true>> = {
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

const DOSE_FIELDS: Readonly<Record<keyof SharedDoseSettings, true>> = {
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

const DOSE_METHODS: readonly DoseFormValues['method'][] = ['bisection', 'mcts'];

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

/** A state's objects nest one level deep (its model and dose settings); one more is allowed, never used. */
const MAX_SHARE_NESTING = 2;

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
    const model = exactRecord<TrainingConfig>(value.model, MODEL_FIELDS, DEFAULT_TRAINING_CONFIG);
    if (!model) return damagedLink('model settings');
    const problems = trainingConfigProblems(model);
    if (Object.keys(problems).length > 0) return damagedLink(problemsText('model', problems));
    state = { ...state, model };
  }
  if (value.doses !== undefined) {
    const doses = exactRecord<SharedDoseSettings>(value.doses, DOSE_FIELDS, DEFAULT_DOSE_FORM);
    if (!doses) return damagedLink('dose settings');
    const problems: Record<string, string | undefined> = doseFormProblems({ ...DEFAULT_DOSE_FORM, ...doses });
    if (!DOSE_METHODS.includes(doses.method)) problems.method = 'unknown search method';
    if (Object.keys(problems).length > 0) return damagedLink(problemsText('doses', problems));
    state = { ...state, doses };
  }
  return { ok: true, state };
}

/** The fields of `source` that `fields` names. */
function pick<T extends object>(source: T, fields: Readonly<Record<string, true>>): T {
  return Object.fromEntries(Object.keys(fields).map((key) => [key, source[key as keyof T]])) as T;
}

export interface ShareDraft {
  readonly state: ShareState;
  /** Settings left out because the form holds values out of range. */
  readonly leftOut: readonly ('model' | 'doses')[];
}

/** The state of the current analysis on the demo data; a form holding values out of range is left out of it. */
export function shareStateOf(view: ShareView, config: TrainingConfig, form: DoseFormValues): ShareDraft {
  const parts = { model: pick(config, MODEL_FIELDS), doses: pick<SharedDoseSettings>(form, DOSE_FIELDS) };
  let state: ShareState = { v: SHARE_VERSION, data: 'demo', view };
  const leftOut: ('model' | 'doses')[] = [];
  for (const key of ['model', 'doses'] as const) {
    const checked = checkShareState({ ...state, [key]: parts[key] });
    if (checked.ok) state = checked.state;
    else leftOut.push(key);
  }
  return { state, leftOut };
}
