import { describe, expect, it } from 'vitest';
import { dense, denseNoBias, layerNorm, quantumBlockParameters } from './layer-parameters';

describe('layer parameter counts', () => {
  it('counts dense, bias-free dense and LayerNorm', () => {
    expect(dense(21, 64)).toBe(21 * 64 + 64);
    expect(denseNoBias(64, 4)).toBe(256);
    expect(layerNorm(64)).toBe(128);
  });

  it('counts a one-qubit quantum block 2 → 3 by hand', () => {
    // dense(2→1) 3 + LN(1) 2 + dense(1→4) 8 + α 1 + dense(4→3) 15 = 29; circuit 3·1·1
    expect(quantumBlockParameters({ inputs: 2, outputs: 3, nQubits: 1, nLayers: 1, readoutsPerQubit: 4, weightsPerQubitLayer: 3 })).toEqual(
      { classical: 29, quantum: 3 },
    );
  });

  it('counts the headline quantum block 64 → 256 (8 qubits, 3 layers)', () => {
    // dense(64→8) 520 + LN(8) 16 + dense(8→32) 288 + α 1 + dense(32→256) 8448
    expect(
      quantumBlockParameters({ inputs: 64, outputs: 256, nQubits: 8, nLayers: 3, readoutsPerQubit: 4, weightsPerQubitLayer: 3 }),
    ).toEqual({ classical: 9273, quantum: 72 });
  });
});
