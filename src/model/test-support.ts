/** Helpers shared by the model tests (not used by the app). */
import '@tensorflow/tfjs-backend-cpu';
import { setBackend, tensor2d } from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { SeedStream } from './random';

/** The cpu backend: deterministic, and what the reproducibility checks are stated for. */
export async function useCpuBackend(): Promise<void> {
  await setBackend('cpu');
}

/** Seeded standard-normal matrix [rows, columns]. */
export function randomMatrix(rows: number, columns: number, seed: number): Float32Array {
  const random = new SeedStream(seed);
  return Float32Array.from({ length: rows * columns }, () => random.normal());
}

export function randomInput(rows: number, columns: number, seed: number): Tensor2D {
  return tensor2d(randomMatrix(rows, columns, seed), [rows, columns]);
}
