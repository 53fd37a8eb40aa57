/**
 * The population fit on 1 thread and on a pool of N fit workers (issue 16), through the headless runner
 * (the app's code in headless Chromium): the headless `fit` command on a page with `?threads=1` (the
 * serial path, the page's main thread) and `?threads=N` (the fit split by subject across N fit-pool
 * workers, workers/fit-pool.ts), in one run, alternating which goes first, each fit on a fresh page
 * (so the workers' start is timed too). The trial: TRUTH_SCENARIOS' indirect-response scenario (IV
 * infusions written with ADDL/II, indirect inhibition of production: PK then PD by FOCE-I, covariance
 * steps included) simulated with 200 subjects (simulate-study.ts, seed 2003, as bench/fit-speed.ts).
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/threads-fit.ts [--no-build] [--out bench/results-threads-fit-DATE.json]
 *   BENCH_ROUNDS (default 3), BENCH_SUBJECTS (default 200), BENCH_THREADS (default 2).
 *
 * Prints JSON (also written to --out: the build's own messages go to stdout too): each run's seconds (the command's wall time seen from Node, and the fit's own seconds),
 * the medians and the ratio 1 thread / N threads, and whether the results are identical: the same
 * fingerprint of every number of the fit (src/pkpd/population/fit-fingerprint.ts) and the same report.
 * `parallel_capacity`: before and after the fits, the throughput of 2 Node worker threads running a
 * plain arithmetic loop relative to 1 (2.0 on two idle cores): how much of the second core other jobs
 * on this shared machine left to the run.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ingestText } from '../src/data/ingest';
import { simulateStudyTrial } from '../src/pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../src/pkpd/population/testing/truth-scenarios';
import { studySpecDocument } from '../src/store/study-file';
import { openHeadlessSession } from '../scripts/headless-driver';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const build = !process.argv.includes('--no-build');
const outAt = process.argv.indexOf('--out');
const out = outAt >= 0 ? process.argv[outAt + 1] : undefined;

const index = TRUTH_SCENARIOS.findIndex((s) => s.truth.pd?.family === 'indirect');
const scenario = TRUTH_SCENARIOS[index];
const seed = 2000 + index;
const csvText = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(SUBJECTS), seed).csv;
const check = ingestText(csvText, 'trial.csv');
if (!check.ok) throw new Error('the simulated trial did not ingest');
const specText = JSON.stringify(studySpecDocument(scenario.spec));
const args = { csvText, fileName: 'trial.csv', specText, specName: 'trial.study.json' };

interface FitOutput {
  seconds: number;
  threads: number;
  backend: string;
  fingerprint: string;
  [key: string]: unknown;
}

const seconds = (ms: number): number => Number((ms / 1000).toFixed(3));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Milliseconds for `n` worker threads to run the same arithmetic loop each, all at once. */
function loops(n: number): Promise<number> {
  const source = `let s = 0; for (let i = 0; i < 2e8; i++) s += Math.sqrt(i) * 1e-9; require('node:worker_threads').parentPort.postMessage(s);`;
  const started = performance.now();
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(source, { eval: true });
          worker.once('message', () => void worker.terminate().then(() => resolve()));
          worker.once('error', reject);
        }),
    ),
  ).then(() => performance.now() - started);
}

/** Throughput of 2 threads over 1 on the arithmetic loop (median of 3). */
async function parallelCapacity(): Promise<number> {
  const ratios: number[] = [];
  for (let i = 0; i < 3; i++) ratios.push((2 * (await loops(1))) / (await loops(2)));
  return Number(median(ratios).toFixed(2));
}

const capacityBefore = await parallelCapacity();
let built = !build;
async function runFit(threads: number): Promise<{ wall: number; output: FitOutput }> {
  const session = await openHeadlessSession({ build: !built, threads });
  built = true;
  try {
    const started = performance.now();
    const output = await session.run<FitOutput>('fit', args);
    return { wall: performance.now() - started, output };
  } finally {
    await session.close();
  }
}

