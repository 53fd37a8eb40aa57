import { memory } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelConfigError } from '../errors';
import { useCpuBackend } from '../test-support';
import { type AblationProgress, runAblation } from './ablation';
import { TINY, watchedReferenceView } from './test-support';

beforeAll(useCpuBackend);

describe('qubits × layers ablation', () => {
  it('trains one model per cell, qubits outer and layers inner, on validation subjects only', async () => {
    const { view, finalEvaluations } = watchedReferenceView();
    const progress: AblationProgress[] = [];
    const tensors = memory().numTensors;
    const result = await runAblation(
      view,
      { ...TINY, encoder: 'qnn-mlp', qubits: [2, 1], layers: [1, 2] },
      { onCell: (p) => progress.push(p) },
    );

    expect(result.cancelled).toBe(false);
    expect(result.cells.map((c) => [c.qubits, c.layers])).toEqual([
      [2, 1],
      [2, 2],
      [1, 1],
      [1, 2],
    ]);
    for (const c of result.cells) {
      // independent mode: a PK and a PD network, one quantum block each with 3·n·L circuit angles
      expect(c.parameters.quantum).toBe(2 * 3 * c.qubits * c.layers);
      expect(c.parameters.total).toBe(c.parameters.classical + c.parameters.quantum);
      for (const v of [c.valPdRmseZ, c.valPkRmseZ, c.valPdRmse]) expect(v !== null && Number.isFinite(v) && v > 0).toBe(true);
      expect(c.epochs).toBe(2);
      expect([1, 2]).toContain(c.bestEpoch);
    }
    expect(finalEvaluations()).toBe(0);
    expect(memory().numTensors).toBe(tensors);

    // progress: per cell a start, each epoch of the PK then the PD branch, and the finished cell
    const firstCell = progress.filter((p) => p.run === 1);
    expect(firstCell.map((p) => (p.cell ? 'done' : p.epoch ? `${p.epoch.branch}${p.epoch.epoch}` : 'start'))).toEqual([
      'start',
      'pk1',
      'pk2',
      'pd1',
      'pd2',
      'done',
    ]);
    expect(progress.every((p) => p.runs === 4)).toBe(true);
    const fractions = progress.map((p) => p.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(progress.filter((p) => p.cell !== null).map((p) => p.cell)).toEqual(result.cells);
  });

  it('stops between cells when cancelled, returning the finished cells', async () => {
    const { view } = watchedReferenceView();
    const signal = { aborted: false };
    const result = await runAblation(
      view,
      { ...TINY, encoder: 'qnn-resmlp-moe', qubits: [2], layers: [1, 2, 3] },
      {
        signal,
        onCell: (p) => {
          if (p.cell) signal.aborted = true;
        },
      },
    );
    expect(result.cancelled).toBe(true);
    expect(result.cells.map((c) => [c.qubits, c.layers])).toEqual([[2, 1]]);
  });

  it('refuses classical encoders and empty, repeated or out-of-range axes before training', async () => {
    const { view } = watchedReferenceView();
    await expect(runAblation(view, { ...TINY, encoder: 'resmlp-moe', qubits: [2], layers: [1] })).rejects.toThrow(ModelConfigError);
    await expect(runAblation(view, { ...TINY, encoder: 'qnn-mlp', qubits: [], layers: [1] })).rejects.toThrow(
      'at least one value of qubits',
    );
    await expect(runAblation(view, { ...TINY, encoder: 'qnn-mlp', qubits: [2, 2], layers: [1] })).rejects.toThrow('repeated');
    await expect(runAblation(view, { ...TINY, encoder: 'qnn-mlp', qubits: [2], layers: [7] })).rejects.toThrow(
      'layers must be integers from 1 to 6',
    );
  });
});
