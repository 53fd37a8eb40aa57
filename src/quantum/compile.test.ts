import { describe, expect, it } from 'vitest';
import { compileCircuit } from './compile';
import { QuantumShapeError } from './errors';
import { reuploadingStronglyEntangling } from './template';
import type { CircuitTemplate, Gate } from './template';

function custom(gates: Gate[], nQubits = 2): CircuitTemplate {
  return { name: 'custom', nQubits, nLayers: 1, nInputs: 1, nWeights: 3, gates, readout: [{ kind: 'Z', wire: 0 }] };
}

describe('compileCircuit', () => {
  it('fuses each layer into one rotation stage (five rotations per wire) and one ring permutation', () => {
    const c = compileCircuit(reuploadingStronglyEntangling(3, 2));
    expect(c.stages.map((s) => s.kind)).toEqual(['rotations', 'permutation', 'rotations', 'permutation']);
    const first = c.stages[0];
    if (first.kind !== 'rotations') throw new Error('unreachable');
    expect(first.wires).toEqual([0, 1, 2]);
    // slots: inputs 0..2, then weight (l, i, k) at 3 + (l·3 + i)·3 + k; axes X = 0, Y = 1, Z = 2
    expect(first.rotations[1]).toEqual([
      { axis: 1, slot: 1 },
      { axis: 0, slot: 1 },
      { axis: 2, slot: 6 },
      { axis: 1, slot: 7 },
      { axis: 2, slot: 8 },
    ]);
  });

  it('composes the CNOT ring into one permutation with its inverse', () => {
    const ring = compileCircuit(reuploadingStronglyEntangling(3, 1)).stages[1];
    if (ring.kind !== 'permutation') throw new Error('unreachable');
    // index 0b001: CNOT(0→1) sets bit 1, CNOT(1→2) sets bit 2, CNOT(2→0) clears bit 0 → 0b110
    expect(ring.destination[0b001]).toBe(0b110);
    expect([...ring.destination].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    ring.destination.forEach((j, i) => expect(ring.source[j]).toBe(i));
  });

  it('maps readouts to X/Y pair passes and Z masks (Z_0 Z_0 is the empty mask)', () => {
    const c = compileCircuit(reuploadingStronglyEntangling(1, 1));
    expect(c.xyObservables).toEqual([
      { output: 0, wire: 0, axis: 0 },
      { output: 1, wire: 0, axis: 1 },
    ]);
    expect(c.diagonalObservables).toEqual([
      { output: 2, mask: 1 },
      { output: 3, mask: 0 },
    ]);
  });

  it.each([
    ['a wire out of range', [{ kind: 'RX', wire: 2, angle: { kind: 'input', index: 0 } }], /wire 2 is outside 0\.\.1/],
    ['CNOT on one wire', [{ kind: 'CNOT', control: 1, target: 1 }], /control and target are the same wire/],
    ['an unknown input', [{ kind: 'RY', wire: 0, angle: { kind: 'input', index: 1 } }], /input 1 is outside 0\.\.0/],
    ['a weight past the end', [{ kind: 'RZ', wire: 1, angle: { kind: 'weight', layer: 0, wire: 1, k: 0 } }], /weight \[0,1,0\]/],
    ['k outside 0..2', [{ kind: 'RZ', wire: 0, angle: { kind: 'weight', layer: 0, wire: 0, k: 3 } }], /weight \[0,0,3\]/],
  ] as [string, Gate[], RegExp][])('rejects %s', (_, gates, message) => {
    expect(() => compileCircuit(custom(gates))).toThrow(QuantumShapeError);
    expect(() => compileCircuit(custom(gates))).toThrow(message);
  });

  it('rejects readouts on missing wires and too many qubits', () => {
    expect(() => compileCircuit({ ...custom([]), readout: [{ kind: 'X', wire: 5 }] })).toThrow(/readout 0 \(X\): wire 5/);
    expect(() => compileCircuit({ ...custom([]), nQubits: 12 })).toThrow(QuantumShapeError);
  });
});
