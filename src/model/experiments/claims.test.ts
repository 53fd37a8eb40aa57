import { memory } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-support';
import { runClaimsCheck } from './claims';
import { CLAIMS } from './verdicts';
import { TINY, watchedReferenceView } from './test-support';

beforeAll(useCpuBackend);

describe('claims check', () => {
  it('trains the quantum model and its control, then reads the test subjects exactly once per model', async () => {
    const log: string[] = [];
    const { view, finalEvaluations } = watchedReferenceView(log);
    const tensors = memory().numTensors;
    const result = await runClaimsCheck(
      view,
      { ...TINY, encoders: ['qnn-mlp'], qubits: 2, layers: 1 },
      {
        onProgress: (p) => log.push(`run ${p.run}${p.epoch ? ' epoch' : ''}`),
      },
    );

    expect(finalEvaluations()).toBe(2);
    // both final evaluations come after every training report of both models
    expect(log.slice(-2)).toEqual(['final-evaluation', 'final-evaluation']);
    expect(log.filter((e) => e === 'run 2 epoch')).toHaveLength(4);
    expect(memory().numTensors).toBe(tensors);

    expect(result.cancelled).toBe(false);
    const [q, c] = result.rows;
    expect([q.label, c.label]).toEqual(['QNN-MLP', 'QNN-MLP control']);
    expect([q.quantumBlocks, c.quantumBlocks]).toEqual(['circuit', 'width-matched-control']);
    // two networks (PK, PD) with one block each: 3·n·L = 6 circuit angles per block become 4n² + 4n = 24 weights
    expect(q.parameters.quantum).toBe(12);
    expect(c.parameters).toEqual({ classical: q.parameters.classical + 48, quantum: 0, total: q.parameters.classical + 48 });
    expect(c.epochsToControlBest).toBe(c.bestEpoch);
    expect(q.epochsToControlBest === null || [1, 2].includes(q.epochsToControlBest)).toBe(true);
    for (const row of result.rows) {
      expect(row.epochsRun).toBe(2);
      expect(row.inferenceMicroseconds).toBeGreaterThan(0);
      for (const set of [row.validation, row.test]) {
        for (const target of [set.pk, set.pd]) {
          expect(target !== null && Number.isFinite(target.rmseZ) && target.rmse > 0).toBe(true);
        }
      }
    }
    expect(q.test.pd).not.toEqual(c.test.pd);

    expect(result.verdicts.map((v) => [v.encoder, v.claim])).toEqual(CLAIMS.map((claim) => ['qnn-mlp', claim]));
    const parameters = result.verdicts[0];
    expect(parameters.holds).toBe(true);
    expect(parameters.text).toContain('36 fewer');
  });

  it('when cancelled during the control, drops the unfinished pair without reading the test subjects', async () => {
    const { view, finalEvaluations } = watchedReferenceView();
    const signal = { aborted: false };
    const result = await runClaimsCheck(
      view,
      { ...TINY, encoders: ['qnn-mlp', 'qmoe-resmlp'], qubits: 2, layers: 1 },
      {
        signal,
        onProgress: (p) => {
          if (p.run === 2 && p.epoch) signal.aborted = true;
        },
      },
    );
    expect(result).toEqual({ rows: [], verdicts: [], cancelled: true });
    expect(finalEvaluations()).toBe(0);
  });
});
