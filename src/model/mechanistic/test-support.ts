/**
 * What the tests of the TF.js structural model (pk-tensor.test.ts, pd-tensor.test.ts,
 * indirect-tensor.test.ts) share: the random cases of testing/tensor-cases.ts (re-exported), the wasm
 * backend's binaries in Node, and the gradient comparison.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ModelParameter } from '../../study/study-spec';
import type { TensorCase } from './testing/tensor-cases';

/** Points the wasm backend at its binaries in node_modules (Node has no page to serve them). */
export function useNodeWasmPaths(): void {
  setWasmPaths(fileURLToPath(new URL('../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));
}

export * from './testing/tensor-cases';

/**
 * Per-observation gradients against finite differences over groups of cases: the largest
 * |g − fd| / scale, how many were compared, and the parameters seen. A parameter whose reference is 0
 * everywhere (scale 0) must have a zero gradient.
 */
export function gradientAgreement<C extends TensorCase>(
  groups: readonly (readonly C[])[],
  gradients: (cases: readonly C[]) => Map<ModelParameter, number[][]>,
  reference: (c: C, name: ModelParameter) => { fd: ArrayLike<number>; scale: number },
): { worst: number; checked: number; seen: ModelParameter[] } {
  let worst = 0;
  let checked = 0;
  const seen = new Set<ModelParameter>();
  for (const cases of groups) {
    const computed = gradients(cases);
    cases.forEach((c, n) => {
      for (const name of c.names) {
        seen.add(name);
        const { fd, scale } = reference(c, name);
        const g = computed.get(name)![n];
        g.forEach((v, i) => {
          if (scale === 0) {
            expect(Math.abs(v)).toBe(0);
            return;
          }
          expect(Number.isFinite(v)).toBe(true);
          worst = Math.max(worst, Math.abs(v - fd[i]) / scale);
          checked++;
        });
      }
    });
  }
  return { worst, checked, seen: [...seen].sort() };
}
