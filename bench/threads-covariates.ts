/**
 * The stepwise covariate search on 1 thread and on N (issue 16), through the headless runner (the app's
 * code in headless Chromium), in one run: the headless `covariates` command on EstData with its preset
 * (6 candidates; the search of bench/covariate-search.ts) on a page with `?threads=1` (the serial search,
 * the page's main thread) and `?threads=N` (each step's fits side by side on N fit workers, a lone fit
 * split by subject across them: workers/fit-pool.ts `fitOutcomes`). Each page runs the search once
 * (its code compiles, its workers start) and then BENCH_ROUNDS times, the two pages alternating.
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/threads-covariates.ts [--no-build] [--out FILE.json]
 *   BENCH_ROUNDS (default 3), BENCH_THREADS (default 2).
 *
 * Prints JSON: each run's seconds (the command's wall time seen from Node, and the search's own), the
 * medians, the ratio 1 thread / N threads, and whether every run's result (every step's rows, the
 * choices, the final model, the spec written back) is identical to the first 1-thread run's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { readEstDataCsv } from '../src/testing/fixture-files';
import { openHeadlessSession, type HeadlessSession } from '../scripts/headless-driver';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const build = !process.argv.includes('--no-build');
const outAt = process.argv.indexOf('--out');
const out = outAt >= 0 ? process.argv[outAt + 1] : undefined;
const args = {
  csvText: readEstDataCsv(),
  fileName: 'EstData.csv',
  specText: readFileSync(new URL('../public/demo/EstData.study.json', import.meta.url), 'utf8'),
  specName: 'EstData.study.json',
};

interface SearchOutput {
  seconds: number;
  fits: number;
  estimates: Record<string, number | null>;
  backend: string;
  fit_workers: number;
  [key: string]: unknown;
}

const round3 = (x: number): number => Number(x.toFixed(3));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const comparable = (o: SearchOutput): unknown => ({ ...o, seconds: null, backend: null, fit_workers: null });

async function timed(session: HeadlessSession): Promise<{ wall: number; output: SearchOutput }> {
  const started = performance.now();
  const output = await session.run<SearchOutput>('covariates', args);
  return { wall: round3((performance.now() - started) / 1000), output };
}

const load = { before: loadavg().map((v) => Number(v.toFixed(2))), after: [] as number[] };
const serial = await openHeadlessSession({ build, threads: 1 });
const pooled = await openHeadlessSession({ build: false, threads: THREADS });
const runs: Record<'threads_1' | 'threads_n', { wall: number; search: number }[]> = { threads_1: [], threads_n: [] };
let reference: unknown;
const mismatches: string[] = [];
let facts: { fits: number; chosen: string[]; backend: string; backend_n: string } | undefined;
try {
  const first = await timed(serial);
  reference = comparable(first.output);
  const warm = await timed(pooled);
  if (!isDeepStrictEqual(comparable(warm.output), reference)) mismatches.push('warm-up on N threads');
  facts = {
    fits: first.output.fits,
    chosen: Object.keys(first.output.estimates),
    backend: first.output.backend,
    backend_n: warm.output.backend,
  };
  for (let r = 0; r < ROUNDS; r++) {
    const order: ['threads_1' | 'threads_n', HeadlessSession][] = [
      ['threads_1', serial],
      ['threads_n', pooled],
    ];
    if (r % 2 === 1) order.reverse();
    for (const [name, session] of order) {
      const { wall, output } = await timed(session);
      runs[name].push({ wall, search: output.seconds });
      if (!isDeepStrictEqual(comparable(output), reference)) mismatches.push(`${name} round ${r + 1}`);
    }
  }
} finally {
  await serial.close();
  await pooled.close();
}
load.after = loadavg().map((v) => Number(v.toFixed(2)));

const med = (name: 'threads_1' | 'threads_n', what: 'wall' | 'search'): number => median(runs[name].map((r) => r[what]));
const report = {
  benchmark: `stepwise covariate search (EstData with its preset): 1 thread vs ${THREADS} threads, headless Chromium`,
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, Debian Chromium headless`,
  load_average_1_5_15: load,
  rounds: ROUNDS,
  order: 'each page warmed by one search (code compiled, workers started), then the pages alternate which goes first',
  threads: { threads_1: 1, threads_n: THREADS },
  search: facts,
  seconds: runs,
  median_s: {
    threads_1: { wall: med('threads_1', 'wall'), search: med('threads_1', 'search') },
    threads_n: { wall: med('threads_n', 'wall'), search: med('threads_n', 'search') },
  },
  speedup: {
    wall: round3(med('threads_1', 'wall') / med('threads_n', 'wall')),
    search: round3(med('threads_1', 'search') / med('threads_n', 'search')),
  },
  identical: mismatches.length === 0,
  compared: 'every field of the result but the timings and the backend: each step’s rows, the choices, the final model, the spec',
  mismatches,
};
const text = `${JSON.stringify(report, null, 2)}\n`;
if (out) writeFileSync(out, text);
process.stdout.write(text);
