/**
 * Headless commands for the quantum layer:
 * - 'qnn-compare' { cases, backend?, tuning?, arrays? }: runs cases through the QnnLayer / QnnLayerGrad kernels
 *   (TF.js 'webgpu' backend by default, kernel level) and the float64 simulator in this page; returns both (unless
 *   arrays: false), their largest differences, first-call timings and the tensors left over (should be 0).
 * - 'qnn-eval' { document, backend }: a qnn-reference.json-shaped document evaluated through the TF.js op
 *   (forward and tf.grads, float32 tensors) on 'cpu' or 'webgpu', or by the float64 simulator ('float64'); the
 *   same document with expvals, grad_x and grad_weights replaced.
 * - 'qnn-model-grads': gradients of a small dense → qnnLayer → dense MSE model on a backend.
 * - 'bench-quantum-browser': the browser half of `npm run bench:quantum` on the 'webgpu' backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import {
  backend as tfBackend,
  engine,
  getBackend,
  grads,
  matMul,
  mean,
  memory,
  mul,
  ready,
  setBackend,
  square,
  sub,
  sum,
  tensor2d,
  tensor3d,
  tidy,
  variableGrads,
  variable,
} from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Rank, Tensor, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
import { compileCircuit } from '../../quantum/compile';
import { QuantumShapeError } from '../../quantum/errors';
import { evaluateReferenceDocument, parseReferenceCases } from '../../quantum/reference-cases';
import { forward, vjp } from '../../quantum/simulator';
import { reuploadingStronglyEntangling } from '../../quantum/template';
import type { CircuitTemplate } from '../../quantum/template';
import { seededRandom, uniformArray } from '../../quantum/testing/random';
import { attrsForTemplate } from '../../quantum/tfjs/circuit-cache';
import { QNN_LAYER, QNN_LAYER_GRAD } from '../../quantum/tfjs/kernel-names';
import { qnnLayer } from '../../quantum/tfjs/qnn-layer';
import { setWebGpuQnnTuning, webGpuQnnTuning, webGpuQnnTuningOverride } from '../../quantum/tfjs/webgpu-kernels';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { benchQuantumInBrowser, type BrowserBenchOptions } from '../../../bench/quantum/browser-bench';
import type { KernelTuning } from '../../quantum/webgpu/kernel-plan';
import { registerHeadlessCommand } from '../registry';

type BackendName = 'cpu' | 'webgpu';

async function useBackend(name: BackendName): Promise<void> {
  if (getBackend() !== name) {
    const ok = await setBackend(name);
    if (!ok) throw new Error(`TF.js backend "${name}" could not be initialised`);
  }
  await ready();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function numberArray(value: unknown, length: number, what: string): Float64Array {
  if (!Array.isArray(value) || value.length !== length || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new QuantumShapeError(`${what}: expected ${length} finite numbers`);
  }
  return Float64Array.from(value as number[]);
}

/**
 * One case of 'qnn-compare': the re-uploading template of nQubits × nLayers, or any `template` (CircuitTemplate
 * data); explicit arrays (flattened), or a seed for uniform random ones.
 */
interface CompareCaseArgs {
  nQubits?: number;
  nLayers?: number;
  template?: CircuitTemplate;
  batch?: number;
  seed?: number;
  x?: number[];
  weights?: number[];
  cotangent?: number[];
}

interface CaseData {
  template: CircuitTemplate;
  batch: number;
  x: Float64Array;
  weights: Float64Array;
  cotangent: Float64Array;
}

function caseData(raw: unknown, index: number): CaseData {
  if (!isRecord(raw)) throw new QuantumShapeError(`cases[${index}]: expected an object`);
  const c = raw as unknown as CompareCaseArgs;
  const template = c.template ?? reuploadingStronglyEntangling(c.nQubits ?? 0, c.nLayers ?? 0);
  const batch = c.batch ?? 1;
  const n = template.nInputs,
    p = template.nWeights,
    o = template.readout.length;
  if (c.x !== undefined) {
    return {
      template,
      batch,
      x: numberArray(c.x, batch * n, `cases[${index}].x`),
      weights: numberArray(c.weights, p, `cases[${index}].weights`),
      cotangent: numberArray(c.cotangent, batch * o, `cases[${index}].cotangent`),
    };
  }
  const random = seededRandom(c.seed ?? index + 1);
  return {
    template,
    batch,
    x: uniformArray(random, batch * n, -Math.PI, Math.PI),
    weights: uniformArray(random, p, 0, 2 * Math.PI),
    cotangent: uniformArray(random, batch * o, -1, 1),
  };
}

interface KernelValues {
  expvals: number[];
  gradX: number[];
  /** summed over the batch */
  gradWeights: number[];
  /** per sample [B × nWeights] */
  gradWeightsPerSample: number[];
  /** wall time of the kernel call and read-back (the first call of a shape includes compiling its pipeline) */
  forwardMs?: number;
  backwardMs?: number;
}

