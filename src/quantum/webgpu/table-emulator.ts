/**
 * For tests: the generated kernels' algorithm in float64 TypeScript, driven by the same plan, table and uniform
 * scalars the WGSL reads (physical layouts, padded blocked passes, the product state, the per-amplitude readout
 * and λ, the adjoint sweep with per-pass overlaps). Agreement with the simulator checks the plan and the table in
 * Node; the browser tests check the WGSL text itself.
 */
import type { Axis, ElementaryRotation } from '../compile';
import { accumulateRotationGradients, fuseRotations } from '../rotations';
import type { KernelPlan } from './kernel-plan';
import { tableLayout } from './kernel-table';
import type { KernelTable } from './kernel-table';

interface Emulation {
  psi: Float64Array;
  mats: Float64Array;
  halfCos: Float64Array;
  halfSin: Float64Array;
}

const popcount = (v: number): number => {
  let c = 0;
  for (; v; v &= v - 1) c++;
  return c;
};

function matrixRotations(plan: KernelPlan, table: KernelTable, m: number): ElementaryRotation[] {
  const t = tableLayout(plan);
  const at = table.scalars.matrixBase + m * t.matrixStride;
  const axes = plan.recipes[table.data[at]];
  return axes.map((axis, k) => ({ axis: axis as Axis, slot: table.data[at + 1 + k] }));
}

function applyGate(a: Float64Array, i0: number, i1: number, u: Float64Array, o: number, adjoint: boolean): void {
  // u00 u01 u10 u11 at o, o+2, o+4, o+6 (re, im); adjoint: conjugate transpose
  const [u00r, u00i, u01r, u01i, u10r, u10i, u11r, u11i] = adjoint
    ? [u[o], -u[o + 1], u[o + 4], -u[o + 5], u[o + 2], -u[o + 3], u[o + 6], -u[o + 7]]
    : [u[o], u[o + 1], u[o + 2], u[o + 3], u[o + 4], u[o + 5], u[o + 6], u[o + 7]];
  const ar = a[2 * i0],
    ai = a[2 * i0 + 1],
    br = a[2 * i1],
    bi = a[2 * i1 + 1];
  a[2 * i0] = u00r * ar - u00i * ai + u01r * br - u01i * bi;
  a[2 * i0 + 1] = u00r * ai + u00i * ar + u01r * bi + u01i * br;
  a[2 * i1] = u10r * ar - u10i * ai + u11r * br - u11i * bi;
  a[2 * i1 + 1] = u10r * ai + u10i * ar + u11r * bi + u11i * br;
}

interface PassRecord {
  zeros: number[];
  masks: number[];
  matrices: number[];
  columns: number[];
  count: number;
  unapply: boolean;
  serial: boolean;
}

function passRecord(plan: KernelPlan, table: KernelTable, ps: number): PassRecord {
  const t = tableLayout(plan);
  const at = ps * t.passStride;
  const g = plan.passWires;
  const read = (offset: number, length: number): number[] => Array.from(table.data.subarray(at + offset, at + offset + length));
  return {
    zeros: read(t.zeroAt, g),
    masks: read(t.maskAt, g),
    matrices: read(t.matrixAt, g),
    columns: read(t.columnAt, plan.nQubits),
    count: table.data[at + t.countAt],
    unapply: table.data[at + t.unapplyAt] !== 0,
    serial: table.data[at + t.serialAt] !== 0,
  };
}

/** Physical indices of every block of a pass: blocks[blk][c]. */
function passBlocks(plan: KernelPlan, record: PassRecord): number[][] {
  const out: number[][] = [];
  for (let blk = 0; blk < plan.blocks; blk++) {
    let lb = blk;
    for (const z of record.zeros) lb = ((lb >> z) << (z + 1)) | (lb & ((1 << z) - 1));
    let pb = 0;
    record.columns.forEach((column, bit) => {
      if ((lb >> bit) & 1) pb ^= column;
    });
    out.push(
      Array.from({ length: 1 << plan.passWires }, (_, c) => {
        let offset = 0;
        record.masks.forEach((mask, j) => {
          if ((c >> j) & 1) offset ^= mask;
        });
        return pb ^ offset;
      }),
    );
  }
  return out;
}

function runForward(plan: KernelPlan, table: KernelTable, x: Float64Array, weights: Float64Array): Emulation {
  const { nInputs, nSlots, size } = plan;
  const halfCos = new Float64Array(nSlots),
    halfSin = new Float64Array(nSlots);
  for (let s = 0; s < nSlots; s++) {
    const angle = s < nInputs ? x[s] : weights[s - nInputs];
    halfCos[s] = Math.cos(angle / 2);
    halfSin[s] = Math.sin(angle / 2);
  }
  const count = table.scalars.matrices;
  const mats = new Float64Array(8 * (count + 1));
  for (let m = 0; m < count; m++) fuseRotations(matrixRotations(plan, table, m), halfCos, halfSin, mats, 8 * m);
  mats[8 * count] = mats[8 * count + 6] = 1;

  const psi = new Float64Array(2 * size);
  const first = plan.stages[0];
  for (let p = 0; p < size; p++) {
    let re = 1,
      im = 0;
    let outside = false;
    for (let q = 0; q < plan.nQubits; q++) {
      const j = first ? first.wires.indexOf(q) : -1;
      const bit = (p >> q) & 1;
      if (j < 0) {
        if (bit) outside = true;
        continue;
      }
      const o = 8 * first.matrices[j] + 4 * bit;
      const cr = mats[o],
        ci = mats[o + 1];
      [re, im] = [re * cr - im * ci, re * ci + im * cr];
    }
    psi[2 * p] = outside ? 0 : re;
    psi[2 * p + 1] = outside ? 0 : im;
  }
  for (let ps = table.scalars.firstStagePasses; ps < table.scalars.passes; ps++) {
    const record = passRecord(plan, table, ps);
    for (const block of passBlocks(plan, record)) {
      record.matrices.forEach((m, j) => {
        for (let c = 0; c < block.length; c++) {
          if (!((c >> j) & 1)) applyGate(psi, block[c], block[c | (1 << j)], mats, 8 * m, false);
        }
      });
    }
  }
  return { psi, mats, halfCos, halfSin };
}

