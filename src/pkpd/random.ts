/**
 * Seeded pseudo-random numbers for simulation: xoshiro128** (32-bit state words, period 2^128 − 1)
 * seeded through splitmix32, with Box–Muller normals. Deterministic across platforms.
 */
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

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
