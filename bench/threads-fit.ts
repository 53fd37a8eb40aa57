/**
 * The population fit on 1 thread and on a pool of N fit workers (issue 16), through the headless runner
 * (the app's code in headless Chromium): the headless `fit` command on a page with `?threads=1` (the
 * serial path, the page's main thread) and `?threads=N` (the fit split by subject across N fit-pool
 * workers, workers/fit-pool.ts), in one run, alternating which goes first: on a fresh page a cold fit
 * (the page's code compiles and, on N threads, the workers start: one headless command), then a warm
 * one on the same page (the pool kept, as the doses worker keeps it between runs). The trial:
 * TRUTH_SCENARIOS' indirect-response scenario (IV infusions written with ADDL/II, indirect inhibition of
 * production: PK then PD by FOCE-I, covariance steps included) simulated with 200 subjects
 * (simulate-study.ts, seed 2003, as bench/fit-speed.ts).
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/threads-fit.ts [--no-build] [--out FILE.json]
 *   BENCH_ROUNDS (default 3), BENCH_SUBJECTS (default 200), BENCH_THREADS (default 2); BENCH_DATA=estdata fits
 *   EstData with its preset instead (PK "auto": 1 and 2 compartments fitted side by side, then PD).
 *
 * Prints JSON (also written to --out: the build's own messages go to stdout too): each run's seconds
 * (the command's wall time seen from Node, and the fit's own seconds), the medians and the ratio
 * 1 thread / N threads, and whether the results are identical: the same fingerprint of every number
 * of the fit (src/pkpd/population/fit-fingerprint.ts) and the same report. `parallel_capacity`: before
 * and after the fits, the throughput of 2 Node worker threads running a plain arithmetic loop relative
 * to 1 (2.0 on two idle cores): how much of the second core other jobs on this shared machine left.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { ingestText } from '../src/data/ingest';
import { simulateStudyTrial } from '../src/pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../src/pkpd/population/testing/truth-scenarios';
import { studySpecDocument } from '../src/store/study-file';
import { readEstDataCsv } from '../src/testing/fixture-files';
import { arithmeticLoops } from './arithmetic-loops';
import { openHeadlessSession } from '../scripts/headless-driver';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const build = !process.argv.includes('--no-build');
const outAt = process.argv.indexOf('--out');
const out = outAt >= 0 ? process.argv[outAt + 1] : undefined;

const ESTDATA = process.env.BENCH_DATA === 'estdata';
const index = TRUTH_SCENARIOS.findIndex((s) => s.truth.pd?.family === 'indirect');
const scenario = TRUTH_SCENARIOS[index];
const seed = 2000 + index;
const csvText = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(SUBJECTS), seed).csv;
const check = ingestText(csvText, 'trial.csv');
if (!check.ok) throw new Error('the simulated trial did not ingest');
const specText = JSON.stringify(studySpecDocument(scenario.spec));
const args = ESTDATA
  ? {
      csvText: readEstDataCsv(),
      fileName: 'EstData.csv',
      specText: readFileSync(new URL('../public/demo/EstData.study.json', import.meta.url), 'utf8'),
      specName: 'EstData.study.json',
    }
  : { csvText, fileName: 'trial.csv', specText, specName: 'trial.study.json' };

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

/** Throughput of 2 threads over 1 on the arithmetic loop (median of 3). */
async function parallelCapacity(): Promise<number> {
  const ratios: number[] = [];
  for (let i = 0; i < 3; i++) ratios.push((2 * (await arithmeticLoops(1))) / (await arithmeticLoops(2)));
  return Number(median(ratios).toFixed(2));
}

const capacityBefore = await parallelCapacity();
let built = !build;
type Run = { wall: number; output: FitOutput };

/** The fit on a fresh page (cold: the page's code and, on N threads, its workers start), then again on the same page (warm). */
async function runFit(threads: number): Promise<{ cold: Run; warm: Run }> {
  const session = await openHeadlessSession({ build: !built, threads });
  built = true;
  const once = async (): Promise<Run> => {
    const started = performance.now();
    const output = await session.run<FitOutput>('fit', args);
    return { wall: performance.now() - started, output };
  };
  try {
    const cold = await once();
    return { cold, warm: await once() };
  } finally {
    await session.close();
  }
}

/** The report without what may differ between thread counts: timings and the backend's wording. */
const comparable = (o: FitOutput): string => JSON.stringify({ ...o, seconds: null, threads: null, backend: null });

