/**
 * QNN-ResMLP-MoE training on 1 thread and on N (issue 16, scope 4 C), through the headless runner (the app's
 * code in headless Chromium): the headless `train` command with the encoder 'qnn-resmlp-moe' on EstData, the
 * default configuration (cascade, 8 qubits, 3 layers, seed 0, reference split, 300 epochs with early stopping,
 * backend auto), on a page with `?threads=1` (the serial path: TF.js WebAssembly on one thread, the quantum
 * layer in the page's thread) and `?threads=N` (TF.js WebAssembly threads, and the quantum layer's batches split
 * across the page's thread and N − 1 sub-workers, workers/qnn-threads.ts), in one run, alternating which goes
 * first, each training on a fresh page (worker start-up timed too).
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/threads-quantum.ts [--no-build] > bench/results-threads-quantum-DATE.json
 *   BENCH_ROUNDS (default 1), BENCH_THREADS (default 2), BENCH_EPOCHS (default: the default configuration's).
 *
 * Prints JSON: each run's seconds (the command's wall time seen from Node, and the training's own seconds), the
 * medians, the ratio 1 thread / N threads, the threads the quantum layer used, and whether the results are
 * identical: the metrics, epochs and loss curves of every run compared number by number.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { freshPageRunner } from './fresh-page';
import { median } from './quantum/throughput';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const EPOCHS = process.env.BENCH_EPOCHS ? Number(process.env.BENCH_EPOCHS) : undefined;
const build = !process.argv.includes('--no-build');
const FILE = 'public/demo/EstData.csv';
const args = {
  csvText: readFileSync(FILE, 'utf8'),
  fileName: 'EstData.csv',
  encoder: 'qnn-resmlp-moe',
  ...(EPOCHS ? { epochs: EPOCHS } : {}),
};

interface TrainOutput {
  config: Record<string, unknown>;
  metrics: unknown;
  epochs: unknown;
  curves: unknown;
  seconds: number;
  backend: { name: string };
  quantum_threads: number;
  quantum_kernels: { forwardMs: number; gradientMs: number };
}

const seconds = (ms: number): number => Number((ms / 1000).toFixed(3));
const runOnFreshPage = freshPageRunner(build);

/** What must be the same whatever the threads: the metrics, the epochs and every epoch's losses. */
const comparable = (o: TrainOutput): string => JSON.stringify({ metrics: o.metrics, epochs: o.epochs, curves: o.curves });

const load = { before: loadavg().map((v) => Number(v.toFixed(2))), after: [] as number[] };
const runs: Record<'serial' | 'threaded', { wall: number[]; train: number[]; quantumThreads: number[]; quantum: number[] }> = {
  serial: { wall: [], train: [], quantumThreads: [], quantum: [] },
  threaded: { wall: [], train: [], quantumThreads: [], quantum: [] },
};
const outputs: TrainOutput[] = [];
const mismatches: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order: ('serial' | 'threaded')[] = round % 2 === 0 ? ['serial', 'threaded'] : ['threaded', 'serial'];
  for (const which of order) {
    const { wall, output } = await runOnFreshPage<TrainOutput>('train', args, which === 'serial' ? 1 : THREADS);
    runs[which].wall.push(wall);
    runs[which].train.push(output.seconds * 1000);
    runs[which].quantumThreads.push(output.quantum_threads);
    runs[which].quantum.push(output.quantum_kernels.forwardMs + output.quantum_kernels.gradientMs);
    if (outputs.length > 0 && comparable(output) !== comparable(outputs[0]))
      mismatches.push(`round ${round + 1} ${which}: the results differ`);
    outputs.push(output);
    process.stderr.write(
      `round ${round + 1} ${which}: ${seconds(wall)} s (training ${output.seconds} s, quantum layer on ${output.quantum_threads} thread(s))\n`,
    );
  }
}
load.after = loadavg().map((v) => Number(v.toFixed(2)));

const med = (which: 'serial' | 'threaded', what: 'wall' | 'train'): number => median(runs[which][what]);
const report = {
  benchmark: `QNN-ResMLP-MoE training on EstData (headless train, default configuration${EPOCHS ? `, ${EPOCHS} epochs` : ''}): 1 thread vs ${THREADS}, headless Chromium`,
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, Debian Chromium headless`,
  load_average_1_5_15: load,
  config: outputs[0].config,
  backend: outputs[0].backend.name,
  rounds: ROUNDS,
  order: '1 thread first in rounds 1, 3, …; N threads first in rounds 2, 4, …; every training on a fresh page (worker start-up included)',
  quantum_threads: { threads_1: runs.serial.quantumThreads, [`threads_${THREADS}`]: runs.threaded.quantumThreads },
  seconds: {
    threads_1: { wall: runs.serial.wall.map(seconds), train: runs.serial.train.map(seconds) },
    [`threads_${THREADS}`]: { wall: runs.threaded.wall.map(seconds), train: runs.threaded.train.map(seconds) },
  },
  median_s: {
    threads_1: { wall: seconds(med('serial', 'wall')), train: seconds(med('serial', 'train')) },
    [`threads_${THREADS}`]: { wall: seconds(med('threaded', 'wall')), train: seconds(med('threaded', 'train')) },
  },
  quantum_kernels_s: {
    note: 'time inside the quantum layer’s kernels (forward and gradient, the wasm backend) per run; the rest of the training is TF.js’s classical ops and their dispatch',
    threads_1: runs.serial.quantum.map(seconds),
    [`threads_${THREADS}`]: runs.threaded.quantum.map(seconds),
    share_of_training_threads_1: Number((median(runs.serial.quantum) / med('serial', 'train')).toFixed(3)),
    quantum_speedup: Number((median(runs.serial.quantum) / median(runs.threaded.quantum)).toFixed(3)),
    classical_speedup: Number(
      ((med('serial', 'train') - median(runs.serial.quantum)) / (med('threaded', 'train') - median(runs.threaded.quantum))).toFixed(3),
    ),
  },
  speedup: {
    wall: Number((med('serial', 'wall') / med('threaded', 'wall')).toFixed(3)),
    train: Number((med('serial', 'train') / med('threaded', 'train')).toFixed(3)),
  },
  identical: mismatches.length === 0,
  compared: 'validation and test metrics, epochs run and best epoch, and every epoch’s training and validation loss, across all runs',
  metrics: outputs[0].metrics,
  mismatches,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
