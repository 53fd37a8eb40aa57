import type { CompiledCircuit, ElementaryRotation } from '../compile';
import { QuantumShapeError } from '../errors';
import { composeMaps, identityMap, invertMap, linearMapOf } from './linear-layout';
import type { LinearMap } from './linear-layout';
import { fnv1a32 } from '../../data/hash';

/**
 * How the WGSL kernels are shaped. One sample per workgroup; a pass over the state applies the fused gates of
 * `passWires` wires at once, each invocation holding 2^passWires amplitudes in registers, so a rotation stage on
 * n wires costs ⌈n / passWires⌉ passes (and barriers) instead of n.
 */
export interface KernelTuning {
  /** invocations per workgroup, at most (fewer when the state is small) */
  readonly workgroupSize: number;
  /** wires whose gates one pass applies together */
  readonly maxPassWires: number;
}

/**
 * For hardware GPUs: one sample per workgroup of 64 invocations. Unmeasured on real GPUs (none available here);
 * a reasonable default for 32- and 64-wide SIMD.
 */
export const DEFAULT_TUNING: KernelTuning = { workgroupSize: 64, maxPassWires: 3 };

/**
 * For software adapters (SwiftShader runs a workgroup on one CPU thread in 4-wide SIMD, and every barrier switches
 * between its invocation groups): 4 invocations per workgroup. Measured with bench.ts at n = 9, L = 3, batch 512 on
 * the 2-core VM (other jobs running): forward ≈ 15,800 samples/s with 4 invocations, 13,500 with 8, 9,800 with 16,
 * 6,400 with 32, ≈ 3,100 with 64. Wires per pass: 3, 4 and 5 were within the noise at 4 invocations.
 */
export const SOFTWARE_TUNING: KernelTuning = { workgroupSize: 4, maxPassWires: 3 };

/** WebGPU's default maxComputeWorkgroupStorageSize; the kernels stay within it on every adapter. */
export const WORKGROUP_STORAGE_LIMIT = 16384;

/** One wire's rotations in one stage, fused into a 2×2 unitary held in workgroup memory (index `index`). */
export interface FusedMatrix {
  readonly index: number;
  readonly stage: number;
  readonly wire: number;
  readonly rotations: readonly ElementaryRotation[];
  /** index into KernelPlan.recipes: the axis sequence, which selects the generated code */
  readonly recipe: number;
}

/**
 * One pass over the state: the fused gates of `wires`, padded to exactly `passWires` wires with identity gates
 * (matrix index `identityMatrix`) on other wires, so one generated pass body serves every pass.
 */
export interface PassPlan {
  /** index into KernelPlan.stages */
  readonly stageOrdinal: number;
  /** the wires whose gates this pass applies (the first `wires.length` of `paddedWires`) */
  readonly wires: readonly number[];
  readonly paddedWires: readonly number[];
  /** FusedMatrix index per padded wire */
  readonly matrices: readonly number[];
  /** physical offset of local bit j of a block: φ(2^paddedWires[j]) */
  readonly masks: readonly number[];
  /** the padded wires in increasing order: zero bits inserted into the block counter */
  readonly zeroPositions: readonly number[];
  /** true when two wires of the pass share an angle slot (their gradient updates must not run in parallel) */
  readonly sharedSlots: boolean;
}

export interface RotationStagePlan {
  /** index into circuit.stages */
  readonly stage: number;
  /** where the logical amplitudes live during this stage */
  readonly layout: LinearMap;
  readonly wires: readonly number[];
  /** FusedMatrix index per wire */
  readonly matrices: readonly number[];
}

export interface KernelPlan {
  readonly circuit: CompiledCircuit;
  readonly key: string;
  readonly nQubits: number;
  readonly size: number;
  readonly nInputs: number;
  readonly nWeights: number;
  /** angle slots: inputs, then weights */
  readonly nSlots: number;
  readonly nOutputs: number;
  readonly workgroupSize: number;
  /** wires per pass (every pass is padded to this many) */
  readonly passWires: number;
  /** blocks of 2^passWires amplitudes per pass */
  readonly blocks: number;
  /** room for fused matrices (with the identity) and angle slots in workgroup memory: powers of two, so that
   * circuits differing only in depth share one program */
  readonly matrixCapacity: number;
  readonly slotCapacity: number;
  readonly matrices: readonly FusedMatrix[];
  /** index of the identity matrix used for padding (after the fused ones) */
  readonly identityMatrix: number;
  /** distinct axis sequences (e.g. [1, 0, 2, 1, 2] for RY RX RZ RY RZ) */
  readonly recipes: readonly (readonly number[])[];
  /** rotation stages in time order; the first starts from |0…0⟩ (permutations before it fix |0…0⟩ and are dropped) */
  readonly stages: readonly RotationStagePlan[];
  /** every pass in forward order; those of stages[0] are folded into the product state going forward */
  readonly passes: readonly PassPlan[];
  readonly firstStagePasses: number;
  readonly finalLayout: LinearMap;
  readonly finalInverse: LinearMap;
  readonly tuning: KernelTuning;
}

function fnv1a(text: string): string {
  return fnv1a32(text).toString(16).padStart(8, '0');
}

/** A short fingerprint of everything the generated code and its table depend on in the circuit. */
export function circuitFingerprint(circuit: CompiledCircuit): string {
  const parts: string[] = [`n${circuit.nQubits}i${circuit.nInputs}w${circuit.nWeights}o${circuit.nOutputs}`];
  for (const stage of circuit.stages) {
    if (stage.kind === 'permutation') parts.push(`P${Array.from(stage.destination).join(',')}`);
    else parts.push(`R${stage.wires.map((w, j) => `${w}:${stage.rotations[j].map((r) => `${r.axis}.${r.slot}`).join('/')}`).join(';')}`);
  }
  parts.push(`XY${circuit.xyObservables.map((o) => `${o.output}.${o.wire}.${o.axis}`).join(',')}`);
  parts.push(`D${circuit.diagonalObservables.map((o) => `${o.output}.${o.mask}`).join(',')}`);
  return fnv1a(parts.join('|'));
}

