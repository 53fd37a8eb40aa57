/**
 * Seeded pseudo-random numbers for simulation: xoshiro128** (32-bit state words, period 2^128 − 1)
 * seeded through splitmix32, with Box–Muller normals; independent streams named by a key
 * (`streamFor`); the standard normal CDF and quantile. Deterministic across platforms. (The network
 * code draws from mulberry32 streams, src/data/splits/prng.ts, whose numbers trained models and
 * subject splits record; both families name their streams with the one FNV-1a of src/data/hash.ts.)
 */
import { fnv1a32 } from '../data/hash';

export interface Rng {
  /** Uniform on [0, 1) with 32 random bits. */
  uniform(): number;
  /** Uniform on [lo, hi). */
  uniformIn(lo: number, hi: number): number;
  /** Standard normal. */
  normal(): number;
  /** 1 with probability p, else 0. */
  bernoulli(p: number): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const init = splitmix32(Math.floor(seed) ^ 0x5bd1e995);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  if ((a | b | c | d) === 0) a = 1;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  let spare = NaN;
  const uniform = (): number => next() / 4294967296;
  return {
    uniform,
    uniformIn: (lo, hi) => lo + (hi - lo) * uniform(),
    normal: () => {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = NaN;
        return s;
      }
      let u = uniform();
      while (u === 0) u = uniform();
      const v = uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    bernoulli: (p) => (uniform() < p ? 1 : 0),
  };
}

/** An independent stream for (seed, name): the name's FNV-1a hash mixed with the seed (e.g. a covariate or a random effect of virtual subjects). */
export function streamFor(seed: number, name: string): Rng {
  return createRng((fnv1a32(name) ^ Math.imul(Math.floor(seed) >>> 0, 0x9e3779b1)) >>> 0);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * erfc(x) = t · e^{poly} for x ≥ 0, by Numerical Recipes' Chebyshev fit (relative error < 1.2e−7):
 * its two factors, so that the CDF keeps its arithmetic and its log form has no underflow.
 */
function erfcFit(x: number): { t: number; poly: number } {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851513 + t * (-0.82215223 + t * 0.17087277))))))));
  return { t, poly };
}

/** Standard normal CDF (erfc by Numerical Recipes' Chebyshev fit, relative error < 1.2e−7). */
export function normalCdf(z: number): number {
  const { t, poly } = erfcFit(Math.abs(z) / Math.SQRT2);
  const erfc = t * Math.exp(poly);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** log Φ(z), accurate far into the lower tail (the same erfc fit, in log form). */
export function logNormalCdf(z: number): number {
  const { t, poly } = erfcFit(Math.abs(z) / Math.SQRT2);
  if (z > 0) return Math.log1p(-0.5 * t * Math.exp(poly));
  return Math.log(t) + poly - Math.LN2;
}

const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239,
];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783,
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (Acklam's rational approximation, relative error
 * below 1.2e−9; ±Infinity at 0 and 1): a standard normal drawn by inversion of a uniform, so that the
 * same uniform gives the same rank whatever the mean, SD or truncation (common random numbers).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return p === 0 ? -Infinity : Number.NaN;
  if (!(p < 1)) return p === 1 ? Infinity : Number.NaN;
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const c = ACKLAM_C;
    const d = ACKLAM_D;
    const x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  const a = ACKLAM_A;
  const b = ACKLAM_B;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}
