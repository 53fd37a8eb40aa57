import type { Axis, ElementaryRotation } from './compile';

/**
 * out[offset .. offset + 8) ← G_last ··· G_first, the fused 2×2 unitary of rotations G = exp(−iθP/2)
 * given in time order; halfCos[slot] = cos(θ/2), halfSin[slot] = sin(θ/2).
 */
export function fuseRotations(
  rotations: readonly ElementaryRotation[],
  halfCos: Float64Array,
  halfSin: Float64Array,
  out: Float64Array,
  offset: number,
): void {
  // rows (a, b) and (c, d) of the running product, split into real and imaginary parts
  let ar = 1,
    ai = 0,
    br = 0,
    bi = 0,
    cr = 0,
    ci = 0,
    dr = 1,
    di = 0;
  for (const { axis, slot } of rotations) {
    const co = halfCos[slot],
      si = halfSin[slot];
    let ar2, ai2, br2, bi2, cr2, ci2, dr2, di2;
    if (axis === 0) {
      // [[c, −is], [−is, c]]
      ar2 = co * ar + si * ci;
      ai2 = co * ai - si * cr;
      br2 = co * br + si * di;
      bi2 = co * bi - si * dr;
      cr2 = co * cr + si * ai;
      ci2 = co * ci - si * ar;
      dr2 = co * dr + si * bi;
      di2 = co * di - si * br;
    } else if (axis === 1) {
      // [[c, −s], [s, c]]
      ar2 = co * ar - si * cr;
      ai2 = co * ai - si * ci;
      br2 = co * br - si * dr;
      bi2 = co * bi - si * di;
      cr2 = si * ar + co * cr;
      ci2 = si * ai + co * ci;
      dr2 = si * br + co * dr;
      di2 = si * bi + co * di;
    } else {
      // diag(c − is, c + is)
      ar2 = co * ar + si * ai;
      ai2 = co * ai - si * ar;
      br2 = co * br + si * bi;
      bi2 = co * bi - si * br;
      cr2 = co * cr - si * ci;
      ci2 = co * ci + si * cr;
      dr2 = co * dr - si * di;
      di2 = co * di + si * dr;
    }
    ar = ar2;
    ai = ai2;
    br = br2;
    bi = bi2;
    cr = cr2;
    ci = ci2;
    dr = dr2;
    di = di2;
  }
  out[offset] = ar;
  out[offset + 1] = ai;
  out[offset + 2] = br;
  out[offset + 3] = bi;
  out[offset + 4] = cr;
  out[offset + 5] = ci;
  out[offset + 6] = dr;
  out[offset + 7] = di;
}

/** out[0 .. 8) ← u†, u being the 8 numbers at offset. */
export function conjugateTranspose(u: Float64Array, offset: number, out: Float64Array): void {
  out[0] = u[offset];
  out[1] = -u[offset + 1];
  out[2] = u[offset + 4];
  out[3] = -u[offset + 5];
  out[4] = u[offset + 2];
  out[5] = -u[offset + 3];
  out[6] = u[offset + 6];
  out[7] = -u[offset + 7];
}

/**
 * Adjoint gradients of one wire's rotations inside a fused stage. g[offset ..] holds (Im⟨λ|X|ψ⟩, Im⟨λ|Y|ψ⟩,
 * Im⟨λ|Z|ψ⟩) on that wire at the end of the stage. The derivative of rotation G_k is Im⟨λ_k|P_k|ψ_k⟩ at the point
 * just after G_k, which equals component P_k of g carried back through the later rotations of the wire:
 * each un-applied rotation turns g by −θ about its axis. So no state vector is touched per rotation.
 * Adds the derivatives into grad[slot]; g is clobbered.
 */
export function accumulateRotationGradients(
  rotations: readonly ElementaryRotation[],
  halfCos: Float64Array,
  halfSin: Float64Array,
  g: Float64Array,
  offset: number,
  grad: Float64Array,
): void {
  for (let k = rotations.length - 1; k >= 0; k--) {
    const { axis, slot } = rotations[k];
    grad[slot] += g[offset + axis];
    const co = halfCos[slot],
      si = halfSin[slot];
    const cosT = co * co - si * si,
      sinT = 2 * co * si;
    const p = offset + NEXT_AXIS[axis],
      q = offset + NEXT_AXIS[NEXT_AXIS[axis]];
    const gp = g[p],
      gq = g[q];
    g[p] = cosT * gp + sinT * gq;
    g[q] = cosT * gq - sinT * gp;
  }
}

/** The cyclic order X → Y → Z → X. */
const NEXT_AXIS: readonly Axis[] = [1, 2, 0];
