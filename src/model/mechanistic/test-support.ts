/**
 * Random subjects and parameter tensors shared by the tests of the TF.js structural model
 * (pk-tensor.test.ts, pd-tensor.test.ts): PK values, doses and times drawn from a seeded stream in a
 * fixed order, so each test's cases stay the same whatever it adds between the draws.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tensor1d, type Tensor, type Tensor1D } from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import type { DoseEvent, DoseRoute } from '../../pkpd/structural/doses';
import type { ParameterValues } from '../../pkpd/structural/structural-model';
import type { ModelParameter } from '../../study/study-spec';
import type { SeedStream } from '../random';

/** Points the wasm backend at its binaries in node_modules (Node has no page to serve them). */
export function useNodeWasmPaths(): void {
  setWasmPaths(fileURLToPath(new URL('../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));
}

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