/** Forward and adjoint kernels called directly (no TF.js gradient machinery) on the current backend. */
async function runKernels(d: CaseData): Promise<KernelValues> {
  const { template } = d;
  const attrs = attrsForTemplate(template) as unknown as NamedAttrMap;
  const nIn = template.nInputs,
    nW = template.nWeights;
  const x = tensor2d(Float32Array.from(d.x), [d.batch, nIn], 'float32');
  const w = tensor3d(Float32Array.from(d.weights), [template.nLayers, template.nQubits, 3], 'float32');
  const dy = tensor2d(Float32Array.from(d.cotangent), [d.batch, template.readout.length], 'float32');
  let started = performance.now();
  const expvals = engine().runKernel(QNN_LAYER, { x, weights: w }, attrs) as Tensor;
  const e = await expvals.data();
  const forwardMs = performance.now() - started;
  started = performance.now();
  const packed = engine().runKernel(QNN_LAYER_GRAD, { x, weights: w, dy }, attrs) as Tensor;
  const g = await packed.data();
  const backwardMs = performance.now() - started;
  [x, w, dy, expvals, packed].forEach((t) => t.dispose());
  const gradX: number[] = [],
    perSample: number[] = [];
  const gradWeights = new Array<number>(nW).fill(0);
  for (let b = 0; b < d.batch; b++) {
    const row = g.subarray(b * (nIn + nW), (b + 1) * (nIn + nW));
    gradX.push(...row.subarray(0, nIn));
    perSample.push(...row.subarray(nIn));
    for (let j = 0; j < nW; j++) gradWeights[j] += row[nIn + j];
  }
  return { expvals: Array.from(e), gradX, gradWeights, gradWeightsPerSample: perSample, forwardMs, backwardMs };
}

function float64Values(d: CaseData): KernelValues {
  const circuit = compileCircuit(d.template);
  const all = vjp(circuit, d.x, d.weights, d.batch, d.cotangent);
  const perSample: number[] = [];
  for (let b = 0; b < d.batch; b++) {
    const one = vjp(
      circuit,
      d.x.subarray(b * circuit.nInputs, (b + 1) * circuit.nInputs),
      d.weights,
      1,
      d.cotangent.subarray(b * circuit.nOutputs, (b + 1) * circuit.nOutputs),
    );
    perSample.push(...one.gradWeights);
  }
  return {
    expvals: Array.from(forward(circuit, d.x, d.weights, d.batch)),
    gradX: Array.from(all.gradX),
    gradWeights: Array.from(all.gradWeights),
    gradWeightsPerSample: perSample,
  };
}

registerHeadlessCommand('qnn-compare', async (args) => {
  if (!isRecord(args) || !Array.isArray(args.cases)) throw new QuantumShapeError('qnn-compare: expected { cases: [...] }');
  const backend: BackendName = args.backend === 'cpu' ? 'cpu' : 'webgpu';
  const previousTuning = webGpuQnnTuningOverride();
  if (isRecord(args.tuning)) setWebGpuQnnTuning(args.tuning as unknown as KernelTuning);
  try {
    await useBackend(backend);
    const before = memory().numTensors;
    const results = [];
    for (const [index, raw] of args.cases.entries()) {
      const d = caseData(raw, index);
      const kernel = await runKernels(d);
      const reference = float64Values(d);
      const withArrays = args.arrays !== false;
      results.push({
        template: d.template.name,
        nQubits: d.template.nQubits,
        nLayers: d.template.nLayers,
        batch: d.batch,
        timing: { forwardMs: kernel.forwardMs, backwardMs: kernel.backwardMs },
        ...(withArrays ? { [backend]: kernel, float64: reference } : {}),
        maxAbsError: {
          expvals: maxAbsDiff(kernel.expvals, reference.expvals),
          gradX: maxAbsDiff(kernel.gradX, reference.gradX),
          gradWeights: maxAbsDiff(kernel.gradWeights, reference.gradWeights),
          gradWeightsPerSample: backend === 'webgpu' ? maxAbsDiff(kernel.gradWeightsPerSample, reference.gradWeightsPerSample) : null,
        },
      });
    }
    const tuning = backend === 'webgpu' ? webGpuQnnTuning(tfBackend() as WebGPUBackend) : null;
    return { backend: getBackend(), tuning, leakedTensors: memory().numTensors - before, cases: results };
  } finally {
    setWebGpuQnnTuning(previousTuning);
  }
});

