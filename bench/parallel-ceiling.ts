/**
 * What 2 threads can give on this machine, whatever the app does (issue 16): the same one-thread job run
 * alone and then as two copies at once (`?threads=1`: no pool, no worker threads of the app), in one run:
 * the two copies each in its own headless Chromium (`browsers`), and on two pages of one Chromium
 * (`pages`: one browser, as a pool's workers are in one browser). A pool of 2 workers runs 2 such jobs at
 * once, so `ceiling = 2 × alone / pair` (the slower copy of the pair) bounds its speed-up: 2.0 where two
 * jobs do not slow each other, less where they share what the cores share (caches, memory bandwidth, the
 * host's scheduling of the virtual cores) or what one browser's processes share. Jobs, the units of the
 * pools' work:
 *
 *   - fit: the headless `fit` of the 200-subject PK/PD trial of bench/threads-fit.ts (FOCE-I, pure
 *     TypeScript: a fit pool runs this code split by subject);
 *   - training: one headless `train` of the training form's defaults (qnn-resmlp-moe, cascade, 8 qubits,
 *     3 layers; TF.js WebAssembly plus the float64 quantum simulator) at BENCH_EPOCHS epochs: an ablation
 *     cell's or a cv5 fold's work;
 *   - loop: a plain arithmetic loop in 2 Node worker threads (no memory traffic), for reference.
 *
 * Each job runs once on each browser first (compiled and warm), then alone, as a pair, and alone again
 * (the two alone runs' mean is `alone`), BENCH_ROUNDS times.
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/parallel-ceiling.ts [--no-build] [--out FILE.json]
 *   BENCH_ROUNDS (default 2), BENCH_EPOCHS (default 10).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { ingestText } from '../src/data/ingest';
import { simulateStudyTrial } from '../src/pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../src/pkpd/population/testing/truth-scenarios';
import { studySpecDocument } from '../src/store/study-file';
import { readEstDataCsv } from '../src/testing/fixture-files';
import { arithmeticLoops } from './arithmetic-loops';
import { openHeadlessSession, type HeadlessSession } from '../scripts/headless-driver';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 10);
const build = !process.argv.includes('--no-build');
const outAt = process.argv.indexOf('--out');
const out = outAt >= 0 ? process.argv[outAt + 1] : undefined;

const index = TRUTH_SCENARIOS.findIndex((s) => s.truth.pd?.family === 'indirect');
const scenario = TRUTH_SCENARIOS[index];
const trialCsv = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(200), 2000 + index).csv;
if (!ingestText(trialCsv, 'trial.csv').ok) throw new Error('the simulated trial did not ingest');

const JOBS = {
  fit: {
    command: 'fit',
    args: {
      csvText: trialCsv,
      fileName: 'trial.csv',
      specText: JSON.stringify(studySpecDocument(scenario.spec)),
      specName: 'trial.study.json',
    },
  },
  training: { command: 'train', args: { csvText: readEstDataCsv(), fileName: 'EstData.csv', epochs: EPOCHS } },
} as const;

const round3 = (x: number): number => Number(x.toFixed(3));
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Seconds of `job` on `session`, seen from Node. */
async function timed(session: HeadlessSession, job: (typeof JOBS)[keyof typeof JOBS]): Promise<number> {
  const started = performance.now();
  await session.run(job.command, job.args);
  return (performance.now() - started) / 1000;
}

const load = { before: loadavg().map((v) => Number(v.toFixed(2))), after: [] as number[] };
const results: Record<string, unknown> = {};

const loopRuns: { alone: number; pair: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const a = await arithmeticLoops(1);
  const pair = await arithmeticLoops(2);
  const b = await arithmeticLoops(1);
  loopRuns.push({ alone: (a + b) / 2000, pair: pair / 1000 });
}

const first = await openHeadlessSession({ build, threads: 1 });
const second = await openHeadlessSession({ build: false, threads: 1 });
const samePage = await first.openPage();
try {
  for (const [name, job] of Object.entries(JOBS)) {
    await Promise.all([timed(first, job), timed(second, job), timed(samePage, job)]);
    const pairs: Record<string, [HeadlessSession, HeadlessSession]> = { browsers: [first, second], pages: [first, samePage] };
    const result: Record<string, unknown> = {
      command: job.command,
      args: name === 'training' ? { fileName: 'EstData.csv', epochs: EPOCHS } : { fileName: 'trial.csv', subjects: 200 },
    };
    for (const [pairing, [a, b]] of Object.entries(pairs)) {
      const runs: { alone: number[]; pair: number[] }[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const before = await timed(a, job);
        const pair = await Promise.all([timed(a, job), timed(b, job)]);
        const after = await timed(b, job);
        runs.push({ alone: [before, after].map(round3), pair: pair.map(round3) });
      }
      result[pairing] = {
        seconds: runs,
        slowdown_in_pair: round3(mean(runs.map((run) => Math.max(...run.pair) / mean(run.alone)))),
        ceiling: round3(mean(runs.map((run) => (2 * mean(run.alone)) / Math.max(...run.pair)))),
      };
    }
    results[name] = result;
  }
} finally {
  await first.close();
  await second.close();
}
results.loop = {
  what: 'arithmetic loop, Node worker threads',
  seconds: loopRuns.map((r) => ({ alone: round3(r.alone), pair: round3(r.pair) })),
  ceiling: round3(mean(loopRuns.map((r) => (2 * r.alone) / r.pair))),
};
load.after = loadavg().map((v) => Number(v.toFixed(2)));

const report = {
  benchmark: 'the ceiling of 2 threads on this machine: one-thread jobs alone vs two copies at once (each in its own headless Chromium)',
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, Debian Chromium headless`,
  load_average_1_5_15: load,
  rounds: ROUNDS,
  ceiling: 'ceiling = 2 × alone / pair: the most a pool of 2 workers running such jobs side by side can gain',
  ...results,
};
const text = `${JSON.stringify(report, null, 2)}\n`;
if (out) writeFileSync(out, text);
process.stdout.write(text);
