/**
 * The experiments' independent trainings on 1 thread and on a pool of N workers (issue 16), through the
 * headless runner (the app's code in headless Chromium), in one run:
 *
 *   - ablation: the headless `ablation` command's default grid (qnn-resmlp-moe, cascade, qubits 2, 4, 8 ×
 *     layers 1, 2, 3) on EstData with its preset, at BENCH_EPOCHS epochs per network (the default 300 with
 *     early stopping takes tens of minutes on 2 cores): `?threads=1` trains the 9 cells one after another in
 *     the experiments worker; `?threads=N` on its pool of N run workers (one TF.js thread each), the
 *     costliest cells first;
 *   - cv5: the headless `train` command with `split: 'cv5'` (the training form's defaults: qnn-resmlp-moe,
 *     cascade, 8 qubits, 3 layers) at BENCH_EPOCHS epochs: 5 folds one after another on the page, or on a
 *     pool of N fold workers.
 *
 * Each command runs on a fresh page (the workers' start is timed too), 1 thread first. Prints JSON: the
 * wall seconds seen from Node and the command's own, the ratio 1 thread / N threads, and whether the
 * results are identical (every number but the timings).
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/threads-experiments.ts [--no-build] \
 *     > bench/results-threads-experiments-DATE.json
 *   BENCH_EPOCHS (default 20), BENCH_THREADS (default 2), BENCH_ONLY=ablation | cv5.
 */
import { cpus, loadavg } from 'node:os';
import { readEstDataCsv } from '../src/testing/fixture-files';
import { openHeadlessSession } from '../scripts/headless-driver';

const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 20);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ONLY = process.env.BENCH_ONLY;
const build = !process.argv.includes('--no-build');
const file = { csvText: readEstDataCsv(), fileName: 'EstData.csv' };

interface Output {
  seconds: number;
  workers?: number;
  [key: string]: unknown;
}

const WORKLOADS = {
  ablation: { command: 'ablation', args: { ...file, epochs: EPOCHS } },
  cv5: { command: 'train', args: { ...file, split: 'cv5', epochs: EPOCHS } },
} as const;
type Workload = keyof typeof WORKLOADS;

const seconds = (ms: number): number => Number((ms / 1000).toFixed(2));

let built = !build;
async function run(workload: Workload, threads: number): Promise<{ wall: number; output: Output }> {
  const session = await openHeadlessSession({ build: !built, threads });
  built = true;
  try {
    const { command, args } = WORKLOADS[workload];
    const started = performance.now();
    const output = await session.run<Output>(command, args);
    return { wall: performance.now() - started, output };
  } finally {
    await session.close();
  }
}

/** Every number of a result but the timings and the worker count (a fold's or a cell's `seconds`, the command's). */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'seconds' && key !== 'workers')
        .map(([key, v]) => [key, comparable(v)]),
    );
  return value;
}

const load = { before: loadavg().map((v) => Number(v.toFixed(2))), after: [] as number[] };
const results: Record<string, unknown> = {};
for (const workload of Object.keys(WORKLOADS) as Workload[]) {
  if (ONLY && ONLY !== workload) continue;
  const serial = await run(workload, 1);
  process.stderr.write(`${workload} 1 thread: ${seconds(serial.wall)} s\n`);
  const pooled = await run(workload, THREADS);
  process.stderr.write(`${workload} ${THREADS} threads: ${seconds(pooled.wall)} s\n`);
  const same = JSON.stringify(comparable(serial.output)) === JSON.stringify(comparable(pooled.output));
  results[workload] = {
    command: WORKLOADS[workload].command,
    args: { ...WORKLOADS[workload].args, csvText: undefined },
    workers: { threads_1: serial.output.workers ?? 1, [`threads_${THREADS}`]: pooled.output.workers },
    seconds: {
      threads_1: { wall: seconds(serial.wall), command: serial.output.seconds },
      [`threads_${THREADS}`]: { wall: seconds(pooled.wall), command: pooled.output.seconds },
    },
    speedup: {
      wall: Number((serial.wall / pooled.wall).toFixed(3)),
      command: Number((serial.output.seconds / pooled.output.seconds).toFixed(3)),
    },
    identical: same,
    ...(workload === 'ablation'
      ? { cell_seconds: { threads_1: cellSeconds(serial.output), [`threads_${THREADS}`]: cellSeconds(pooled.output) } }
      : { fold_seconds: { threads_1: foldSeconds(serial.output), [`threads_${THREADS}`]: foldSeconds(pooled.output) } }),
  };
}
load.after = loadavg().map((v) => Number(v.toFixed(2)));

function cellSeconds(output: Output): Record<string, number> {
  const cells = output.cells as { qubits: number; layers: number; seconds: number }[];
  return Object.fromEntries(cells.map((c) => [`${c.qubits}x${c.layers}`, Number(c.seconds.toFixed(2))]));
}

function foldSeconds(output: Output): number[] {
  return (output.folds as { seconds: number }[]).map((f) => f.seconds);
}

process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: `experiments' independent trainings: 1 thread vs a pool of ${THREADS} workers, headless Chromium, EstData`,
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, Debian Chromium headless`,
      load_average_1_5_15: load,
      epochs: EPOCHS,
      order: '1 thread first, then the pool; every command on a fresh page (worker start-up included)',
      compared: 'every number of the results (cells; folds, their metrics and curves; the means and SDs) but the timings',
      ...results,
    },
    null,
    2,
  )}\n`,
);