registerHeadlessCommand('qnn-eval', async (args) => {
  if (!isRecord(args)) throw new QuantumShapeError('qnn-eval: expected { document, backend }');
  const backend = args.backend;
  if (backend === 'float64') return evaluateReferenceDocument(args.document);
  if (backend !== 'cpu' && backend !== 'webgpu') throw new QuantumShapeError('qnn-eval: backend must be "cpu", "webgpu" or "float64"');
  const cases = parseReferenceCases(args.document);
  await useBackend(backend);
  const result = structuredClone(args.document) as { cases: Record<string, unknown>[] };
  for (const [index, c] of cases.entries()) {
    const template = reuploadingStronglyEntangling(c.nQubits, c.nLayers);
    const [expvals, gx, gw] = tidy(() => {
      const x = tensor2d(Float32Array.from(c.x), [1, c.nQubits], 'float32');
      const w = tensor3d(Float32Array.from(c.weights), [c.nLayers, c.nQubits, 3], 'float32');
      const cot = tensor2d(Float32Array.from(c.cotangent), [1, 4 * c.nQubits], 'float32');
      const y = qnnLayer(x, w, template);
      const [dx, dw] = grads((a: Tensor, b: Tensor) => sum(mul(qnnLayer(a as Tensor2D, b as Tensor3D, template), cot)))([x, w]);
      return [y, dx, dw];
    });
    const [e, dx, dw] = await Promise.all([expvals.data(), gx.data(), gw.data()]);
    [expvals, gx, gw].forEach((t) => t.dispose());
    const target = result.cases[index];
    target.expvals = Array.from(e);
    target.grad_x = Array.from(dx);
    target.grad_weights = Array.from({ length: c.nLayers }, (_, l) =>
      Array.from({ length: c.nQubits }, (_, i) => Array.from(dw.subarray((l * c.nQubits + i) * 3, (l * c.nQubits + i) * 3 + 3))),
    );
  }
  return result;
});

/**
 * A small hybrid model, dense (W1 [F, n]) → qnnLayer → dense (W2 [4n, 1]), MSE against targets; returns the loss and
 * tf.variableGrads of every parameter on the requested backend, so two backends can be compared.
 */
registerHeadlessCommand('qnn-model-grads', async (args) => {
  const a = isRecord(args) ? args : {};
  const backend: BackendName = a.backend === 'cpu' ? 'cpu' : 'webgpu';
  const nQubits = typeof a.nQubits === 'number' ? a.nQubits : 3;
  const nLayers = typeof a.nLayers === 'number' ? a.nLayers : 2;
  const batch = typeof a.batch === 'number' ? a.batch : 5;
  const features = typeof a.features === 'number' ? a.features : 4;
  const seed = typeof a.seed === 'number' ? a.seed : 7;
  await useBackend(backend);
  const before = memory().numTensors;
  const template = reuploadingStronglyEntangling(nQubits, nLayers);
  const random = seededRandom(seed);
  const inputs = tensor2d(Float32Array.from(uniformArray(random, batch * features, -1, 1)), [batch, features]);
  const targets = tensor2d(Float32Array.from(uniformArray(random, batch, -1, 1)), [batch, 1]);
  const makeVariable = <R extends Rank>(initial: Tensor<R>, name: string): Variable<R> => {
    const v = variable(initial, true, `${name}_${backend}_${seed}`);
    initial.dispose();
    return v;
  };
  const w1 = makeVariable(tensor2d(Float32Array.from(uniformArray(random, features * nQubits, -1, 1)), [features, nQubits]), 'w1');
  const wq = makeVariable(
    tensor3d(Float32Array.from(uniformArray(random, nLayers * nQubits * 3, 0, 2 * Math.PI)), [nLayers, nQubits, 3]),
    'wq',
  );
  const w2 = makeVariable(tensor2d(Float32Array.from(uniformArray(random, 4 * nQubits, -1, 1)), [4 * nQubits, 1]), 'w2');
  let out;
  try {
    const { value, grads: g } = variableGrads(
      () => mean(square(sub(matMul(qnnLayer(matMul(inputs, w1) as Tensor2D, wq, template), w2), targets))),
      [w1, wq, w2],
    );
    out = {
      backend,
      loss: (await value.data())[0],
      grads: {
        w1: Array.from(await g[w1.name].data()),
        wq: Array.from(await g[wq.name].data()),
        w2: Array.from(await g[w2.name].data()),
      },
    };
    value.dispose();
    Object.values(g).forEach((t) => t.dispose());
  } finally {
    [inputs, targets, w1, wq, w2].forEach((t) => t.dispose());
  }
  const leaked = memory().numTensors - before;
  if (leaked !== 0) throw new Error(`qnn-model-grads leaked ${leaked} tensors`);
  return out;
});

registerHeadlessCommand('bench-quantum-browser', async (args) => {
  await useBackend('webgpu');
  return benchQuantumInBrowser(args as BrowserBenchOptions);
});
