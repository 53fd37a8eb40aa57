/**
 * Random subjects of the TF.js structural model and their float64 twins, without Node or test-runner
 * imports so that the browser's headless comparison (src/headless/commands/structural.ts) draws the
 * same cases as the unit tests (pk-tensor.test.ts, pd-tensor.test.ts, indirect-tensor.test.ts): PK
 * values, doses and times from a seeded stream in a fixed order, parameter tensors, batched evaluation.
 */
import { tensor1d, type Tensor, type Tensor1D, type Tensor2D } from '@tensorflow/tfjs-core';
import type { DoseEvent, DoseRoute } from '../../../pkpd/structural/doses';
import {
  createStructuralModel,
  type ParameterValues,
  type StructuralModel,
  type StructuralModelOptions,
} from '../../../pkpd/structural/structural-model';
import type { ModelParameter, PdModelSpec } from '../../../study/study-spec';
import type { SeedStream } from '../../random';
import { disposePkBatch, packPkBatch, type PkBatch } from '../pk-tensor';

export type DoseScenario = 'oral' | 'oral-lag' | 'bolus' | 'infusion' | 'mixed';
export const DOSE_SCENARIOS: DoseScenario[] = ['oral', 'oral-lag', 'bolus', 'infusion', 'mixed'];

export function between(random: SeedStream, lo: number, hi: number): number {
  return lo + (hi - lo) * random.uniform();
}

/** A subject's PK values (CL, V, then Q and V2, KA, TLAG as the structure and routes need them) and the routes of its doses. */
export function randomPkValues(
  random: SeedStream,
  compartments: 1 | 2,
  scenario: DoseScenario,
): { values: ParameterValues; routes: DoseRoute[] } {
  const values: ParameterValues = { CL: between(random, 0.5, 5), V: between(random, 5, 50) };
  if (compartments === 2) {
    values.Q = between(random, 0.5, 5);
    values.V2 = between(random, 10, 100);
  }
  const routes: DoseRoute[] =
    scenario === 'mixed' ? ['oral', 'bolus', 'infusion'] : [scenario === 'bolus' || scenario === 'infusion' ? scenario : 'oral'];
  if (routes.includes('oral')) values.KA = between(random, 0.3, 3);
  if (scenario === 'oral-lag' || scenario === 'mixed') values.TLAG = between(random, 0.1, 1.5);
  return { values, routes };
}

/** `count` doses over 0–72 h taking the routes in turn (infusions over 0.5–4 h), then `timeCount` sorted times over 0–96 h. */
export function randomDosesAndTimes(
  random: SeedStream,
  routes: readonly DoseRoute[],
  count: number,
  timeCount: number,
): { doses: DoseEvent[]; times: number[] } {
  const doses: DoseEvent[] = [];
  for (let i = 0; i < count; i++) {
    const route = routes[i % routes.length];
    const dose: DoseEvent = { time: between(random, 0, 72), amount: between(random, 10, 200), route };
    if (route === 'infusion') dose.duration = between(random, 0.5, 4);
    doses.push(dose);
  }
  const times = Array.from({ length: timeCount }, () => between(random, 0, 96)).sort((a, b) => a - b);
  return { doses, times };
}

/** One [N] tensor per named parameter, from the cases' values (all cases share the names). */
export function parameterColumns(
  cases: readonly { values: ParameterValues; names: readonly ModelParameter[] }[],
): Partial<Record<ModelParameter, Tensor1D>> {
  const out: Partial<Record<ModelParameter, Tensor1D>> = {};
  for (const name of cases[0].names) out[name] = tensor1d(cases.map((c) => c.values[name] as number));
  return out;
}

export function disposeParameters(p: object): void {
  Object.values(p).forEach((t: Tensor | undefined) => t?.dispose());
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/** A case of the tensor tests: a subject with its compartments, parameter values and the twin's parameter names. */
export interface TensorCase {
  compartments: 1 | 2;
  doses: readonly DoseEvent[];
  times: ArrayLike<number>;
  values: ParameterValues;
  names: readonly ModelParameter[];
}

/** The float64 twin of a case: route and lag from its doses and values, with the PD part and options given. */
export function twinModel(c: TensorCase, pd?: PdModelSpec, options?: StructuralModelOptions): StructuralModel {
  const oral = c.doses.some((d) => d.route === 'oral');
  const lag = c.values.TLAG !== undefined;
  return createStructuralModel({ pk: { route: oral ? 'oral' : 'iv', compartments: c.compartments, lag }, pd }, options);
}

/**
 * Evaluates the cases as one padded batch (parameter tensors from their values) and returns the rows
 * [N][T] trimmed to each case's times; everything made is disposed.
 */
export function batchRows<P>(cases: readonly TensorCase[], evaluate: (p: P, batch: PkBatch) => Tensor2D): number[][] {
  const batch = packPkBatch(cases);
  const p = parameterColumns(cases);
  const out = evaluate(p as P, batch);
  const rows = out.arraySync();
  out.dispose();
  disposeParameters(p);
  disposePkBatch(batch);
  return rows.map((row, n) => row.slice(0, cases[n].times.length));
}
