import { describe, expect, it } from 'vitest';
import { QuantumShapeError } from '../errors';
import { DEFAULT_QUANTUM_VOLUME, hardwareFeasibility, quantumVolumeBound } from './feasibility';

describe('quantumVolumeBound', () => {
  it('is ⌊log2 QV⌋', () => {
    expect(DEFAULT_QUANTUM_VOLUME).toBe(512);
    expect([2, 64, 512, 1000, 1024].map(quantumVolumeBound)).toEqual([1, 6, 9, 9, 10]);
  });

  it.each([0, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects QV = %s', (qv) => {
    expect(() => quantumVolumeBound(qv)).toThrow(QuantumShapeError);
  });
});

describe('hardwareFeasibility', () => {
  it('flags the headline circuit as noise-limited on QV 512: fits 9 × 9 by layers, 27 gates deep', () => {
    const f = hardwareFeasibility({ nQubits: 8, nLayers: 3, elementaryDepth: 27 });
    expect(f).toMatchObject({
      quantumVolume: 512,
      bound: 9,
      widthOk: true,
      layersOk: true,
      posterRuleOk: true,
      elementaryDepthOk: false,
      verdict: 'noise-limited',
    });
    expect(f.message).toBe(
      "8 qubits × 3 layers fits a QV-512 device (≤ 9 × 9) by the poster's rule; the compiled circuit is 27 gates deep, beyond 9, so on today's hardware expect noise to dominate.",
    );
  });

  it('passes both checks for a shallow circuit', () => {
    const f = hardwareFeasibility({ nQubits: 2, nLayers: 1, elementaryDepth: 3 });
    expect([f.posterRuleOk, f.elementaryDepthOk, f.verdict]).toEqual([true, true, 'fits']);
    expect(f.message).toBe(
      "2 qubits × 1 layer fits a QV-512 device (≤ 9 × 9) by the poster's rule, and the compiled circuit is 3 gates deep, within 9: within reach of today's hardware.",
    );
    expect(hardwareFeasibility({ nQubits: 1, nLayers: 1, elementaryDepth: 1 }).message).toMatch(
      /^1 qubit × 1 layer fits .* is 1 gate deep/,
    );
  });

  it('accepts the edge 9 × 9 on QV 512', () => {
    expect(hardwareFeasibility({ nQubits: 9, nLayers: 9, elementaryDepth: 9 }).verdict).toBe('fits');
    expect(hardwareFeasibility({ nQubits: 9, nLayers: 9, elementaryDepth: 10 }).verdict).toBe('noise-limited');
  });

  it('flags too many qubits, too many layers, or both', () => {
    const wide = hardwareFeasibility({ nQubits: 8, nLayers: 3, elementaryDepth: 27, quantumVolume: 64 });
    expect([wide.bound, wide.widthOk, wide.layersOk, wide.verdict]).toEqual([6, false, true, 'exceeds']);
    expect(wide.message).toBe(
      "8 qubits × 3 layers does not fit a QV-64 device (≤ 6 × 6) by the poster's rule (too many qubits); the compiled circuit is 27 gates deep, beyond 6. Today's hardware cannot run it reliably: simulation only.",
    );
    const deep = hardwareFeasibility({ nQubits: 1, nLayers: 5, elementaryDepth: 1, quantumVolume: 16 });
    expect([deep.widthOk, deep.layersOk, deep.elementaryDepthOk, deep.verdict]).toEqual([true, false, true, 'exceeds']);
    expect(deep.message).toContain('(too many layers); the compiled circuit is 1 gate deep. Today');
    const both = hardwareFeasibility({ nQubits: 5, nLayers: 5, elementaryDepth: 30, quantumVolume: 16 });
    expect(both.message).toContain('(too many qubits and layers)');
  });

  it('rejects nonsense sizes', () => {
    expect(() => hardwareFeasibility({ nQubits: 0, nLayers: 1, elementaryDepth: 1 })).toThrow(/nQubits must be a positive integer/);
    expect(() => hardwareFeasibility({ nQubits: 1, nLayers: 1, elementaryDepth: 1, quantumVolume: 1 })).toThrow(/Quantum volume/);
  });
});
