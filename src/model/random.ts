/**
 * Seeded random streams for the model code: parameter initialisation, batch order, dropout masks and
 * router noise all draw from streams forked off one seed, so the same seed gives the same run.
 * TF.js random ops receive an integer seed drawn from a stream (their own generator is seeded, so the
 * result is reproducible on a given backend).
 */
import { FNV32_OFFSET, fnv1a32 } from '../data/hash';
import { mulberry32 } from '../data/splits/prng';

/** A 32-bit mix of a seed and a label (FNV-1a over the label from the seed, then a murmur-style finaliser). */
export function mixSeed(seed: number, label: string): number {
  let h = fnv1a32(label, (seed ^ FNV32_OFFSET) >>> 0);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export class SeedStream {
  private readonly random: () => number;
  private spare: number | null = null;

  constructor(readonly seed: number) {
    this.random = mulberry32(seed >>> 0);
  }

  /** An independent stream named by `label` (does not advance this one). */
  fork(label: string): SeedStream {
    return new SeedStream(mixSeed(this.seed, label));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.random();
  }

  /** A non-negative integer seed for a TF.js random op. */
  nextSeed(): number {
    return Math.floor(this.random() * 2147483647);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = (this.random() * 4294967296 + 0.5) / 4294967296;
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}
