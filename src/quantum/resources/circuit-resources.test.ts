import { describe, expect, it } from 'vitest';
import { type CircuitTemplate, reuploadingStronglyEntangling } from '../template';
import { circuitResources } from './circuit-resources';

describe('circuitResources', () => {
  it('counts one layer of n = 2 from the gate list', () => {
    expect(circuitResources(reuploadingStronglyEntangling(2, 1))).toEqual({
      nQubits: 2,
      nLayers: 1,
      depth: 7,
      fusedDepth: 3,
      oneQubitGates: 10,
      twoQubitGates: 2,
      totalGates: 12,
      weights: 6,
      inputs: 2,
      inputRotations: 4,
      weightRotations: 6,
      readouts: 8,
    });
  });

  it('has no two-qubit gates for one qubit', () => {
    const r = circuitResources(reuploadingStronglyEntangling(1, 2));
    expect([r.depth, r.fusedDepth, r.oneQubitGates, r.twoQubitGates, r.weights, r.inputs, r.inputRotations]).toEqual([
      10, 1, 10, 0, 6, 1, 4,
    ]);
  });

  it('counts the headline circuit (8 qubits, 3 layers)', () => {
    const r = circuitResources(reuploadingStronglyEntangling(8, 3));
    // per layer: 2·8 input rotations + 3·8 weight rotations + 8 CNOTs
    expect([r.oneQubitGates, r.twoQubitGates, r.totalGates]).toEqual([120, 24, 144]);
    expect([r.depth, r.fusedDepth]).toEqual([39, 27]);
    expect([r.weights, r.inputs, r.inputRotations, r.weightRotations, r.readouts]).toEqual([72, 8, 48, 72, 32]);
  });

  it('counts distinct angles, not rotations, for any template', () => {
    const shared = { kind: 'weight', layer: 0, wire: 0, k: 0 } as const;
    const template: CircuitTemplate = {
      name: 'tiny',
      nQubits: 3,
      nLayers: 1,
      nInputs: 1,
      nWeights: 1,
      gates: [
        { kind: 'RX', wire: 0, angle: { kind: 'input', index: 0 } },
        { kind: 'RY', wire: 1, angle: shared },
        { kind: 'RZ', wire: 2, angle: shared },
        { kind: 'CNOT', control: 0, target: 2 },
        { kind: 'RX', wire: 2, angle: { kind: 'input', index: 0 } },
      ],
      readout: [{ kind: 'Z', wire: 2 }],
    };
    const r = circuitResources(template);
    expect([r.weights, r.weightRotations, r.inputs, r.inputRotations]).toEqual([1, 2, 1, 2]);
    expect([r.depth, r.fusedDepth, r.oneQubitGates, r.twoQubitGates, r.readouts]).toEqual([3, 3, 4, 1, 1]);
  });
});
