/**
 * For tests: circuits other than the re-uploading template, to check that the WGSL generator and its table handle
 * any gate list (leading CNOTs, idle wires, trailing rotations, one angle on several wires of a stage,
 * a ZZ readout on one wire, readouts in any order).
 */
import type { CircuitTemplate } from '../template';

export const GENERIC_TEMPLATES: readonly CircuitTemplate[] = [
  {
    name: 'generic-check',
    nQubits: 3,
    nLayers: 2,
    nInputs: 2,
    nWeights: 18,
    gates: [
      { kind: 'CNOT', control: 2, target: 0 },
      { kind: 'RX', wire: 1, angle: { kind: 'input', index: 0 } },
      { kind: 'RZ', wire: 1, angle: { kind: 'weight', layer: 0, wire: 1, k: 2 } },
      { kind: 'RY', wire: 2, angle: { kind: 'input', index: 1 } },
      { kind: 'CNOT', control: 1, target: 0 },
      { kind: 'CNOT', control: 2, target: 1 },
      { kind: 'RY', wire: 0, angle: { kind: 'weight', layer: 1, wire: 0, k: 0 } },
      { kind: 'RX', wire: 0, angle: { kind: 'input', index: 1 } },
      { kind: 'RY', wire: 1, angle: { kind: 'weight', layer: 1, wire: 2, k: 1 } },
      { kind: 'CNOT', control: 0, target: 2 },
      { kind: 'RZ', wire: 2, angle: { kind: 'weight', layer: 0, wire: 0, k: 0 } },
      { kind: 'RX', wire: 2, angle: { kind: 'input', index: 0 } },
    ],
    readout: [
      { kind: 'Y', wire: 2 },
      { kind: 'ZZ', wires: [2, 0] },
      { kind: 'X', wire: 0 },
      { kind: 'Z', wire: 1 },
      { kind: 'X', wire: 2 },
      { kind: 'ZZ', wires: [1, 1] },
    ],
  },
  {
    // one input drives wires 0 and 3 in the same stage (and pass): their gradient updates must not race
    name: 'shared-angle-check',
    nQubits: 5,
    nLayers: 1,
    nInputs: 2,
    nWeights: 15,
    gates: [
      { kind: 'RY', wire: 0, angle: { kind: 'input', index: 0 } },
      { kind: 'RY', wire: 3, angle: { kind: 'input', index: 0 } },
      { kind: 'RX', wire: 1, angle: { kind: 'input', index: 1 } },
      { kind: 'RZ', wire: 0, angle: { kind: 'weight', layer: 0, wire: 0, k: 0 } },
      { kind: 'RX', wire: 3, angle: { kind: 'weight', layer: 0, wire: 0, k: 0 } },
      { kind: 'CNOT', control: 0, target: 4 },
      { kind: 'CNOT', control: 3, target: 1 },
      { kind: 'RY', wire: 4, angle: { kind: 'weight', layer: 0, wire: 4, k: 1 } },
      { kind: 'RY', wire: 1, angle: { kind: 'input', index: 1 } },
      { kind: 'RZ', wire: 1, angle: { kind: 'weight', layer: 0, wire: 1, k: 2 } },
      { kind: 'CNOT', control: 4, target: 2 },
      { kind: 'CNOT', control: 1, target: 0 },
    ],
    readout: [
      { kind: 'Z', wire: 2 },
      { kind: 'X', wire: 4 },
      { kind: 'Y', wire: 0 },
      { kind: 'ZZ', wires: [0, 3] },
      { kind: 'Y', wire: 4 },
      { kind: 'X', wire: 1 },
    ],
  },
];
