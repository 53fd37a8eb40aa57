import { Worker } from 'node:worker_threads';

export interface ScalingRow {
  workers: number;
  forward_gradient_samples_per_s: number;
  speedup_vs_one: number;
}

/** Forward + gradient throughput of the TS simulator split across 1..maxWorkers threads, each on its own share. */
export async function measureWorkerScaling(
  nQubits: number,
  nLayers: number,
  batch: number,
  maxWorkers: number,
  seconds: number,
): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  for (let workers = 1; workers <= maxWorkers; workers++) {
    const share = Math.ceil(batch / workers);
    const start = Date.now() + 3000; // time for the threads to load (tsx compiles) and warm up
    const deadline = start + seconds * 1000;
    const rates = await Promise.all(
      Array.from({ length: workers }, (_, k) => runWorker({ nQubits, nLayers, batch: share, seed: k + 1, start, deadline })),
    );
    const rate = rates.reduce((a, b) => a + b, 0);
    rows.push({
      workers,
      forward_gradient_samples_per_s: Math.round(rate),
      speedup_vs_one: rows.length ? Number((rate / rows[0].forward_gradient_samples_per_s).toFixed(2)) : 1,
    });
  }
  return rows;
}

function runWorker(data: {
  nQubits: number;
  nLayers: number;
  batch: number;
  seed: number;
  start: number;
  deadline: number;
}): Promise<number> {
  return new Promise((resolve, reject) => {
    const entry = new URL('./simulator-worker.ts', import.meta.url).href;
    const worker = new Worker(new URL('./tsx-worker.mjs', import.meta.url), { workerData: { ...data, entry } });
    worker.once('message', (samplesPerSecond: number) => resolve(samplesPerSecond));
    worker.once('error', reject);
  });
}
