/** A circuit, an argument array or a reference document has the wrong shape or an out-of-range size. */
export class QuantumShapeError extends Error {
  override readonly name = 'QuantumShapeError';
}
