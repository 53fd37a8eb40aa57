/**
 * State-vector kernels. A state of n wires is one Float64Array of 2·2^n numbers, amplitude i (index
 * i = Σ_q bit_q · 2^q) at [2i] (real part) and [2i + 1] (imaginary part). `size` is 2^n.
 * A 2×2 complex matrix u is 8 numbers from `offset`: u00 (re, im), u01, u10, u11.
 */

/** a ← (u on `wire`) a. */
export function applyOneQubit(a: Float64Array, size: number, wire: number, u: Float64Array, offset: number): void {
  const u00r = u[offset],
    u00i = u[offset + 1],
    u01r = u[offset + 2],
    u01i = u[offset + 3];
  const u10r = u[offset + 4],
    u10i = u[offset + 5],
    u11r = u[offset + 6],
    u11i = u[offset + 7];
  const stride = 2 << wire,
    length = 2 * size;
  for (let base = 0; base < length; base += stride << 1) {
    for (let i0 = base, end = base + stride; i0 < end; i0 += 2) {
      const i1 = i0 + stride;
      const ar = a[i0],
        ai = a[i0 + 1],
        br = a[i1],
        bi = a[i1 + 1];
      a[i0] = u00r * ar - u00i * ai + u01r * br - u01i * bi;
      a[i0 + 1] = u00r * ai + u00i * ar + u01r * bi + u01i * br;
      a[i1] = u10r * ar - u10i * ai + u11r * br - u11i * bi;
      a[i1 + 1] = u10r * ai + u10i * ar + u11r * bi + u11i * br;
    }
  }
}

/**
 * to ← (u on `wire`) P from, where P is the permutation whose amplitude i comes from amplitude source[i] of
 * `from`: a permutation and the next gate in one pass.
 */
export function applyOneQubitAfterPermutation(
  from: Float64Array,
  to: Float64Array,
  source: Int32Array,
  size: number,
  wire: number,
  u: Float64Array,
  offset: number,
): void {
  const u00r = u[offset],
    u00i = u[offset + 1],
    u01r = u[offset + 2],
    u01i = u[offset + 3];
  const u10r = u[offset + 4],
    u10i = u[offset + 5],
    u11r = u[offset + 6],
    u11i = u[offset + 7];
  const stride = 1 << wire;
  for (let base = 0; base < size; base += stride << 1) {
    for (let j0 = base, end = base + stride; j0 < end; j0++) {
      const j1 = j0 + stride;
      const s0 = 2 * source[j0],
        s1 = 2 * source[j1];
      const ar = from[s0],
        ai = from[s0 + 1],
        br = from[s1],
        bi = from[s1 + 1];
      const i0 = 2 * j0,
        i1 = 2 * j1;
      to[i0] = u00r * ar - u00i * ai + u01r * br - u01i * bi;
      to[i0 + 1] = u00r * ai + u00i * ar + u01r * bi + u01i * br;
      to[i1] = u10r * ar - u10i * ai + u11r * br - u11i * bi;
      to[i1 + 1] = u10r * ai + u10i * ar + u11r * bi + u11i * br;
    }
  }
}

/**
 * The product state ⊗_q (u_q |0⟩), u_q being the 8 numbers at offset + 8q: the first one-qubit stage acting
 * on |0…0⟩ costs one pass instead of one per wire.
 */
export function writeProductState(a: Float64Array, nQubits: number, u: Float64Array, offset: number): void {
  a[0] = 1;
  a[1] = 0;
  for (let q = 0, length = 2; q < nQubits; q++, length <<= 1) {
    const o = offset + 8 * q;
    const c0r = u[o],
      c0i = u[o + 1],
      c1r = u[o + 4],
      c1i = u[o + 5];
    for (let i = 0; i < length; i += 2) {
      const ar = a[i],
        ai = a[i + 1];
      a[i + length] = c1r * ar - c1i * ai;
      a[i + length + 1] = c1r * ai + c1i * ar;
      a[i] = c0r * ar - c0i * ai;
      a[i + 1] = c0r * ai + c0i * ar;
    }
  }
}

/** Amplitude i of `from` becomes amplitude destination[i] of `to`. */
export function permute(from: Float64Array, to: Float64Array, destination: Int32Array): void {
  for (let i = 0; i < destination.length; i++) {
    const j = 2 * destination[i];
    to[j] = from[2 * i];
    to[j + 1] = from[2 * i + 1];
  }
}

/** The inverse of `permute`: amplitude destination[i] of `from` becomes amplitude i of `to`. */
export function unpermute(from: Float64Array, to: Float64Array, destination: Int32Array): void {
  for (let i = 0; i < destination.length; i++) {
    const j = 2 * destination[i];
    to[2 * i] = from[j];
    to[2 * i + 1] = from[j + 1];
  }
}

/**
 * Im⟨λ|X_w|ψ⟩ and Im⟨λ|Y_w|ψ⟩ for wire w into out[offset], out[offset + 1]. With Im(conj(l) p) = l.re p.im − l.im p.re
 * and Re(conj(l) p) = l.re p.re + l.im p.im: X gives conj(λ0) ψ1 + conj(λ1) ψ0, Y gives −i conj(λ0) ψ1 + i conj(λ1) ψ0.
 */
export function xyOverlapsIm(psi: Float64Array, lam: Float64Array, size: number, wire: number, out: Float64Array, offset: number): void {
  let gx = 0,
    gy = 0;
  const stride = 2 << wire,
    length = 2 * size;
  for (let base = 0; base < length; base += stride << 1) {
    for (let i0 = base, end = base + stride; i0 < end; i0 += 2) {
      const i1 = i0 + stride;
      const p0r = psi[i0],
        p0i = psi[i0 + 1],
        p1r = psi[i1],
        p1i = psi[i1 + 1];
      const l0r = lam[i0],
        l0i = lam[i0 + 1],
        l1r = lam[i1],
        l1i = lam[i1 + 1];
      gx += l0r * p1i - l0i * p1r + l1r * p0i - l1i * p0r;
      gy += l1r * p0r + l1i * p0i - l0r * p1r - l0i * p1i;
    }
  }
  out[offset] = gx;
  out[offset + 1] = gy;
}

/**
 * Im⟨λ|Z_q|ψ⟩ = Σ_i Im(conj(λ_i) ψ_i) (−1)^bit_q(i) for every wire q into out[3q + 2], in O(2^n) in all:
 * level q takes the signed sum over bit 0 and folds the vector in half (scratch, 2^n numbers, is overwritten).
 */
export function zOverlapsIm(psi: Float64Array, lam: Float64Array, nQubits: number, scratch: Float64Array, out: Float64Array): void {
  let size = 1 << nQubits;
  for (let i = 0; i < size; i++) scratch[i] = lam[2 * i] * psi[2 * i + 1] - lam[2 * i + 1] * psi[2 * i];
  for (let q = 0; q < nQubits; q++) {
    size >>= 1;
    let difference = 0;
    for (let k = 0; k < size; k++) {
      const a = scratch[2 * k],
        b = scratch[2 * k + 1];
      difference += a - b;
      scratch[k] = a + b;
    }
    out[3 * q + 2] = difference;
  }
}