function checkTuning(tuning: KernelTuning): void {
  const { workgroupSize, maxPassWires } = tuning;
  if (!Number.isInteger(workgroupSize) || workgroupSize < 1 || workgroupSize > 256) {
    throw new QuantumShapeError(`workgroupSize must be an integer in 1..256, got ${workgroupSize}`);
  }
  if (!Number.isInteger(maxPassWires) || maxPassWires < 1 || maxPassWires > 5) {
    throw new QuantumShapeError(`maxPassWires must be an integer in 1..5, got ${maxPassWires}`);
  }
}

/** Everything the WGSL generators need, derived from the compiled circuit alone. */
export function planKernel(circuit: CompiledCircuit, tuning: KernelTuning = DEFAULT_TUNING): KernelPlan {
  checkTuning(tuning);
  const n = circuit.nQubits;
  const size = 1 << n;
  const passWires = Math.min(tuning.maxPassWires, n);
  const blocks = size >> passWires;
  const workgroupSize = Math.min(tuning.workgroupSize, blocks);
  const matrices: FusedMatrix[] = [];
  const recipeKeys = new Map<string, number>();
  const recipes: number[][] = [];
  const stages: RotationStagePlan[] = [];
  const passes: PassPlan[] = [];
  let firstStagePasses = 0;
  let layout = identityMap(n);

  // first pass: matrices and stages (the identity matrix's index must be known before passes are padded)
  circuit.stages.forEach((stage, index) => {
    if (stage.kind === 'permutation') {
      // before the first rotation stage the state is |0…0⟩, which every CNOT run fixes
      if (stages.length > 0) layout = composeMaps(layout, linearMapOf(stage.source, n));
      return;
    }
    const matrixOf = stage.wires.map((wire, j) => {
      const axes = stage.rotations[j].map((r) => r.axis);
      const key = axes.join('');
      if (!recipeKeys.has(key)) {
        recipeKeys.set(key, recipes.length);
        recipes.push(axes);
      }
      matrices.push({ index: matrices.length, stage: index, wire, rotations: stage.rotations[j], recipe: recipeKeys.get(key)! });
      return matrices.length - 1;
    });
    stages.push({ stage: index, layout, wires: stage.wires, matrices: matrixOf });
  });
  const identityMatrix = matrices.length;

  stages.forEach((stage, ordinal) => {
    for (let start = 0; start < stage.wires.length; start += passWires) {
      const wires = stage.wires.slice(start, start + passWires);
      const padding = Array.from({ length: n }, (_, w) => w)
        .filter((w) => !wires.includes(w))
        .slice(0, passWires - wires.length);
      const paddedWires = [...wires, ...padding];
      const slotSets = wires.map((_, j) => new Set(matrices[stage.matrices[start + j]].rotations.map((r) => r.slot)));
      const union = new Set(slotSets.flatMap((set) => [...set]));
      passes.push({
        stageOrdinal: ordinal,
        wires,
        paddedWires,
        matrices: [...stage.matrices.slice(start, start + passWires), ...padding.map(() => identityMatrix)],
        masks: paddedWires.map((wire) => stage.layout[wire]),
        zeroPositions: [...paddedWires].sort((a, b) => a - b),
        sharedSlots: union.size < slotSets.reduce((total, set) => total + set.size, 0),
      });
    }
    if (ordinal === 0) firstStagePasses = passes.length;
  });

  return {
    circuit,
    key: circuitFingerprint(circuit),
    nQubits: n,
    size,
    nInputs: circuit.nInputs,
    nWeights: circuit.nWeights,
    nSlots: circuit.nInputs + circuit.nWeights,
    nOutputs: circuit.nOutputs,
    workgroupSize,
    passWires,
    blocks,
    matrixCapacity: Math.max(MIN_MATRIX_CAPACITY, powerOfTwoAtLeast(matrices.length + 1)),
    slotCapacity: Math.max(MIN_SLOT_CAPACITY, powerOfTwoAtLeast(circuit.nInputs + circuit.nWeights)),
    matrices,
    identityMatrix,
    recipes,
    stages,
    passes,
    firstStagePasses,
    finalLayout: layout,
    finalInverse: invertMap(layout),
    tuning,
  };
}

/**
 * Workgroup arrays are at least this big, so every depth of the re-uploading template up to 9 qubits × 6 layers
 * (54 matrices + identity, 171 slots) shares one program per n; within the 16 KiB budget for every tuning here.
 */
const MIN_MATRIX_CAPACITY = 64;
const MIN_SLOT_CAPACITY = 256;

function powerOfTwoAtLeast(value: number): number {
  let p = 1;
  while (p < value) p *= 2;
  return p;
}

/** Bytes of workgroup memory the forward program declares. */
export function forwardWorkgroupBytes(plan: KernelPlan): number {
  return plan.size * 8 + plan.matrixCapacity * 32 + plan.nOutputs * plan.workgroupSize * 4;
}

/** Bytes of workgroup memory the backward program declares. */
export function backwardWorkgroupBytes(plan: KernelPlan): number {
  return 2 * plan.size * 8 + plan.matrixCapacity * 32 + plan.slotCapacity * 4 + 2 * 3 * plan.passWires * plan.workgroupSize * 4;
}
