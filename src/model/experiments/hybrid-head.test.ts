/**
 * The experiments with the mechanistic head: each run a hybrid model (the encoder as the covariate
 * network of the study's population model), on a small trial of the nonlinear-clearance truth.
 */
import { memory } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelConfigError } from '../errors';
import { useCpuBackend } from '../test-support';
import { type AblationProgress, runAblation } from './ablation';
import { runClaimsCheck } from './claims';
import type { ExperimentProgress } from './progress';
import { hybridTrial, TINY_HYBRID, watchedView } from './test-support';
import { CLAIMS } from './verdicts';
import { NONLINEAR_SPEC } from '../mechanistic/testing/nonlinear-truth';

beforeAll(useCpuBackend);

const data = hybridTrial();
const finite = (x: number | null | undefined): boolean => typeof x === 'number' && Number.isFinite(x);

describe('experiments with the mechanistic head', () => {
  it('claims: trains a hybrid model per quantum encoder and control, tests each once, every number finite', async () => {
    const { view, finalEvaluations, log } = watchedView(data, NONLINEAR_SPEC);
    const progress: ExperimentProgress[] = [];
    const tensors = memory().numTensors;
    const result = await runClaimsCheck(
      view,
      { ...TINY_HYBRID, encoders: ['qnn-mlp'], qubits: 2, layers: 1 },
      {
        onProgress: (p) => {
          progress.push(p);
          log.push(`run ${p.run}`);
        },
      },
    );
    expect(result.cancelled).toBe(false);
    expect(finalEvaluations()).toBe(2);
    expect(log.slice(-2)).toEqual(['final-evaluation', 'final-evaluation']);
    expect(memory().numTensors).toBe(tensors);

    // Progress: the network step of each of the three rounds, each of at most 4 epochs.
    const epochs = progress.flatMap((p) => (p.epoch ? [p.epoch] : []));
    expect(new Set(epochs.map((e) => e.branch))).toEqual(new Set(['round1', 'round2', 'round3']));
    expect(epochs.every((e) => e.steps === 3 && e.step === Number(e.branch.slice(5)) && e.epoch <= 4)).toBe(true);
    const fractions = progress.map((p) => p.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);

    const [q, c] = result.rows;
    expect([q.label, c.label]).toEqual(['QNN-MLP', 'QNN-MLP control']);
    // One network, one block: 3·n·L = 6 circuit angles, in the control 4n² + 4n = 24 weights.
    expect(q.parameters.quantum).toBe(6);
    expect(c.parameters).toEqual({ classical: q.parameters.classical + 24, quantum: 0, total: q.parameters.classical + 24 });
    expect(c.epochsToControlBest).toBe(c.bestEpoch);
    for (const row of result.rows) {
      expect(finite(row.bestValLoss) && row.bestValLoss > 0).toBe(true);
      expect(row.bestEpoch >= 1 && row.bestEpoch <= row.epochsRun && row.epochsRun <= 4).toBe(true);
      expect(row.inferenceMicroseconds).toBeGreaterThan(0);
      expect(row.trainingSeconds).toBeGreaterThan(0);
      for (const set of [row.validation, row.test])
        for (const target of [set.pk, set.pd]) expect(target !== null && finite(target.rmseZ) && target.rmse > 0).toBe(true);
    }
    expect(q.test.pd).not.toEqual(c.test.pd);
    expect(result.verdicts.map((v) => [v.encoder, v.claim])).toEqual(CLAIMS.map((claim) => ['qnn-mlp', claim]));
    expect(result.verdicts[0]).toMatchObject({ holds: true });
    expect(result.verdicts[0].text).toContain('18 fewer');
  });

  it('ablation: one hybrid model per cell, validation metrics only, every number finite', async () => {
    const { view, finalEvaluations } = watchedView(data, NONLINEAR_SPEC);
    const progress: AblationProgress[] = [];
    const result = await runAblation(
      view,
      { ...TINY_HYBRID, encoder: 'qnn-mlp', qubits: [2, 1], layers: [1] },
      { onCell: (p) => progress.push(p) },
    );
    expect(result.cancelled).toBe(false);
    expect(result.cells.map((cell) => [cell.qubits, cell.layers])).toEqual([
      [2, 1],
      [1, 1],
    ]);
    for (const cell of result.cells) {
      expect(cell.parameters.quantum).toBe(3 * cell.qubits * cell.layers);
      for (const v of [cell.valPdRmseZ, cell.valPkRmseZ, cell.valPdRmse, cell.valPkRmse]) expect(finite(v) && (v as number) > 0).toBe(true);
      expect(cell.bestEpoch >= 1 && cell.bestEpoch <= cell.epochs && cell.epochs <= 4).toBe(true);
    }
    expect(finalEvaluations()).toBe(0);
    expect(progress.filter((p) => p.cell !== null).map((p) => p.cell)).toEqual(result.cells);
  });

  it('a cancel during a hybrid fit stops it: the claims drop the unfinished pair, the ablation keeps the finished cells', async () => {
    const claims = watchedView(data, NONLINEAR_SPEC);
    const signal = { aborted: false };
    const reports: string[] = [];
    const cancelled = await runClaimsCheck(
      claims.view,
      { ...TINY_HYBRID, encoders: ['qnn-mlp', 'qmoe-resmlp'], qubits: 2, layers: 1 },
      {
        signal,
        onProgress: (p) => {
          if (signal.aborted) reports.push(p.epoch ? 'epoch' : 'other');
          // In the control's first network step.
          if (p.run === 2 && p.epoch) signal.aborted = true;
        },
      },
    );
    expect(cancelled).toEqual({ rows: [], verdicts: [], cancelled: true });
    expect(claims.finalEvaluations()).toBe(0);
    expect(reports.filter((r) => r === 'epoch').length).toBeLessThanOrEqual(1);

    const stop = { aborted: false };
    let epochsAfterCancel = 0;
    const ablation = await runAblation(
      watchedView(data, NONLINEAR_SPEC).view,
      { ...TINY_HYBRID, encoder: 'qnn-mlp', qubits: [1], layers: [1, 2, 3] },
      {
        signal: stop,
        onCell: (p) => {
          if (stop.aborted && p.epoch) epochsAfterCancel++;
          // In the second cell's first network step.
          if (p.run === 2 && p.epoch) stop.aborted = true;
        },
      },
    );
    expect(ablation.cancelled).toBe(true);
    expect(ablation.cells.map((cell) => [cell.qubits, cell.layers])).toEqual([[1, 1]]);
    expect(epochsAfterCancel).toBeLessThanOrEqual(1);
  });

  it('refuses the mechanistic head without a study spec, before training', async () => {
    const { view } = watchedView(data, NONLINEAR_SPEC);
    const settings = { ...TINY_HYBRID, study: undefined };
    await expect(runAblation(view, { ...settings, encoder: 'qnn-mlp', qubits: [1], layers: [1] })).rejects.toThrow(ModelConfigError);
    await expect(runClaimsCheck(view, { ...settings, qubits: 1, layers: 1 })).rejects.toThrow('needs the study spec');
  });
});
