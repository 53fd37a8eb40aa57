/**
 * Moving rows between a batch and an expert's sub-batch. `gatherRows` picks rows (distinct indices),
 * `scatterRows` puts a sub-batch back into a zero [batch, width] matrix. Each one's gradient is the
 * other, so neither backward pass goes through UnsortedSegmentSum — on the TF.js cpu backend that
 * kernel loops over segments and costs tens of milliseconds for a 64-row batch.
 */
import { concat, customGrad, gather, tensor1d, zeros } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';

/** Where each batch row is in the sub-batch; rows not in it point at row `index.length` (a zero row). */
function inversePositions(index: ArrayLike<number>, batch: number): Int32Array {
  const inverse = new Int32Array(batch).fill(index.length);
  for (let i = 0; i < index.length; i++) inverse[index[i]] = i;
  return inverse;
}

function scatter(y: Tensor2D, inverse: Int32Array): Tensor2D {
  const padded = concat([y, zeros([1, y.shape[1]])], 0);
  return gather(padded, tensor1d(inverse, 'int32')) as Tensor2D;
}

/** Rows `index` (distinct, ascending or not) of x [batch, width]. */
export function gatherRows(x: Tensor2D, index: Int32Array): Tensor2D {
  const batch = x.shape[0];
  const f = customGrad<Tensor2D>((...inputs) => {
    const input = inputs[0] as Tensor2D;
    return {
      value: gather(input, tensor1d(index, 'int32')) as Tensor2D,
      gradFunc: (dy: Tensor2D): Tensor => scatter(dy, inversePositions(index, batch)),
    };
  });
  return f(x);
}

/** [batch, width] with row index[i] = y[i] and zeros elsewhere (indices distinct). */
export function scatterRows(y: Tensor2D, index: Int32Array, batch: number): Tensor2D {
  const inverse = inversePositions(index, batch);
  const f = customGrad<Tensor2D>((...inputs) => {
    const input = inputs[0] as Tensor2D;
    return {
      value: scatter(input, inverse),
      gradFunc: (dy: Tensor2D): Tensor => gather(dy, tensor1d(index, 'int32')),
    };
  });
  return f(y);
}