function finalMaps(plan: KernelPlan, table: KernelTable): { partner: number[]; logical: (p: number) => number } {
  const base = table.scalars.finalBase;
  const n = plan.nQubits;
  const partner = Array.from(table.data.subarray(base, base + n));
  const inverse = Array.from(table.data.subarray(base + n, base + 2 * n));
  return {
    partner,
    logical: (p) => inverse.reduce((l, column, bit) => ((p >> bit) & 1 ? l ^ column : l), 0),
  };
}

/** Expectation values of one sample, the kernel's way. */
export function emulateForward(plan: KernelPlan, table: KernelTable, x: Float64Array, weights: Float64Array): Float64Array {
  const { psi } = runForward(plan, table, x, weights);
  const { circuit, size } = plan;
  const { partner, logical } = finalMaps(plan, table);
  const out = new Float64Array(plan.nOutputs);
  for (let p = 0; p < size; p++) {
    const ar = psi[2 * p],
      ai = psi[2 * p + 1];
    const l = logical(p);
    for (const o of circuit.xyObservables) {
      const q = p ^ partner[o.wire];
      const br = psi[2 * q],
        bi = psi[2 * q + 1];
      // conj(a)·b
      const tr = ar * br + ai * bi,
        ti = ar * bi - ai * br;
      out[o.output] += o.axis === 0 ? tr : (l >> o.wire) & 1 ? -ti : ti;
    }
    for (const o of circuit.diagonalObservables) out[o.output] += (popcount(l & o.mask) & 1 ? -1 : 1) * (ar * ar + ai * ai);
  }
  return out;
}

/** [∂/∂x | ∂/∂weights] of one sample for the cotangent, the kernel's way (adjoint sweep over the table's passes). */
export function emulateBackward(
  plan: KernelPlan,
  table: KernelTable,
  x: Float64Array,
  weights: Float64Array,
  cotangent: Float64Array,
): Float64Array {
  const { psi, mats, halfCos, halfSin } = runForward(plan, table, x, weights);
  const { circuit, size } = plan;
  const { partner, logical } = finalMaps(plan, table);
  const lam = new Float64Array(2 * size);
  for (let p = 0; p < size; p++) {
    const l = logical(p);
    let d = 0;
    for (const o of circuit.diagonalObservables) d += (popcount(l & o.mask) & 1 ? -1 : 1) * cotangent[o.output];
    let vr = d * psi[2 * p],
      vi = d * psi[2 * p + 1];
    for (const wire of circuit.xyWires) {
      let cx = 0,
        cy = 0;
      for (const o of circuit.xyObservables) {
        if (o.wire === wire) {
          if (o.axis === 0) cx += cotangent[o.output];
          else cy += cotangent[o.output];
        }
      }
      if ((l >> wire) & 1) cy = -cy;
      const q = p ^ partner[wire];
      const pr = psi[2 * q],
        pi = psi[2 * q + 1];
      vr += cx * pr + cy * pi;
      vi += cx * pi - cy * pr;
    }
    lam[2 * p] = vr;
    lam[2 * p + 1] = vi;
  }
  const grad = new Float64Array(plan.nSlots);
  const g = new Float64Array(3);
  const im = (a: Float64Array, i: number, b: Float64Array, k: number): number => a[2 * i] * b[2 * k + 1] - a[2 * i + 1] * b[2 * k];
  for (let ps = table.scalars.passes - 1; ps >= 0; ps--) {
    const record = passRecord(plan, table, ps);
    const overlaps = record.matrices.map(() => [0, 0, 0]);
    for (const block of passBlocks(plan, record)) {
      record.matrices.forEach((_, j) => {
        for (let c = 0; c < block.length; c++) {
          overlaps[j][2] += ((c >> j) & 1 ? -1 : 1) * im(lam, block[c], psi, block[c]);
          if ((c >> j) & 1) continue;
          const i0 = block[c],
            i1 = block[c | (1 << j)];
          overlaps[j][0] += im(lam, i0, psi, i1) + im(lam, i1, psi, i0);
          overlaps[j][1] +=
            lam[2 * i1] * psi[2 * i0] + lam[2 * i1 + 1] * psi[2 * i0 + 1] - lam[2 * i0] * psi[2 * i1] - lam[2 * i0 + 1] * psi[2 * i1 + 1];
        }
      });
      if (record.unapply) {
        record.matrices.forEach((m, j) => {
          for (let c = 0; c < block.length; c++) {
            if ((c >> j) & 1) continue;
            applyGate(psi, block[c], block[c | (1 << j)], mats, 8 * m, true);
            applyGate(lam, block[c], block[c | (1 << j)], mats, 8 * m, true);
          }
        });
      }
    }
    for (let j = 0; j < record.count; j++) {
      g.set(overlaps[j]);
      accumulateRotationGradients(matrixRotations(plan, table, record.matrices[j]), halfCos, halfSin, g, 0, grad);
    }
  }
  return grad;
}