/** The report without what may differ between thread counts: timings and the backend's wording. */
const comparable = (o: FitOutput): string => JSON.stringify({ ...o, seconds: null, threads: null, backend: null });

const load = { before: loadavg().map((v) => Number(v.toFixed(2))), after: [] as number[] };
const runs: Record<'serial' | 'pool', { wall: number[]; fit: number[] }> = { serial: { wall: [], fit: [] }, pool: { wall: [], fit: [] } };
const outputs: FitOutput[] = [];
const mismatches: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order: ('serial' | 'pool')[] = round % 2 === 0 ? ['serial', 'pool'] : ['pool', 'serial'];
  for (const which of order) {
    const { wall, output } = await runFit(which === 'serial' ? 1 : THREADS);
    const expected = which === 'serial' ? 1 : THREADS;
    if (output.threads !== expected) throw new Error(`the ${which} run used ${output.threads} threads, not ${expected}`);
    runs[which].wall.push(wall);
    runs[which].fit.push(output.seconds * 1000);
    if (outputs.length > 0) {
      if (output.fingerprint !== outputs[0].fingerprint)
        mismatches.push(`round ${round + 1} ${which}: fingerprint ${output.fingerprint} vs ${outputs[0].fingerprint}`);
      if (comparable(output) !== comparable(outputs[0])) mismatches.push(`round ${round + 1} ${which}: the reports differ`);
    }
    outputs.push(output);
    process.stderr.write(`round ${round + 1} ${which}: ${seconds(wall)} s (fit ${output.seconds} s)\n`);
  }
}
load.after = loadavg().map((v) => Number(v.toFixed(2)));
const capacityAfter = await parallelCapacity();

const med = (which: 'serial' | 'pool', what: 'wall' | 'fit'): number => median(runs[which][what]);
const report = {
  benchmark:
    `population fit (FOCE-I, PK then PD) of a ${SUBJECTS}-subject simulated trial: ` +
    `1 thread vs ${THREADS} fit workers, headless Chromium`,
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, Debian Chromium headless`,
  load_average_1_5_15: load,
  parallel_capacity: { before: capacityBefore, after: capacityAfter },
  scenario: scenario.name,
  subjects: SUBJECTS,
  seed,
  observations: (outputs[0] as { observations?: number }).observations,
  ofv: (outputs[0] as { ofv?: number }).ofv,
  rounds: ROUNDS,
  order: '1 thread first in rounds 1, 3, …; the pool first in rounds 2, 4, …; every fit on a fresh page (worker start-up included)',
  backends: { serial: outputs.find((o) => o.threads === 1)?.backend, pool: outputs.find((o) => o.threads === THREADS)?.backend },
  seconds: {
    threads_1: { wall: runs.serial.wall.map(seconds), fit: runs.serial.fit.map(seconds) },
    [`threads_${THREADS}`]: { wall: runs.pool.wall.map(seconds), fit: runs.pool.fit.map(seconds) },
  },
  median_s: {
    threads_1: { wall: seconds(med('serial', 'wall')), fit: seconds(med('serial', 'fit')) },
    [`threads_${THREADS}`]: { wall: seconds(med('pool', 'wall')), fit: seconds(med('pool', 'fit')) },
  },
  speedup: {
    wall: Number((med('serial', 'wall') / med('pool', 'wall')).toFixed(3)),
    fit: Number((med('serial', 'fit') / med('pool', 'fit')).toFixed(3)),
  },
  identical: mismatches.length === 0,
  compared:
    'the fingerprint of every number of the fit (every candidate’s OFV, iterations, evaluations, trace, estimates, SEs, ' +
    'intervals, covariance, EBEs, IPRED, IWRES, CWRES) and the whole report, across all runs',
  fingerprint: outputs[0].fingerprint,
  mismatches,
};
const text = `${JSON.stringify(report, null, 2)}\n`;
process.stdout.write(text);
if (out) writeFileSync(out, text);
