import { describe, expect, it } from 'vitest';
import { QuantumShapeError } from '../errors';
import { posterClassicalParameters, posterHybridParameters } from './poster-formulas';

describe("the poster's formulas", () => {
  it('counts a classical NN: (N_in + M_out)·M_in + M_in²·(L_nn + 2)', () => {
    expect(posterClassicalParameters({ nInputs: 1, nOutputs: 1, width: 2, layers: 1 })).toBe(2 * 2 + 4 * 3);
    // 22·8 + 64·5
    expect(posterClassicalParameters({ nInputs: 21, nOutputs: 1, width: 8, layers: 3 })).toBe(496);
    // H = 64, D = 2: 22·64 + 4096·4
    expect(posterClassicalParameters({ nInputs: 21, nOutputs: 1, width: 64, layers: 2 })).toBe(17_792);
  });

  it('counts a hybrid: classical (N_in + M_out)·M_in, quantum 3·M_in·L_qnn on M_in qubits', () => {
    expect(posterHybridParameters({ nInputs: 21, nOutputs: 1, width: 8, layers: 3 })).toEqual({
      classical: 176,
      quantum: 72,
      total: 248,
      nQubits: 8,
    });
    expect(posterHybridParameters({ nInputs: 1, nOutputs: 1, width: 2, layers: 1 })).toEqual({
      classical: 4,
      quantum: 6,
      total: 10,
      nQubits: 2,
    });
  });

  // The reported grid (2, 4, 8, 12 qubits × L = 1..4) with N_in = 21, M_out = 1, classical NN of the same width and depth.
  it.each([
    [2, 1, 44 + 12, 44 + 6],
    [4, 2, 88 + 64, 88 + 24],
    [8, 3, 176 + 320, 176 + 72],
    [12, 4, 264 + 864, 264 + 144],
  ])('M_in = %i, L = %i: classical %i, hybrid %i', (width, layers, classicalTotal, hybridTotal) => {
    const shape = { nInputs: 21, nOutputs: 1, width, layers };
    expect(posterClassicalParameters(shape)).toBe(classicalTotal);
    expect(posterHybridParameters(shape).total).toBe(hybridTotal);
  });

  it('grows quadratically in width for the classical NN and linearly for the hybrid', () => {
    const at = (width: number) => ({ nInputs: 21, nOutputs: 1, width, layers: 3 });
    expect(posterClassicalParameters(at(16)) - 2 * posterClassicalParameters(at(8))).toBe(16 * 16 * 5 - 2 * 8 * 8 * 5);
    expect(posterHybridParameters(at(16)).total).toBe(2 * posterHybridParameters(at(8)).total);
  });

  it('rejects non-positive sizes', () => {
    expect(() => posterClassicalParameters({ nInputs: 0, nOutputs: 1, width: 2, layers: 1 })).toThrow(QuantumShapeError);
    expect(() => posterHybridParameters({ nInputs: 1, nOutputs: 1, width: 2.5, layers: 1 })).toThrow(
      /width must be a positive integer, got 2\.5/,
    );
  });
});
