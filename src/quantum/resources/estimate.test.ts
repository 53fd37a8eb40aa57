import { describe, expect, it } from 'vitest';
import { QuantumShapeError } from '../errors';
import { estimateResources } from './estimate';

describe('estimateResources', () => {
  it('estimates the headline QNN-ResMLP-MoE (8 qubits, 3 layers, N_in 21)', () => {
    const e = estimateResources({ encoder: 'qnn-resmlp-moe', nQubits: 8, nLayers: 3, nInputs: 21 });
    expect(e.quantum).toBe(true);
    expect(e.circuit).toMatchObject({
      nQubits: 8,
      nLayers: 3,
      depth: 39,
      fusedDepth: 27,
      oneQubitGates: 120,
      twoQubitGates: 24,
      weights: 72,
    });
    expect(e.parameters).toMatchObject({ classical: 166_692, quantum: 288, total: 166_980, circuits: 4 });
    expect(e.classicalCounterpart).toMatchObject({ encoder: 'resmlp-moe', total: 205_376 });
    expect(e.head).toBe(2113);
    expect(e.poster.hybrid).toMatchObject({ classical: 176, quantum: 72, total: 248, nQubits: 8 });
    expect(e.poster.classical).toEqual({ shape: { nInputs: 21, nOutputs: 1, width: 8, layers: 3 }, parameters: 496 });
    expect(e.feasibility).toMatchObject({ verdict: 'noise-limited', bound: 9 });
  });

  it('has no circuit for a classical encoder and applies the poster formula at H and D', () => {
    const e = estimateResources({ encoder: 'resmlp-moe', nQubits: 8, nLayers: 3 });
    expect([e.quantum, e.circuit, e.feasibility, e.poster.hybrid]).toEqual([false, null, null, null]);
    expect(e.parameters).toMatchObject({ classical: 205_376, quantum: 0, total: 205_376 });
    expect(e.poster.classical).toEqual({ shape: { nInputs: 21, nOutputs: 1, width: 64, layers: 2 }, parameters: 17_792 });
  });

  it('passes N_in, quantum volume and architecture overrides through', () => {
    const e = estimateResources({ encoder: 'qnn-mlp', nQubits: 2, nLayers: 1, nInputs: 3, quantumVolume: 4, architecture: { hidden: 4 } });
    expect(e.parameters).toMatchObject({ classical: 148, quantum: 12 });
    expect(e.feasibility).toMatchObject({ bound: 2, widthOk: true, layersOk: true, elementaryDepthOk: false, verdict: 'noise-limited' });
    expect(e.config).toMatchObject({ nInputs: 3, hidden: 4, nQubits: 2, nLayers: 1 });
  });

  it('rejects shapes the template cannot build', () => {
    expect(() => estimateResources({ encoder: 'qnn-mlp', nQubits: 10, nLayers: 1 })).toThrow(QuantumShapeError);
    expect(() => estimateResources({ encoder: 'mlp', nQubits: 8, nLayers: 0 })).toThrow(QuantumShapeError);
  });
});
