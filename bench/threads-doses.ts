/**
 * The dose questions on one thread and on a pool of workers (issue 16), in one run: the headless
 * `doses` command (`doses-mechanistic`: EstData with its preset, public/demo/EstData.study.json, at
 * N = 1000 virtual subjects, seed 1, 20 uncertainty replicates — as bench/results-doses-mechanistic-2026-11-24.json
 * was run) in headless Chromium with `--threads 1` (the serial path: no pool) and `--threads N` (N = the
 * cores, at least 2: the virtual subjects split over N dose workers, the replicates run N at once;
 * workers/dose-pool.ts). Each round runs both, the order alternating (1 then N, N then 1, …); the page
 * and its server are started once per thread count and the app built once.
 *
 * Printed and written (BENCH_OUT, default bench/results-threads-doses-<date>.json): per thread count the
 * page's own timings of every round (total, fit, questions, uncertainty — on N threads the fit is split
 * by subject across N fit workers, workers/fit-pool.ts, started with the page's first command and kept) and their medians; the ratios 1-thread / N-thread
 * of the medians (total, questions + uncertainty, each part); whether every round's answers, curves and
 * bands are identical to the first 1-thread round's (deep equality of the JSON: same doses, fractions,
 * intervals, bands); the machine: cores and load averages before and after.
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/threads-doses.ts
 *   BENCH_ROUNDS (default 3), BENCH_THREADS (default: the cores, at least 2), BENCH_N_VIRTUAL (default 1000), --no-build.
 */
import { isDeepStrictEqual } from 'node:util';
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { readDataFile } from '../scripts/headless-data-file';
import { openHeadlessSession, type HeadlessSession } from '../scripts/headless-driver';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const POOLED = Math.max(2, Number(process.env.BENCH_THREADS ?? cpus().length));
const N_VIRTUAL = Number(process.env.BENCH_N_VIRTUAL ?? 1000);
const date = new Date().toISOString().slice(0, 10);
const OUT = process.env.BENCH_OUT ?? `bench/results-threads-doses-${date}.json`;

interface DosesReport {
  answers: unknown;
  curves: unknown;
  uncertainty: unknown;
  seconds: number;
  timing_seconds: { fit: number; questions: number; uncertainty: number };
  dose_workers: number;
  results_digest: string;
}

interface Timing {
  total: number;
  fit: number;
  questions: number;
  uncertainty: number;
  questions_and_uncertainty: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round3 = (x: number): number => Number(x.toFixed(3));
const load = (): number[] => loadavg().map((x) => Number(x.toFixed(2)));

const file = readDataFile('public/demo/EstData.csv');
const args = { ...file, seed: 1, nVirtual: N_VIRTUAL };
const loadBefore = load();
const sessions = new Map<number, HeadlessSession>();
let built = process.argv.includes('--no-build');
for (const threads of [1, POOLED]) {
  sessions.set(threads, await openHeadlessSession({ build: !built, threads }));
  built = true;
}

const runs: Record<number, Timing[]> = { 1: [], [POOLED]: [] };
const workersSeen: Record<number, number[]> = { 1: [], [POOLED]: [] };
let reference: Pick<DosesReport, 'answers' | 'curves' | 'uncertainty' | 'results_digest'> | null = null;
const identical: { round: number; threads: number; results_digest: string; identical: boolean }[] = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    for (const threads of r % 2 === 0 ? [1, POOLED] : [POOLED, 1]) {
      const report = await sessions.get(threads)!.run<DosesReport>('doses-mechanistic', args);
      const t = report.timing_seconds;
      runs[threads].push({
        total: report.seconds,
        fit: t.fit,
        questions: t.questions,
        uncertainty: t.uncertainty,
        questions_and_uncertainty: round3(t.questions + t.uncertainty),
      });
      workersSeen[threads].push(report.dose_workers);
      const results = {
        answers: report.answers,
        curves: report.curves,
        uncertainty: report.uncertainty,
        results_digest: report.results_digest,
      };
      if (threads === 1 && reference === null) reference = results;
      identical.push({
        round: r + 1,
        threads,
        results_digest: report.results_digest,
        identical: reference === null || isDeepStrictEqual(results, reference),
      });
    }
  }
} finally {
  for (const session of sessions.values()) await session.close();
}

const medians = (threads: number): Timing => {
  const of = (key: keyof Timing): number => round3(median(runs[threads].map((t) => t[key])));
  return {
    total: of('total'),
    fit: of('fit'),
    questions: of('questions'),
    uncertainty: of('uncertainty'),
    questions_and_uncertainty: of('questions_and_uncertainty'),
  };
};
const serial = medians(1);
const pooled = medians(POOLED);
const ratio = (key: keyof Timing): number => round3(serial[key] / pooled[key]);
// Identity: every round against round 1's 1-thread run (which comes first), and the digests all equal.
const result = {
  benchmark: 'dose questions, 1 thread vs a pool of dose workers (headless doses-mechanistic)',
  date,
  data: 'public/demo/EstData.csv with its preset (public/demo/EstData.study.json)',
  settings: { n_virtual: N_VIRTUAL, seed: 1, uncertainty_replicates: 20, rounds: ROUNDS },
  machine: { cores: cpus().length, load_average_before: loadBefore, load_average_after: load() },
  threads: { serial: 1, pooled: POOLED, dose_workers: { 1: workersSeen[1], [POOLED]: workersSeen[POOLED] } },
  seconds: { 1: runs[1], [POOLED]: runs[POOLED] },
  median_seconds: { 1: serial, [POOLED]: pooled },
  speedup_1_over_pooled: {
    total: ratio('total'),
    questions_and_uncertainty: ratio('questions_and_uncertainty'),
    questions: ratio('questions'),
    uncertainty: ratio('uncertainty'),
    fit: ratio('fit'),
  },
  identical_results: identical.every((c) => c.identical) && new Set(identical.map((c) => c.results_digest)).size === 1,
  identity_checks: identical,
  notes: [
    'Timings are the page’s own (timing_seconds of doses-mechanistic): the fit, the questions (virtual subjects split by subject over the pool, worker start-up included) and the 20 uncertainty replicates (one job each on the pool).',
    'On N threads the fit is split by subject across N fit workers (workers/fit-pool.ts, started with the page’s first command and kept); on 1 thread it runs in the page’s main thread.',
    'Identical: answers (dose, fraction, CI, successes, MCTS dose, bands, flags, steady-state check), curve summaries and the uncertainty summary of each round deep-equal to the first 1-thread round’s, and results_digest (FNV-1a 64 of every answer’s and every curve’s numbers at full precision: points and bands, src/dose/answers-report.ts) the same in every round.',
  ],
};
const text = `${JSON.stringify(result, null, 2)}\n`;
writeFileSync(OUT, text);
process.stdout.write(text);
