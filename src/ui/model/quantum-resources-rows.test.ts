import { describe, expect, it } from 'vitest';
import { estimateResources } from '../../quantum/resources/estimate';
import { feasibilityView, resourceRows } from './quantum-resources-rows';

const byKey = (rows: ReturnType<typeof resourceRows>) => Object.fromEntries(rows.map((r) => [r.key, r]));

describe('resourceRows', () => {
  it('shows the headline QNN-ResMLP-MoE beside the poster', () => {
    const rows = byKey(resourceRows(estimateResources({ encoder: 'qnn-resmlp-moe', nQubits: 8, nLayers: 3, nInputs: 21 })));
    expect(Object.keys(rows)).toEqual([
      'qubits',
      'layers',
      'circuits',
      'depth',
      'fused-depth',
      'one-qubit-gates',
      'two-qubit-gates',
      'circuit-parameters',
      'classical-parameters',
      'total',
      'classical-comparison',
      'head',
    ]);
    expect([rows.qubits.ours, rows.qubits.poster, rows.layers.poster]).toEqual(['8', 'M_in = 8', 'L_qnn = 3']);
    expect([rows.depth.ours, rows['fused-depth'].ours, rows['fused-depth'].poster]).toEqual(['39', '27', 'T = 3']);
    expect([rows['one-qubit-gates'].ours, rows['two-qubit-gates'].ours]).toEqual(['120', '24']);
    expect(rows['circuit-parameters']).toMatchObject({
      ours: '288',
      poster: '72',
      detail: '4 circuits × 72 weights',
      formula: '3 · M_in · L_qnn',
    });
    expect(rows['classical-parameters']).toMatchObject({ ours: '166,692', poster: '176' });
    expect([rows.total.ours, rows.total.poster]).toEqual(['166,980', '248']);
    expect(rows['classical-comparison']).toMatchObject({ ours: '205,376', detail: 'ResMLP-MoE', poster: '496' });
    expect(rows.head).toMatchObject({ ours: '2,113', detail: '64 → 32 → 1' });
  });

  it('leaves circuit rows empty for a classical encoder', () => {
    const rows = byKey(resourceRows(estimateResources({ encoder: 'resmlp-moe', nQubits: 8, nLayers: 3 })));
    expect(Object.keys(rows)).not.toContain('classical-comparison');
    expect([rows.qubits.ours, rows.depth.ours, rows.circuits.ours, rows['circuit-parameters'].ours]).toEqual(['—', '—', '0', '0']);
    expect(rows.total).toMatchObject({ ours: '205,376', poster: '17,792' });
    expect(rows['classical-parameters'].formula).toContain('with M_in = 64, L_nn = 2');
  });
});

describe('feasibilityView', () => {
  it('maps verdicts to a badge and tone', () => {
    expect(feasibilityView(estimateResources({ encoder: 'qnn-resmlp-moe', nQubits: 8, nLayers: 3 }))).toMatchObject({
      tone: 'noise-limited',
      badge: 'Noise-limited',
    });
    expect(feasibilityView(estimateResources({ encoder: 'qnn-mlp', nQubits: 2, nLayers: 2 }))).toMatchObject({
      tone: 'fits',
      badge: 'Fits',
    });
    expect(feasibilityView(estimateResources({ encoder: 'qnn-mlp', nQubits: 8, nLayers: 1, quantumVolume: 64 }))).toMatchObject({
      tone: 'exceeds',
      badge: 'Exceeds device',
    });
    expect(feasibilityView(estimateResources({ encoder: 'mlp', nQubits: 8, nLayers: 3 }))).toEqual({
      tone: 'classical',
      badge: 'Classical',
      message: 'MLP runs no quantum circuit: no quantum hardware is needed.',
    });
  });
});
