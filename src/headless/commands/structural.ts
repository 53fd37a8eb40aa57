/**
 * Headless command 'structural-compare' { backend?: 'cpu' | 'wasm' | 'webgpu', seed?, kinds?, gradients? }: the
 * differentiable TF.js structural model (src/model/mechanistic: pk-tensor.ts, pd-tensor.ts, indirect-tensor.ts)
 * on the backend given (default webgpu), checked in this page against its two twins:
 *   - values against the float64 engine (src/pkpd/structural), per group the largest |TF.js − engine| over
 *     the group's largest |engine| value (PK), or over its drug effect's size max |E − E0| (PD);
 *   - gradients of Σ output w.r.t. every parameter tensor (unless `gradients: false`) against the same ops
 *     on TF.js's cpu backend, per parameter the largest |g − g_cpu| over max |g_cpu|.
 * Groups: 1 and 2 compartments × oral, oral with lag, bolus, infusion, mixed × PK alone ('pk'), a sigmoid
 * direct decrease ('direct'), an effect-compartment increase ('effect') and an indirect inhibition of
 * production ('indirect'), 3 subjects each, drawn from a seeded stream as the unit tests draw theirs
 * (testing/tensor-cases.ts); `kinds` keeps some. Printed: { backend, groups, compared, values (worst per
 * kind), gradients (worst per parameter), tensors_left, seconds }. Results are read asynchronously: on the
 * software WebGPU adapter of the test machine a synchronous read returns zeros (measured). The unit tests
 * check the cpu and wasm backends in Node; this checks the GPU path (e2e/structural-webgpu.spec.ts).
 */
