import { describe, expect, it } from 'vitest';
import { compileCircuit } from '../compile';
import { forward, vjp } from '../simulator';
import { MAX_LAYERS, MAX_QUBITS, reuploadingStronglyEntangling } from '../template';
import type { CircuitTemplate } from '../template';
import { seededRandom, uniformArray } from '../testing/random';
import {
  backwardWorkgroupBytes,
  DEFAULT_TUNING,
  forwardWorkgroupBytes,
  planKernel,
  SOFTWARE_TUNING,
  WORKGROUP_STORAGE_LIMIT,
} from './kernel-plan';
import type { KernelTuning } from './kernel-plan';
import { buildKernelTable, tableLayout } from './kernel-table';
import { applyMap } from './linear-layout';
import { emulateBackward, emulateForward } from './table-emulator';
import { GENERIC_TEMPLATES } from '../testing/generic-templates';

const SHAPES = Array.from({ length: MAX_QUBITS }, (_, i) => i + 1).flatMap((n) => Array.from({ length: MAX_LAYERS }, (_, l) => [n, l + 1]));
const TUNINGS: KernelTuning[] = [
  DEFAULT_TUNING,
  SOFTWARE_TUNING,
  { workgroupSize: 8, maxPassWires: 5 },
  { workgroupSize: 2, maxPassWires: 1 },
];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** The kernels' algorithm (emulated in float64 from plan + table) against the simulator, per sample. */
function checkAgainstSimulator(template: CircuitTemplate, tuning: KernelTuning, seed: number): void {
  const circuit = compileCircuit(template);
  const plan = planKernel(circuit, tuning);
  const table = buildKernelTable(plan);
  const random = seededRandom(seed);
  const x = uniformArray(random, circuit.nInputs, -Math.PI, Math.PI);
  const weights = uniformArray(random, circuit.nWeights, 0, 2 * Math.PI);
  const cotangent = uniformArray(random, circuit.nOutputs, -1, 1);
  expect(maxAbsDiff(emulateForward(plan, table, x, weights), forward(circuit, x, weights, 1))).toBeLessThan(1e-12);
  const grads = emulateBackward(plan, table, x, weights, cotangent);
  const expected = vjp(circuit, x, weights, 1, cotangent);
  expect(maxAbsDiff(grads.subarray(0, circuit.nInputs), expected.gradX)).toBeLessThan(1e-12);
  expect(maxAbsDiff(grads.subarray(circuit.nInputs), expected.gradWeights)).toBeLessThan(1e-12);
}