const load = { before: loadavg().map((v) => Number(v.toFixed(2))), after: [] as number[] };
type Times = { wall: number[]; fit: number[]; warm_wall: number[]; warm_fit: number[] };
const runs: Record<'serial' | 'pool', Times> = {
  serial: { wall: [], fit: [], warm_wall: [], warm_fit: [] },
  pool: { wall: [], fit: [], warm_wall: [], warm_fit: [] },
};
const outputs: FitOutput[] = [];
const mismatches: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order: ('serial' | 'pool')[] = round % 2 === 0 ? ['serial', 'pool'] : ['pool', 'serial'];
  for (const which of order) {
    const { cold, warm } = await runFit(which === 'serial' ? 1 : THREADS);
    const expected = which === 'serial' ? 1 : THREADS;
    for (const { output } of [cold, warm]) {
      if (output.threads !== expected) throw new Error(`the ${which} run used ${output.threads} threads, not ${expected}`);
      if (outputs.length > 0) {
        if (output.fingerprint !== outputs[0].fingerprint)
          mismatches.push(`round ${round + 1} ${which}: fingerprint ${output.fingerprint} vs ${outputs[0].fingerprint}`);
        if (comparable(output) !== comparable(outputs[0])) mismatches.push(`round ${round + 1} ${which}: the reports differ`);
      }
      outputs.push(output);
    }
    runs[which].wall.push(cold.wall);
    runs[which].fit.push(cold.output.seconds * 1000);
    runs[which].warm_wall.push(warm.wall);
    runs[which].warm_fit.push(warm.output.seconds * 1000);
    process.stderr.write(
      `round ${round + 1} ${which}: cold ${seconds(cold.wall)} s (fit ${cold.output.seconds} s), ` +
        `warm ${seconds(warm.wall)} s (fit ${warm.output.seconds} s)\n`,
    );
  }
}
load.after = loadavg().map((v) => Number(v.toFixed(2)));
const capacityAfter = await parallelCapacity();

const med = (which: 'serial' | 'pool', what: keyof Times): number => median(runs[which][what]);
const listed = (t: Times) => ({
  cold: { wall: t.wall.map(seconds), fit: t.fit.map(seconds) },
  warm: { wall: t.warm_wall.map(seconds), fit: t.warm_fit.map(seconds) },
});
const medians = (which: 'serial' | 'pool') => ({
  cold: { wall: seconds(med(which, 'wall')), fit: seconds(med(which, 'fit')) },
  warm: { wall: seconds(med(which, 'warm_wall')), fit: seconds(med(which, 'warm_fit')) },
});
const ratio = (what: keyof Times): number => Number((med('serial', what) / med('pool', what)).toFixed(3));
const report = {
  benchmark:
    `population fit (FOCE-I, PK then PD) of ${ESTDATA ? 'EstData with its preset' : `a ${SUBJECTS}-subject simulated trial`}: ` +
    `1 thread vs ${THREADS} fit workers, headless Chromium`,
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, Debian Chromium headless`,
  load_average_1_5_15: load,
  parallel_capacity: { before: capacityBefore, after: capacityAfter },
  ...(ESTDATA
    ? { data: 'public/demo/EstData.csv with public/demo/EstData.study.json' }
    : { scenario: scenario.name, subjects: SUBJECTS, seed }),
  observations: (outputs[0] as { observations?: number }).observations,
  ofv: (outputs[0] as { ofv?: number }).ofv,
  rounds: ROUNDS,
  order:
    '1 thread first in rounds 1, 3, …; the pool first in rounds 2, 4, …; each on a fresh page: a cold fit (the page, and on N ' +
    'threads its workers, start: the headless command as run once), then a warm one on the same page (the pool kept, as the ' +
    'doses worker keeps it between runs)',
  backends: { serial: outputs.find((o) => o.threads === 1)?.backend, pool: outputs.find((o) => o.threads === THREADS)?.backend },
  seconds: { threads_1: listed(runs.serial), [`threads_${THREADS}`]: listed(runs.pool) },
  median_s: { threads_1: medians('serial'), [`threads_${THREADS}`]: medians('pool') },
  speedup: {
    cold: { wall: ratio('wall'), fit: ratio('fit') },
    warm: { wall: ratio('warm_wall'), fit: ratio('warm_fit') },
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
