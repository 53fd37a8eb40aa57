/**
 * seedrandom as an ES module with named exports, for scripts/vite-run.ts: TF.js imports it as a
 * namespace (`seedrandom.alea`), and the CommonJS package, loaded by Node for Vite's module runner,
 * exposes only a default export there (Vitest and the app's bundler map the names themselves).
 */
import { createRequire } from 'node:module';

interface Seedrandom {
  (seed?: string): () => number;
  alea: (seed?: string) => () => number;
  xor128: (seed?: string) => () => number;
  xorwow: (seed?: string) => () => number;
  xorshift7: (seed?: string) => () => number;
  xor4096: (seed?: string) => () => number;
  tychei: (seed?: string) => () => number;
}

const seedrandom = createRequire(import.meta.url)('seedrandom') as Seedrandom;
export const { alea, xor128, xorwow, xorshift7, xor4096, tychei } = seedrandom;
export default seedrandom;
