/**
 * The forward and backward kernels as TF.js WebGPU programs (run with WebGPUBackend.runWebGPUProgram). TF.js
 * prepends its preamble (bindings named after variableNames, `result`, the uniforms with every shape and the
 * program's own uniforms) and a `_start` entry point that sets the private workgroupId/localIndex and, for this
 * flat dispatch layout, calls `main(index)`. One workgroup per sample; the batch size is a runtime uniform.
 *
 * TF.js caches pipelines by shaderKey. The key holds the template's name, n, the tuning and a hash of the
 * generated WGSL itself, so two circuits share a pipeline exactly when their code is identical: depth (L) and
 * everything else that varies with it travel in the circuit table and uniforms (kernel-table.ts).
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { CompiledCircuit } from '../compile';
import { backwardSource } from './backward-wgsl';
import { forwardSource } from './forward-wgsl';
import { backwardWorkgroupBytes, DEFAULT_TUNING, forwardWorkgroupBytes, planKernel, WORKGROUP_STORAGE_LIMIT } from './kernel-plan';
import type { KernelPlan, KernelTuning } from './kernel-plan';
import { buildKernelTable, UNIFORM_DECLARATIONS } from './kernel-table';
import type { KernelTable } from './kernel-table';

/** What names a circuit in shader keys and messages (the template's name and size). */
export interface CircuitIdentity {
  readonly templateName: string;
  readonly nQubits: number;
  readonly nLayers: number;
}

export interface GeneratedSource {
  readonly code: string;
  readonly key: string;
}

export interface GeneratedKernels {
  readonly plan: KernelPlan;
  readonly name: string;
  readonly table: KernelTable;
  forward?: GeneratedSource;
  backward?: GeneratedSource;
}

const generated = new WeakMap<CompiledCircuit, Map<string, GeneratedKernels>>();

function tuningKey(tuning: KernelTuning): string {
  return `T${tuning.workgroupSize}G${tuning.maxPassWires}`;
}

/** 64-bit FNV-1a of the text, as 16 hex digits (two 32-bit lanes with different offsets). */
export function sourceHash(text: string): string {
  let a = 0x811c9dc5,
    b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** The plan, table and (lazily) the WGSL of a circuit, cached per compiled circuit and tuning. */
export function kernelsFor(circuit: CompiledCircuit, identity: CircuitIdentity, tuning: KernelTuning = DEFAULT_TUNING): GeneratedKernels {
  let perTuning = generated.get(circuit);
  if (!perTuning) {
    perTuning = new Map();
    generated.set(circuit, perTuning);
  }
  const key = tuningKey(tuning);
  let entry = perTuning.get(key);
  if (!entry) {
    const plan = planKernel(circuit, tuning);
    entry = { plan, name: identity.templateName, table: buildKernelTable(plan) };
    perTuning.set(key, entry);
  }
  return entry;
}

function checkBudget(bytes: number, what: string, kernels: GeneratedKernels): void {
  if (bytes > WORKGROUP_STORAGE_LIMIT) {
    throw new Error(
      `${what} kernel for ${kernels.name} (n=${kernels.plan.nQubits}) needs ${bytes} B of workgroup memory, over ${WORKGROUP_STORAGE_LIMIT}; lower workgroupSize or maxPassWires`,
    );
  }
}

function keyFor(kernels: GeneratedKernels, kind: string, code: string): string {
  const safeName = kernels.name.replace(/[^A-Za-z0-9_-]/g, '_');
  const { plan } = kernels;
  return `qnn_${kind}_${safeName}_n${plan.nQubits}_t${plan.workgroupSize}g${plan.passWires}_${sourceHash(code)}`;
}

export function forwardKernelSource(kernels: GeneratedKernels): GeneratedSource {
  if (!kernels.forward) {
    checkBudget(forwardWorkgroupBytes(kernels.plan), 'forward', kernels);
    const code = forwardSource(kernels.plan);
    kernels.forward = { code, key: keyFor(kernels, 'fwd', code) };
  }
  return kernels.forward;
}

export function backwardKernelSource(kernels: GeneratedKernels): GeneratedSource {
  if (!kernels.backward) {
    checkBudget(backwardWorkgroupBytes(kernels.plan), 'backward', kernels);
    const code = backwardSource(kernels.plan);
    kernels.backward = { code, key: keyFor(kernels, 'bwd', code) };
  }
  return kernels.backward;
}

abstract class QnnProgram implements WebGPUProgram {
  abstract readonly variableNames: string[];
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number];
  readonly uniforms = UNIFORM_DECLARATIONS;
  private readonly code: string;

  constructor(kernels: GeneratedKernels, batch: number, columns: number, source: GeneratedSource) {
    this.outputShape = [batch, columns];
    this.shaderKey = source.key;
    this.dispatch = [batch, 1, 1];
    this.workgroupSize = [kernels.plan.workgroupSize, 1, 1];
    this.code = source.code;
  }

  getUserCode(): string {
    return this.code;
  }
}

/** Inputs x [B, nInputs], weights (nWeights values, any shape), table; output expectation values [B, nOutputs]. */
export class QnnForwardProgram extends QnnProgram {
  readonly variableNames = ['qnnX', 'qnnW', 'qnnTab'];

  constructor(kernels: GeneratedKernels, batch: number) {
    super(kernels, batch, kernels.plan.nOutputs, forwardKernelSource(kernels));
  }
}

/** Inputs x, weights, cotangent [B, nOutputs], table; output per sample [∂/∂x (nInputs) | ∂/∂weights (nWeights)]. */
export class QnnBackwardProgram extends QnnProgram {
  readonly variableNames = ['qnnX', 'qnnW', 'qnnDy', 'qnnTab'];

  constructor(kernels: GeneratedKernels, batch: number) {
    super(kernels, batch, kernels.plan.nSlots, backwardKernelSource(kernels));
  }
}
