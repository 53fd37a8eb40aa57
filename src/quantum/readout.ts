import type { CompiledCircuit } from './compile';

/** Reused between samples: a 2^n vector for the diagonal observables and (X, Y) per wire. */
export interface ReadoutScratch {
  readonly diagonal: Float64Array;
  readonly xy: Float64Array;
}

export function createReadoutScratch(circuit: CompiledCircuit): ReadoutScratch {
  return { diagonal: new Float64Array(1 << circuit.nQubits), xy: new Float64Array(2 * circuit.nQubits) };
}

/** In place: v[m] ← Σ_i v[i] (−1)^popcount(i & m). Its own inverse up to a factor 1/size. */
function walshHadamard(v: Float64Array): void {
  const size = v.length;
  for (let half = 1; half < size; half <<= 1) {
    for (let base = 0; base < size; base += half << 1) {
      for (let i = base, end = base + half; i < end; i++) {
        const a = v[i],
          b = v[i + half];
        v[i] = a + b;
        v[i + half] = a - b;
      }
    }
  }
}

/** All readouts of the state `a` into out[offset .. offset + nOutputs). */
export function measure(circuit: CompiledCircuit, a: Float64Array, scratch: ReadoutScratch, out: Float64Array, offset: number): void {
  const { diagonal, xy } = scratch;
  const size = diagonal.length;
  for (let i = 0; i < size; i++) diagonal[i] = a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
  walshHadamard(diagonal);
  for (const { output, mask } of circuit.diagonalObservables) out[offset + output] = diagonal[mask];

  for (const wire of circuit.xyWires) {
    const stride = 2 << wire,
      low = (1 << wire) - 1;
    // Σ conj(a0) a1 over the pairs, two pairs per step into separate sums: shorter chains of dependent additions
    let x0 = 0,
      y0 = 0,
      x1 = 0,
      y1 = 0;
    const pairs = size >> 1;
    for (let p = 0; p < pairs; p += 2) {
      let i0 = 2 * (((p >> wire) << (wire + 1)) | (p & low)),
        i1 = i0 + stride;
      x0 += a[i0] * a[i1] + a[i0 + 1] * a[i1 + 1];
      y0 += a[i0] * a[i1 + 1] - a[i0 + 1] * a[i1];
      if (p + 1 === pairs) break;
      i0 = 2 * ((((p + 1) >> wire) << (wire + 1)) | ((p + 1) & low));
      i1 = i0 + stride;
      x1 += a[i0] * a[i1] + a[i0 + 1] * a[i1 + 1];
      y1 += a[i0] * a[i1 + 1] - a[i0 + 1] * a[i1];
    }
    xy[2 * wire] = 2 * (x0 + x1);
    xy[2 * wire + 1] = 2 * (y0 + y1);
  }
  for (const { output, wire, axis } of circuit.xyObservables) out[offset + output] = xy[2 * wire + axis];
}

/** λ ← M ψ with M = Σ_k c_k O_k, the observables weighted by the cotangent c = cotangent[offset ..]. */
export function applyWeightedObservable(
  circuit: CompiledCircuit,
  psi: Float64Array,
  cotangent: Float64Array,
  offset: number,
  lam: Float64Array,
  scratch: ReadoutScratch,
): void {
  const { diagonal, xy } = scratch;
  const size = diagonal.length;
  diagonal.fill(0);
  for (const { output, mask } of circuit.diagonalObservables) diagonal[mask] += cotangent[offset + output];
  walshHadamard(diagonal);
  for (let i = 0; i < size; i++) {
    lam[2 * i] = diagonal[i] * psi[2 * i];
    lam[2 * i + 1] = diagonal[i] * psi[2 * i + 1];
  }

  xy.fill(0);
  for (const { output, wire, axis } of circuit.xyObservables) xy[2 * wire + axis] += cotangent[offset + output];
  for (const wire of circuit.xyWires) {
    const cx = xy[2 * wire],
      cy = xy[2 * wire + 1];
    const stride = 2 << wire,
      length = 2 * size;
    for (let base = 0; base < length; base += stride << 1) {
      for (let i0 = base, end = base + stride; i0 < end; i0 += 2) {
        const i1 = i0 + stride;
        // (cx X + cy Y)(a0, a1) = (cx a1 − i cy a1, cx a0 + i cy a0)
        lam[i0] += cx * psi[i1] + cy * psi[i1 + 1];
        lam[i0 + 1] += cx * psi[i1 + 1] - cy * psi[i1];
        lam[i1] += cx * psi[i0] - cy * psi[i0 + 1];
        lam[i1 + 1] += cx * psi[i0 + 1] + cy * psi[i0];
      }
    }
  }
}
