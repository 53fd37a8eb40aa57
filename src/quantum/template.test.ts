import { describe, expect, it } from 'vitest';
import { QuantumShapeError } from './errors';
import { READOUT_ORDER, reuploadingStronglyEntangling } from './template';

describe('reuploadingStronglyEntangling', () => {
  it('lists one layer of n = 2 gate by gate', () => {
    const t = reuploadingStronglyEntangling(2, 1);
    expect(t.gates).toEqual([
      { kind: 'RY', wire: 0, angle: { kind: 'input', index: 0 } },
      { kind: 'RY', wire: 1, angle: { kind: 'input', index: 1 } },
      { kind: 'RX', wire: 0, angle: { kind: 'input', index: 0 } },
      { kind: 'RX', wire: 1, angle: { kind: 'input', index: 1 } },
      { kind: 'RZ', wire: 0, angle: { kind: 'weight', layer: 0, wire: 0, k: 0 } },
      { kind: 'RY', wire: 0, angle: { kind: 'weight', layer: 0, wire: 0, k: 1 } },
      { kind: 'RZ', wire: 0, angle: { kind: 'weight', layer: 0, wire: 0, k: 2 } },
      { kind: 'RZ', wire: 1, angle: { kind: 'weight', layer: 0, wire: 1, k: 0 } },
      { kind: 'RY', wire: 1, angle: { kind: 'weight', layer: 0, wire: 1, k: 1 } },
      { kind: 'RZ', wire: 1, angle: { kind: 'weight', layer: 0, wire: 1, k: 2 } },
      { kind: 'CNOT', control: 0, target: 1 },
      { kind: 'CNOT', control: 1, target: 0 },
    ]);
    expect([t.nInputs, t.nWeights]).toEqual([2, 6]);
  });

  it('re-uploads the inputs every layer and closes the CNOT ring only for n > 1', () => {
    const t = reuploadingStronglyEntangling(4, 3);
    expect(t.gates).toHaveLength(3 * (5 * 4 + 4));
    expect(t.gates.filter((g) => g.kind !== 'CNOT' && g.angle.kind === 'input')).toHaveLength(3 * 2 * 4);
    expect(t.gates.filter((g) => g.kind === 'CNOT').slice(0, 4)).toEqual(
      [0, 1, 2, 3].map((i) => ({ kind: 'CNOT', control: i, target: (i + 1) % 4 })),
    );
    expect(reuploadingStronglyEntangling(1, 2).gates.some((g) => g.kind === 'CNOT')).toBe(false);
  });

  it('reads out X, Y, Z per wire, then Z_i Z_(i+1 mod n)', () => {
    expect(READOUT_ORDER).toEqual(['X', 'Y', 'Z', 'ZZ_ring']);
    const t = reuploadingStronglyEntangling(3, 1);
    expect(t.readout.map((o) => (o.kind === 'ZZ' ? `ZZ${o.wires.join('')}` : `${o.kind}${o.wire}`))).toEqual([
      'X0',
      'X1',
      'X2',
      'Y0',
      'Y1',
      'Y2',
      'Z0',
      'Z1',
      'Z2',
      'ZZ01',
      'ZZ12',
      'ZZ20',
    ]);
    expect(reuploadingStronglyEntangling(1, 1).readout[3]).toEqual({ kind: 'ZZ', wires: [0, 0] });
  });

  it.each([
    [0, 1, /qubits must be an integer in 1\.\.9, got 0/],
    [10, 1, /qubits must be an integer in 1\.\.9, got 10/],
    [2.5, 1, /qubits/],
    [3, 0, /layers must be an integer in 1\.\.6, got 0/],
    [3, 7, /layers must be an integer in 1\.\.6, got 7/],
    [3, Number.NaN, /layers/],
  ])('rejects n = %s, L = %s', (n, layers, message) => {
    expect(() => reuploadingStronglyEntangling(n, layers)).toThrow(QuantumShapeError);
    expect(() => reuploadingStronglyEntangling(n, layers)).toThrow(message);
  });
});
