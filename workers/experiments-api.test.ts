import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { estDataSpec, loadEstData } from '../src/data/features/test-support';
import type { AblationCell, AblationOptions, AblationProgress, ClaimsOptions, ExperimentProgress } from '../src/model/experiments/index';
import { TINY } from '../src/model/experiments/test-support';
import { useCpuBackend } from '../src/model/test-support';
import { experimentsApi, runsApi } from './experiments-api';
import { FakeWorker, settle } from './test-support';

beforeAll(useCpuBackend);

let workers: FakeWorker[] = [];
afterEach(() => {
  workers.forEach((w) => w.terminate());
  workers = [];
});

/** The experiments worker's API with a pool of `size` run workers (fakes running the real run API in this thread). */
function api(size: number) {
  return experimentsApi({
    poolSize: () => size,
    startRunWorker: () => {
      const worker = new FakeWorker(runsApi);
      workers.push(worker);
      return worker as unknown as Worker;
    },
    locks: null,
  });
}

const data = loadEstData();
const ABLATION: AblationOptions = { ...TINY, study: estDataSpec(), encoder: 'qnn-mlp', qubits: [1, 3], layers: [1, 2] };
const CLAIMS: ClaimsOptions = { ...TINY, study: estDataSpec(), encoders: ['qnn-mlp', 'qmoe-resmlp'], qubits: 2, layers: 1 };
/** What must not differ between runs (the timings do). */
const untimed = (c: AblationCell) => ({ ...c, seconds: 0 });

describe('experiments worker API: runs on a pool of workers', () => {
  it('the ablation on a pool of 2 gives the serial cells, in the grid’s order, the costliest started first', async () => {
    const serialProgress: AblationProgress[] = [];
    const serial = await api(1).runAblation(data, 'reference', ABLATION, (p) => serialProgress.push(p), 'cpu');
    expect(workers).toHaveLength(0);
    expect(serial.workers).toBe(1);

    const progress: AblationProgress[] = [];
    const pooled = await api(2).runAblation(data, 'reference', ABLATION, (p) => progress.push(p), 'cpu');
    expect(pooled.workers).toBe(2);
    expect(workers).toHaveLength(2);
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(pooled.cancelled).toBe(false);
    expect(pooled.cells.map((c) => [c.qubits, c.layers])).toEqual([
      [1, 1],
      [1, 2],
      [3, 1],
      [3, 2],
    ]);
    // same seeds, same data: the same numbers to the last bit
    expect(pooled.cells.map(untimed)).toEqual(serial.cells.map(untimed));
    expect(pooled.backend).toEqual(serial.backend);

    // the two costliest cells (3 qubits) start first, one per worker; every cell reports epochs and its end
    const starts = progress.filter((p) => p.epoch === null && p.cell === null).map((p) => [p.qubits, p.layers]);
    expect(starts.slice(0, 2)).toEqual([
      [3, 2],
      [3, 1],
    ]);
    expect(progress.filter((p) => p.epoch !== null).length).toBe(serialProgress.filter((p) => p.epoch !== null).length);
    const finished = progress.filter((p) => p.cell !== null);
    expect(finished.map((p) => untimed(p.cell!)).sort((a, b) => a.qubits - b.qubits || a.layers - b.layers)).toEqual(
      serial.cells.map(untimed),
    );
    const fractions = progress.map((p) => p.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
  });

  it('cancel ends every pool worker; the cells finished before are returned', async () => {
    const experiments = api(2);
    const result = await experiments.runAblation(
      data,
      'reference',
      { ...ABLATION, qubits: [1, 2, 3] },
      (p) => {
        if (p.cell) experiments.cancel();
      },
      'cpu',
    );
    await settle();
    expect(result.cancelled).toBe(true);
    expect(result.cells.length).toBeGreaterThanOrEqual(1);
    expect(result.cells.length).toBeLessThan(6);
    expect(workers.length).toBe(2);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('the claims check on a pool of 2 gives the serial rows and verdicts, pair by pair', async () => {
    const serialProgress: ExperimentProgress[] = [];
    const serial = await api(1).runClaims(data, 'reference', CLAIMS, (p) => serialProgress.push(p), 'cpu');
    const progress: ExperimentProgress[] = [];
    const pooled = await api(2).runClaims(data, 'reference', CLAIMS, (p) => progress.push(p), 'cpu');
    expect(pooled.workers).toBe(2);
    expect(workers).toHaveLength(2);
    const untimedRow = (r: (typeof serial.rows)[number]) => ({ ...r, trainingSeconds: 0, inferenceMicroseconds: 0 });
    expect(pooled.rows.map((r) => r.label)).toEqual(['QNN-MLP', 'QNN-MLP control', 'QMoE-ResMLP', 'QMoE-ResMLP control']);
    expect(pooled.rows.map(untimedRow)).toEqual(serial.rows.map(untimedRow));
    // verdicts quote timings: compare which claims hold where the timing does not decide
    expect(pooled.verdicts.map((v) => [v.encoder, v.claim])).toEqual(serial.verdicts.map((v) => [v.encoder, v.claim]));
    expect([...new Set(progress.map((p) => p.run))].sort()).toEqual([1, 2, 3, 4]);
    expect(progress.filter((p) => p.epoch !== null)).toHaveLength(serialProgress.filter((p) => p.epoch !== null).length);
    expect(progress.at(-1)?.fraction).toBe(1);
  });
});
