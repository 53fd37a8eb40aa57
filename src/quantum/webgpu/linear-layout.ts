/**
 * Where each amplitude lives in the kernel's state array. A run of CNOTs permutes basis states by a map that is
 * linear over GF(2) (bit vectors with XOR), so instead of moving amplitudes the kernel keeps them in place and
 * tracks the map: logical amplitude l is stored at physical index φ(l). A linear map on n-bit indices is given by
 * its columns φ(2^b), and φ(l) is the XOR of the columns of l's set bits. The generated WGSL folds these columns
 * into its index arithmetic, so permutation stages cost no pass over the state and no barrier.
 */
export type LinearMap = Int32Array;

export class NonLinearPermutationError extends Error {
  override readonly name = 'NonLinearPermutationError';
}

export function identityMap(nQubits: number): LinearMap {
  return Int32Array.from({ length: nQubits }, (_, b) => 1 << b);
}

/** φ(index): the XOR of the columns of the index's set bits. */
export function applyMap(map: LinearMap, index: number): number {
  let out = 0;
  for (let b = 0; b < map.length; b++) if ((index >> b) & 1) out ^= map[b];
  return out;
}

/** The columns of a permutation table, checking that the table is linear over GF(2) (CNOT runs always are). */
export function linearMapOf(table: Int32Array, nQubits: number): LinearMap {
  const size = 1 << nQubits;
  if (table.length !== size) throw new NonLinearPermutationError(`permutation table has ${table.length} entries, expected ${size}`);
  const map = Int32Array.from({ length: nQubits }, (_, b) => table[1 << b]);
  for (let i = 0; i < size; i++) {
    if (table[i] !== applyMap(map, i)) {
      throw new NonLinearPermutationError(
        `permutation is not linear over GF(2) at index ${i}; the WGSL kernel supports CNOT-type permutations only`,
      );
    }
  }
  return map;
}

/** (a ∘ b)(l) = a(b(l)). */
export function composeMaps(a: LinearMap, b: LinearMap): LinearMap {
  return Int32Array.from(b, (column) => applyMap(a, column));
}

/** φ⁻¹, by solving φ(l) = 2^b for every b (the maps here are invertible: they come from permutations). */
export function invertMap(map: LinearMap): LinearMap {
  const n = map.length;
  const inverse = new Int32Array(n);
  const found = new Uint8Array(n);
  for (let l = 1; l < 1 << n; l++) {
    const image = applyMap(map, l);
    if (image !== 0 && (image & (image - 1)) === 0) {
      const b = 31 - Math.clz32(image);
      inverse[b] = l;
      found[b] = 1;
    }
  }
  if (found.some((f) => f === 0)) throw new NonLinearPermutationError('layout map is not invertible');
  return inverse;
}

export function isIdentityMap(map: LinearMap): boolean {
  return map.every((column, b) => column === 1 << b);
}