import { getBackend, grads, memory, sum, tensor1d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { pdResponses, type PkPdTensorParameters } from '../../model/mechanistic/pd-tensor';
import { disposePkBatch, packPkBatch, pkConcentrations } from '../../model/mechanistic/pk-tensor';
import {
  between,
  DOSE_SCENARIOS,
  randomDosesAndTimes,
  randomPkValues,
  type TensorCase,
  twinModel,
} from '../../model/mechanistic/testing/tensor-cases';
import { SeedStream } from '../../model/random';
import type { ComputeBackend } from '../../platform/compute-backend';
import { activateBackend } from '../../platform/tfjs-runtime';
import type { ModelParameter, PdModelSpec } from '../../study/study-spec';
import { registerHeadlessCommand } from '../registry';

type Kind = 'pk' | 'direct' | 'effect' | 'indirect';

const PD: Readonly<Record<Exclude<Kind, 'pk'>, PdModelSpec>> = {
  direct: { family: 'direct', direction: 'decrease', sigmoid: true },
  effect: { family: 'effect-compartment', direction: 'increase', sigmoid: false },
  indirect: { family: 'indirect', type: 'inhibit-production', sigmoid: false },
};
/** The engine's indirect grid as the unit tests refine it (indirect-tensor.test.ts): its default grid is coarser than float32. */
const ENGINE_GRID = { firstPanel: 0.05, maxPanel: 0.5 };
const SUBJECTS = 3;

interface Case extends TensorCase {
  kind: Kind;
}

function drawCase(random: SeedStream, compartments: 1 | 2, scenario: (typeof DOSE_SCENARIOS)[number], kind: Kind): Case {
  const { values, routes } = randomPkValues(random, compartments, scenario);
  if (kind === 'direct') {
    values.E0 = between(random, 5, 100);
    values.IMAX = between(random, 0.3, 1);
    values.IC50 = between(random, 0.3, 8);
    values.HILL = between(random, 0.5, 4);
  } else if (kind === 'effect') {
    values.E0 = between(random, 5, 100);
    values.EMAX = between(random, 10, 200);
    values.EC50 = between(random, 0.3, 8);
    values.KE0 = between(random, 0.05, 2);
  } else if (kind === 'indirect') {
    values.BASE = between(random, 5, 100);
    values.KOUT = between(random, 0.05, 1);
    values.IMAX = between(random, 0.3, 1);
    values.IC50 = between(random, 0.3, 8);
  }
  const { doses, times } = randomDosesAndTimes(random, routes, 3, 12);
  const c: Case = { kind, compartments, values, doses, times, names: [] };
  c.names = [...engine(c).parameters];
  return c;
}

const engine = (c: Case) => (c.kind === 'pk' ? twinModel(c) : twinModel(c, PD[c.kind], { grid: ENGINE_GRID }));

function enginePrediction(c: Case): Float64Array {
  const model = engine(c);
  const plan = model.prepare(c.doses, c.kind === 'pk' ? { pk: c.times } : { pd: c.times });
  const out = model.predict(plan, c.values);
  return c.kind === 'pk' ? out.pk : out.pd;
}

/** The group's output [N][T] on the current backend, and the gradients of Σ output w.r.t. each parameter [name][N]. */
async function evaluate(
  cases: readonly Case[],
  withGradients = true,
): Promise<{ rows: number[][]; gradients: Map<ModelParameter, number[]> }> {
  const names = cases[0].names;
  const batch = packPkBatch(cases);
  const columns = names.map((name) => tensor1d(cases.map((c) => c.values[name] as number)));
  const kind = cases[0].kind;
  const structure = { compartments: cases[0].compartments };
  const output = (...xs: Tensor[]): Tensor2D => {
    const p = Object.fromEntries(names.map((name, i) => [name, xs[i] as Tensor1D])) as unknown as PkPdTensorParameters;
    return kind === 'pk' ? pkConcentrations(structure, p, batch) : pdResponses(structure, PD[kind], p, batch);
  };
  try {
    // Read asynchronously: on this machine's software WebGPU adapter a synchronous read of a result
    // computed on the GPU returns zeros (measured; `data()` returns the values).
    const values = output(...columns);
    const rows = (await values.array()).map((row, n) => row.slice(0, cases[n].times.length));
    values.dispose();
    if (!withGradients) return { rows, gradients: new Map() };
    const g = tidy(() => grads((...xs: Tensor[]) => sum(output(...xs)))(columns));
    const read = await Promise.all(g.map((t) => t.data()));
    g.forEach((t) => t.dispose());
    return { rows, gradients: new Map(names.map((name, i) => [name, Array.from(read[i])])) };
  } finally {
    columns.forEach((t) => t.dispose());
    disposePkBatch(batch);
  }
}

const round = (x: number): number => Number(x.toPrecision(3));

registerHeadlessCommand('structural-compare', async (raw) => {
  const args = raw as { backend?: string; seed?: number; gradients?: boolean; kinds?: Kind[] };
  const backend = args.backend ?? 'webgpu';
  if (!['cpu', 'wasm', 'webgpu'].includes(backend)) throw new Error(`unknown backend "${backend}"; valid: cpu, wasm, webgpu`);
  const started = performance.now();
  const random = new SeedStream(args.seed ?? 7);
  const groups: Case[][] = [];
  for (const compartments of [1, 2] as const)
    for (const scenario of DOSE_SCENARIOS)
      for (const kind of ['pk', 'direct', 'effect', 'indirect'] as const)
        groups.push(Array.from({ length: SUBJECTS }, () => drawCase(random, compartments, scenario, kind)));

  const values: Record<Kind, number> = { pk: 0, direct: 0, effect: 0, indirect: 0 };
  let compared = 0;
  const gradients: Partial<Record<ModelParameter, number>> = {};
  await activateBackend('cpu');
  const reference: Awaited<ReturnType<typeof evaluate>>[] = [];
  for (const cases of groups) reference.push(await evaluate(cases, args.gradients ?? true));
  await activateBackend(backend as ComputeBackend);
  const before = memory().numTensors;
  for (const [k, cases] of groups.entries()) {
    if (args.kinds && !args.kinds.includes(cases[0].kind)) continue;
    compared++;
    const { rows, gradients: g } = await evaluate(cases, args.gradients ?? true);
    const kind = cases[0].kind;
    const expected = cases.map(enginePrediction);
    // PK against its largest level; PD against the drug effect's size (E0 or BASE would hide an error in it).
    const start = kind === 'pk' ? 0 : kind === 'indirect' ? 'BASE' : 'E0';
    const scale = Math.max(
      ...expected.flatMap((row, n) => Array.from(row, (v) => Math.abs(v - (start === 0 ? 0 : (cases[n].values[start] as number))))),
    );
    rows.forEach((row, n) => row.forEach((v, i) => (values[kind] = Math.max(values[kind], Math.abs(v - expected[n][i]) / scale))));
    for (const [name, own] of g) {
      const cpu = reference[k].gradients.get(name) as number[];
      const size = Math.max(...cpu.map(Math.abs));
      if (size === 0) continue;
      const worst = Math.max(...own.map((v, n) => Math.abs(v - cpu[n]) / size));
      gradients[name] = Math.max(gradients[name] ?? 0, worst);
    }
  }
  const tensorsLeft = memory().numTensors - before;
  return {
    backend: getBackend(),
    groups: groups.length,
    compared,
    values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v)])),
    gradients: Object.fromEntries(Object.entries(gradients).map(([k, v]) => [k, round(v)])),
    tensors_left: tensorsLeft,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
});
