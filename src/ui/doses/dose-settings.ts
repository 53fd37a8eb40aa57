/**
 * The Doses view's settings as the form holds them (percentages, mg, h), their checks with a message
 * per field, and their translation into the worker's run settings. Pure: no DOM.
 */
import type { TrainedModelMeta } from '../../model/trained-model';
import type { DoseRunSettings } from '../../../workers/doses-client';

export interface DoseFormValues {
  nVirtual: number;
  seed: number;
  /** PD threshold (ng/mL). */
  threshold: number;
  /** The two targets, % of virtual subjects below the threshold throughout the interval. */
  targetHigh: number;
  targetLow: number;
  /** Dose steps (mg) of the daily and weekly grids. */
  dailyStep: number;
  weeklyStep: number;
  /** Output grid of the last dosing interval (h). */
  gridStep: number;
  method: 'bisection' | 'mcts';
  uncertaintyReplicates: number;
  vpcReplicates: number;
  mechanistic: boolean;
  /** Saved networks to answer with (ids in IndexedDB). */
  networkIds: string[];
  /** Answer with the chosen networks as one ensemble: the first answers, all of them give the bands. */
  ensemble: boolean;
}

export type NumberSetting = Exclude<keyof DoseFormValues, 'method' | 'mechanistic' | 'networkIds' | 'ensemble'>;
export type DoseFormProblems = Partial<Record<NumberSetting | 'models', string>>;

export const DEFAULT_DOSE_FORM: DoseFormValues = {
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
  mechanistic: true,
  networkIds: [],
  ensemble: false,
};

function checkNumber(value: number, min: number, max: number, unit: string, integer: boolean, minOpen = false): string | null {
  if (!Number.isFinite(value)) return 'Enter a number.';
  if (integer && !Number.isInteger(value)) return 'Enter a whole number.';
  const low = minOpen ? value <= min : value < min;
  if (low || value > max) return minOpen ? `More than ${min} and at most ${max}${unit}.` : `Between ${min} and ${max}${unit}.`;
  return null;
}

export function doseFormProblems(v: DoseFormValues): DoseFormProblems {
  const problems: DoseFormProblems = {};
  const add = (key: keyof DoseFormProblems, problem: string | null): void => {
    if (problem) problems[key] = problem;
  };
  add('nVirtual', checkNumber(v.nVirtual, 10, 20_000, '', true));
  add('seed', checkNumber(v.seed, 0, 2 ** 31 - 1, '', true));
  add('threshold', checkNumber(v.threshold, 0, 1000, ' ng/mL', false, true));
  add('targetHigh', checkNumber(v.targetHigh, 0, 100, ' %', false, true));
  add('targetLow', checkNumber(v.targetLow, 0, 100, ' %', false, true));
  if (!problems.targetHigh && !problems.targetLow && v.targetHigh === v.targetLow)
    problems.targetLow = 'Choose a target different from the first.';
  add('dailyStep', checkNumber(v.dailyStep, 0, 10, ' mg', false, true));
  add('weeklyStep', checkNumber(v.weeklyStep, 0, 100, ' mg', false, true));
  add('gridStep', checkNumber(v.gridStep, 0, 0.5, ' h', false, true));
  add('uncertaintyReplicates', checkNumber(v.uncertaintyReplicates, 0, 200, '', true));
  add('vpcReplicates', checkNumber(v.vpcReplicates, 0, 1000, '', true));
  if (!v.mechanistic && v.networkIds.length === 0) problems.models = 'Choose at least one model.';
  else if (v.ensemble && v.networkIds.length < 2) problems.models = 'An ensemble needs two or more networks.';
  return problems;
}

export function runSettings(v: DoseFormValues): DoseRunSettings {
  return {
    questions: {
      nVirtual: v.nVirtual,
      seed: v.seed,
      threshold: v.threshold,
      targets: [v.targetHigh / 100, v.targetLow / 100],
      gridStep: v.gridStep,
      method: v.method,
    },
    steps: { daily: v.dailyStep, weekly: v.weeklyStep },
    uncertaintyReplicates: v.uncertaintyReplicates,
    vpcReplicates: v.vpcReplicates,
  };
}

/**
 * The form with the saved networks to offer ticked: a network saved during this visit (created at
 * or after `since`) and trained on the open dataset (`fingerprint`) is ticked the first time it is
 * listed with that dataset open. `offered` remembers the (network, dataset) pairs already offered
 * and is updated, so a network the user unticked stays unticked. Returns `form` itself when nothing
 * is added.
 */
export function offerNetworks(
  form: DoseFormValues,
  saved: readonly Pick<TrainedModelMeta, 'id' | 'fingerprint' | 'createdAt'>[],
  fingerprint: string,
  since: number,
  offered: Set<string>,
): DoseFormValues {
  const added: string[] = [];
  for (const m of saved) {
    const key = `${m.id} ${fingerprint}`;
    if (offered.has(key)) continue;
    offered.add(key);
    if (m.fingerprint === fingerprint && m.createdAt >= since && !form.networkIds.includes(m.id)) added.push(m.id);
  }
  return added.length === 0 ? form : { ...form, networkIds: [...form.networkIds, ...added] };
}