describe('kernel plan and table', () => {
  it.each(SHAPES)('drive the kernel algorithm to the simulator results for n = %i, L = %i', (n, layers) => {
    for (const [i, tuning] of TUNINGS.entries())
      checkAgainstSimulator(reuploadingStronglyEntangling(n, layers), tuning, 100 * n + 10 * layers + i);
  });

  it.each(GENERIC_TEMPLATES.map((t) => [t.name, t] as const))('handle the generic gate list %s', (_, template) => {
    for (const [i, tuning] of TUNINGS.entries()) checkAgainstSimulator(template, tuning, 7 + i);
  });

  it('cover every wire of every rotation stage exactly once, padded to full passes', () => {
    for (const [n, layers] of SHAPES) {
      for (const tuning of TUNINGS) {
        const plan = planKernel(compileCircuit(reuploadingStronglyEntangling(n, layers)), tuning);
        expect(plan.passWires).toBe(Math.min(tuning.maxPassWires, n));
        expect(plan.workgroupSize).toBeLessThanOrEqual(Math.max(1, plan.blocks));
        plan.stages.forEach((stage, ordinal) => {
          const passes = plan.passes.filter((p) => p.stageOrdinal === ordinal);
          expect(passes.flatMap((p) => p.wires).sort()).toEqual([...stage.wires].sort());
          for (const pass of passes) {
            expect(pass.paddedWires).toHaveLength(plan.passWires);
            expect(new Set(pass.paddedWires).size).toBe(plan.passWires);
            expect(pass.matrices.slice(pass.wires.length).every((m) => m === plan.identityMatrix)).toBe(true);
            pass.paddedWires.forEach((w, j) => expect(pass.masks[j]).toBe(stage.layout[w]));
          }
        });
      }
    }
  });

  it('track the CNOT ring as a layout: the final layout is the product of the ring permutations', () => {
    const n = 4,
      layers = 3;
    const circuit = compileCircuit(reuploadingStronglyEntangling(n, layers));
    const plan = planKernel(circuit);
    // logical index i after the circuit's permutations sits at physical φ(i); every permutation stage follows a
    // rotation stage here, so φ = S_1 ∘ S_2 ∘ … ∘ S_L with S_k the source table of permutation k
    const permutations = circuit.stages.filter((s) => s.kind === 'permutation');
    expect(permutations).toHaveLength(layers);
    for (let i = 0; i < 1 << n; i++) {
      let physical = i;
      for (let k = permutations.length - 1; k >= 0; k--) physical = permutations[k].source[physical];
      expect(applyMap(plan.finalLayout, i)).toBe(physical);
      expect(applyMap(plan.finalInverse, applyMap(plan.finalLayout, i))).toBe(i);
    }
  });

  it('lay the table out as documented', () => {
    const plan = planKernel(compileCircuit(reuploadingStronglyEntangling(3, 2)), DEFAULT_TUNING);
    const table = buildKernelTable(plan);
    const t = tableLayout(plan);
    expect(table.scalars).toEqual({
      passes: 2,
      firstStagePasses: 1,
      matrixBase: 2 * t.passStride,
      matrices: 6,
      finalBase: 2 * t.passStride + 6 * t.matrixStride,
    });
    expect(table.data).toHaveLength(table.scalars.finalBase + 6);
    // matrix 4: layer 1, wire 1: RY(x1) RX(x1) RZ RY RZ(w[1,1,·]) → recipe 0, slots 1, 1, 3 + 12, 3 + 13, 3 + 14
    expect(
      Array.from(table.data.subarray(t.matrixStride * 4 + table.scalars.matrixBase, t.matrixStride * 5 + table.scalars.matrixBase)),
    ).toEqual([0, 1, 1, 15, 16, 17]);
    expect(plan.recipes).toEqual([[1, 0, 2, 1, 2]]);
    // pass 1 (layer 1): real wires 0..2, no padding, un-apply on, no shared slots
    const second = table.data.subarray(t.passStride, 2 * t.passStride);
    expect(Array.from(second.subarray(t.zeroAt, t.zeroAt + 3))).toEqual([0, 1, 2]);
    expect(Array.from(second.subarray(t.matrixAt, t.matrixAt + 3))).toEqual([3, 4, 5]);
    expect([second[t.countAt], second[t.unapplyAt], second[t.serialAt]]).toEqual([3, 1, 0]);
    expect(table.data[t.unapplyAt]).toBe(0);
  });

  it('flag passes whose wires share an angle', () => {
    const plan = planKernel(compileCircuit(GENERIC_TEMPLATES[1]), SOFTWARE_TUNING);
    expect(plan.passes[0].wires).toEqual([0, 1, 3]);
    expect(plan.passes[0].sharedSlots).toBe(true);
    expect(planKernel(compileCircuit(reuploadingStronglyEntangling(5, 2))).passes.some((p) => p.sharedSlots)).toBe(false);
  });

  it('stay within 16 KiB of workgroup memory for every supported shape and the shipped tunings', () => {
    for (const [n, layers] of SHAPES) {
      for (const tuning of [DEFAULT_TUNING, SOFTWARE_TUNING]) {
        const plan = planKernel(compileCircuit(reuploadingStronglyEntangling(n, layers)), tuning);
        expect(forwardWorkgroupBytes(plan)).toBeLessThanOrEqual(WORKGROUP_STORAGE_LIMIT);
        expect(backwardWorkgroupBytes(plan)).toBeLessThanOrEqual(WORKGROUP_STORAGE_LIMIT);
      }
    }
  });

  it('reject tunings out of range', () => {
    const circuit = compileCircuit(reuploadingStronglyEntangling(2, 1));
    expect(() => planKernel(circuit, { workgroupSize: 0, maxPassWires: 3 })).toThrow(/workgroupSize/);
    expect(() => planKernel(circuit, { workgroupSize: 4, maxPassWires: 9 })).toThrow(/maxPassWires/);
  });
});
