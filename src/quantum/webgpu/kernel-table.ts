/**
 * The circuit as a small int32 table, passed to both programs as an input, plus five scalars passed as uniforms.
 * The generated code has one copy of each pass body and loops over the table's pass records, so the shader's size
 * (and SwiftShader's compile time) does not grow with depth, and circuits that differ only in depth (e.g. the
 * same template with another L) share one compiled pipeline. Layout, offsets in int32 elements:
 * - pass records at 0, `passStride` each, in forward order: [zero positions (passWires), masks (passWires),
 *   matrices (passWires), layout columns (n), real wire count, un-apply flag (0 in the first rotation stage),
 *   serial-gradient flag];
 * - matrix records at `matrixBase`, `matrixStride` each: [recipe, slot of rotation 0, slot of rotation 1, …];
 * - at `finalBase`: the final layout's columns (n), then its inverse's columns (n).
 */
import type { KernelPlan } from './kernel-plan';

export interface TableLayout {
  readonly passStride: number;
  /** offsets inside a pass record */
  readonly zeroAt: number;
  readonly maskAt: number;
  readonly matrixAt: number;
  readonly columnAt: number;
  readonly countAt: number;
  readonly unapplyAt: number;
  readonly serialAt: number;
  readonly matrixStride: number;
}

/** The part of the layout the generated code bakes in (depends on the circuit's structure, not its depth). */
export function tableLayout(plan: KernelPlan): TableLayout {
  const g = plan.passWires;
  const n = plan.nQubits;
  const longest = plan.matrices.reduce((m, matrix) => Math.max(m, matrix.rotations.length), 0);
  return {
    passStride: 3 * g + n + 3,
    zeroAt: 0,
    maskAt: g,
    matrixAt: 2 * g,
    columnAt: 3 * g,
    countAt: 3 * g + n,
    unapplyAt: 3 * g + n + 1,
    serialAt: 3 * g + n + 2,
    matrixStride: 1 + longest,
  };
}

/** The uniforms, in the order of UNIFORM_DECLARATIONS. */
export interface TableScalars {
  readonly passes: number;
  readonly firstStagePasses: number;
  readonly matrixBase: number;
  readonly matrices: number;
  readonly finalBase: number;
}

/** WGSL fields appended to TF.js's uniform struct (program.uniforms). */
export const UNIFORM_DECLARATIONS = 'qnnPasses : i32, qnnFirstPasses : i32, qnnMatrixBase : i32, qnnMatrices : i32, qnnFinalBase : i32,';

export interface KernelTable {
  readonly data: Int32Array;
  readonly scalars: TableScalars;
}

export function buildKernelTable(plan: KernelPlan): KernelTable {
  const t = tableLayout(plan);
  const n = plan.nQubits;
  const matrixBase = plan.passes.length * t.passStride;
  const finalBase = matrixBase + plan.matrices.length * t.matrixStride;
  const data = new Int32Array(finalBase + 2 * n);
  plan.passes.forEach((pass, p) => {
    const at = p * t.passStride;
    pass.zeroPositions.forEach((v, j) => (data[at + t.zeroAt + j] = v));
    pass.masks.forEach((v, j) => (data[at + t.maskAt + j] = v));
    pass.matrices.forEach((v, j) => (data[at + t.matrixAt + j] = v));
    plan.stages[pass.stageOrdinal].layout.forEach((v, b) => (data[at + t.columnAt + b] = v));
    data[at + t.countAt] = pass.wires.length;
    data[at + t.unapplyAt] = pass.stageOrdinal > 0 ? 1 : 0;
    data[at + t.serialAt] = pass.sharedSlots ? 1 : 0;
  });
  for (const m of plan.matrices) {
    const at = matrixBase + m.index * t.matrixStride;
    data[at] = m.recipe;
    m.rotations.forEach((r, k) => (data[at + 1 + k] = r.slot));
  }
  plan.finalLayout.forEach((v, b) => (data[finalBase + b] = v));
  plan.finalInverse.forEach((v, b) => (data[finalBase + n + b] = v));
  return {
    data,
    scalars: {
      passes: plan.passes.length,
      firstStagePasses: plan.firstStagePasses,
      matrixBase,
      matrices: plan.matrices.length,
      finalBase,
    },
  };
}

/** programDefinedUniform for runWebGPUProgram, matching UNIFORM_DECLARATIONS. */
export function uniformData(scalars: TableScalars): { type: 'int32'; data: number[] }[] {
  const { passes, firstStagePasses, matrixBase, matrices, finalBase } = scalars;
  return [passes, firstStagePasses, matrixBase, matrices, finalBase].map((v) => ({ type: 'int32', data: [v] }));
}
