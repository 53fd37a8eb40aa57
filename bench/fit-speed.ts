/**
 * Speed of the general study fit (src/pkpd/population/fit-study.ts through the structural engine),
 * and — only with BENCH_BASELINE — beside the EstData-only fit it replaced (`fitPkpd`), which this
 * tree no longer holds: it is imported from a baseline checkout (bench/baseline.ts) and run in the
 * same process:
 *
 *   - estdata: EstData with its preset (public/demo/EstData.study.json) — PK with one and two
 *     compartments (AIC), then PD (indirect response, IPP), covariance steps included — fitted
 *     BENCH_ROUNDS times after one warm-up fit. With BENCH_BASELINE also the baseline's `fitPkpd`
 *     (its own ingest of EstData), in alternating order (old first in rounds 1, 3, 5, …, new first in
 *     2, 4, …): seconds of every run, medians, new/old ratio of the medians, and a check that the two
 *     give identical numbers (OFV, iterations, every estimate and SE, every η, every CWRES — bit for
 *     bit, not "close") in every round; per-stage FOCE seconds of the last round. Without it those
 *     fields are null and `baseline` says so.
 *   - indirect_200: the first indirect-response scenario of src/pkpd/population/testing/
 *     truth-scenarios.ts simulated with 200 subjects (simulate-study.ts, seed 2000 + index), new
 *     fitter only (the old one cannot read it).
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx bench/fit-speed.ts > bench/results-fit-speed-DATE.json
 *   DIR=/tmp/qpkpd-baseline && mkdir -p $DIR && git archive bc03053 src | tar -x -C $DIR && ln -sfn "$PWD/node_modules" $DIR/node_modules
 *   BENCH_BASELINE=$DIR flock /tmp/qpkpd-heavy.lock npx tsx bench/fit-speed.ts     (side by side with bc03053's fitPkpd)
 *   BENCH_ROUNDS (default 9), BENCH_SUBJECTS (default 200), BENCH_INDIRECT_ROUNDS (default 3).
 *   BENCH_ONLY=old | new fits EstData BENCH_ROUNDS times with one fitter only ('old' needs BENCH_BASELINE;
 *   for `node --cpu-prof`, e.g. `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/fit-speed.ts`).
 */
import { ingestText } from '../src/data/ingest';
import type { FoceResult } from '../src/pkpd/foce';
import { fitStudy, type StudyFitResult } from '../src/pkpd/population/fit-study';
import { simulateStudyTrial } from '../src/pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../src/pkpd/population/testing/truth-scenarios';
import { describeSpecProblems, readStudySpecText } from '../src/study/study-spec-reader';
import { readEstDataCsv, readEstDataStudyText } from '../src/testing/fixture-files';
import { BASELINE_NOTE, baselineEstDataFitter, benchHeader } from './baseline';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 9));
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200);
const INDIRECT_ROUNDS = Number(process.env.BENCH_INDIRECT_ROUNDS ?? 3);
const ONLY = process.env.BENCH_ONLY;

const seconds = (ms: number): number => Number((ms / 1000).toFixed(3));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const ingested = ingestText(readEstDataCsv(), 'EstData.csv');
if (!ingested.ok) throw new Error('EstData.csv did not ingest');
const reading = readStudySpecText(readEstDataStudyText());
if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
const data = ingested.dataset;
const spec = reading.spec;

/** What this benchmark reads of the baseline's `fitPkpd` result (src/pkpd/pkpd-fit.ts at bc03053). */
interface PkpdFitResult {
  pkCandidates: { options: { compartments: 1 | 2 }; foce: FoceResult }[];
  pk: { foce: FoceResult };
  pd: { foce: FoceResult };
}

const fitPkpd = await baselineEstDataFitter<PkpdFitResult>();

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

/** Differences between two FOCE results that should be the same fit (empty when identical). */
function foceDifferences(what: string, old: FoceResult, fresh: FoceResult): string[] {
  const out: string[] = [];
  if (fresh.ofv !== old.ofv) out.push(`${what}: OFV ${fresh.ofv} vs ${old.ofv}`);
  if (fresh.iterations !== old.iterations) out.push(`${what}: iterations ${fresh.iterations} vs ${old.iterations}`);
  // Fixed θ left out: the old one-compartment fit carries Q and V2 as fixed θ.
  const oldFree = old.parameters.filter((p) => !p.fixed);
  const newFree = fresh.parameters.filter((p) => !p.fixed);
  if (oldFree.length !== newFree.length) out.push(`${what}: ${newFree.length} estimated parameters vs ${oldFree.length}`);
  else
    oldFree.forEach((p, k) => {
      const q = newFree[k];
      if (!Object.is(q.estimate, p.estimate)) out.push(`${what}: ${q.name} ${q.estimate} vs ${p.name} ${p.estimate}`);
      if (!Object.is(q.se, p.se)) out.push(`${what}: SE of ${q.name} ${q.se} vs ${p.se}`);
    });
  const etas = (r: FoceResult): number[] => r.etas.flatMap((e) => Array.from(e));
  const cwres = (r: FoceResult): number[] => r.diagnostics.flatMap((d) => Array.from(d.cwres));
  const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  if (!same(etas(fresh), etas(old))) out.push(`${what}: empirical Bayes η differ`);
  if (!same(cwres(fresh), cwres(old))) out.push(`${what}: CWRES differ`);
  return out;
}

function differences(old: PkpdFitResult, fresh: StudyFitResult): string[] {
  const out: string[] = [];
  old.pkCandidates.forEach((c, k) => {
    const n = fresh.candidates.pk[k];
    if (!n) out.push(`PK ${c.options.compartments}-compartment: missing in the new fit`);
    else out.push(...foceDifferences(`PK ${c.options.compartments}-compartment`, c.foce, n.foce));
  });
  if (!fresh.pd) out.push('PD: missing in the new fit');
  else out.push(...foceDifferences('PD', old.pd.foce, fresh.pd.foce));
  const total = old.pk.foce.ofv + old.pd.foce.ofv;
  if (fresh.ofv !== total) out.push(`total OFV ${fresh.ofv} vs ${total}`);
  return out;
}

function stageSeconds(old: PkpdFitResult | null, fresh: StudyFitResult): Record<string, { old: number | null; new: number }> {
  const out: Record<string, { old: number | null; new: number }> = {};
  fresh.candidates.pk.forEach((c, k) => {
    const before = old?.pkCandidates[k]?.foce.elapsedMs;
    out[`${c.label} FOCE`] = { old: before === undefined ? null : seconds(before), new: seconds(c.foce.elapsedMs) };
  });
  out['PD FOCE'] = { old: old ? seconds(old.pd.foce.elapsedMs) : null, new: seconds(fresh.pd?.foce.elapsedMs ?? Number.NaN) };
  return out;
}

function estdata(): unknown {
  // Warm-up (compilation), and the reference results every round is compared with.
  const reference = fitPkpd?.() ?? null;
  const referenceNew = fitStudy(data, spec);
  const mismatches = reference ? differences(reference, referenceNew) : [];
  const oldMs: number[] = [];
  const newMs: number[] = [];
  let last: { old: PkpdFitResult | null; fresh: StudyFitResult } | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const runOld = (): PkpdFitResult | null => {
      if (!fitPkpd) return null;
      const { result, ms } = timed(fitPkpd);
      oldMs.push(ms);
      return result;
    };
    const runNew = (): StudyFitResult => {
      const { result, ms } = timed(() => fitStudy(data, spec));
      newMs.push(ms);
      return result;
    };
    let old: PkpdFitResult | null;
    let fresh: StudyFitResult;
    if (round % 2 === 0) {
      old = runOld();
      fresh = runNew();
    } else {
      fresh = runNew();
      old = runOld();
    }
    if (old) for (const m of differences(old, fresh)) mismatches.push(`round ${round + 1}: ${m}`);
    if (reference) for (const m of differences(reference, fresh)) mismatches.push(`round ${round + 1} (new vs the warm-up's old): ${m}`);
    last = { old, fresh };
  }
  const medianOld = fitPkpd ? median(oldMs) : Number.NaN;
  const medianNew = median(newMs);
  const pk = referenceNew.candidates.pk;
  return {
    what: 'sequential PK (1 and 2 compartments, AIC) then PD (indirect inhibit-production, IPP), covariance steps included',
    order: fitPkpd
      ? 'old first in rounds 1, 3, 5, …; new first in rounds 2, 4, 6, … (after one warm-up fit of each)'
      : 'the new fitter only (no BENCH_BASELINE), after one warm-up fit',
    rounds: ROUNDS,
    identical: reference ? mismatches.length === 0 : null,
    mismatches: mismatches.slice(0, 20),
    compared: reference
      ? 'OFV, iterations, every estimated parameter and its SE, every η, every CWRES of PK 1-cmt, PK 2-cmt and PD; total OFV'
      : null,
    ofv: { pk1: pk[0]?.foce.ofv, pk2: pk[1]?.foce.ofv, pd: referenceNew.pd?.foce.ofv },
    old_fitPkpd_s: fitPkpd ? oldMs.map(seconds) : null,
    new_fitStudy_s: newMs.map(seconds),
    median_s: { old: fitPkpd ? seconds(medianOld) : null, new: seconds(medianNew) },
    ratio_new_over_old: fitPkpd ? Number((medianNew / medianOld).toFixed(3)) : null,
    per_round_ratio: fitPkpd ? newMs.map((s, i) => Number((s / oldMs[i]).toFixed(3))) : null,
    last_round_stages_s: last ? stageSeconds(last.old, last.fresh) : undefined,
  };
}

function indirect200(): unknown {
  const index = TRUTH_SCENARIOS.findIndex((s) => s.truth.pd?.family === 'indirect');
  const scenario = TRUTH_SCENARIOS[index];
  const trial = ingestText(simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(SUBJECTS), 2000 + index).csv, 'indirect.csv');
  if (!trial.ok) throw new Error('the simulated trial did not ingest');
  const runs: number[] = [];
  let fit: StudyFitResult | undefined;
  for (let r = 0; r < INDIRECT_ROUNDS; r++) {
    const { result, ms } = timed(() => fitStudy(trial.dataset, scenario.spec));
    runs.push(ms);
    fit = result;
  }
  return {
    scenario: scenario.name,
    subjects: SUBJECTS,
    seed: 2000 + index,
    observations: fit?.nObservations,
    ofv: fit?.ofv,
    fitStudy_s: runs.map(seconds),
    median_s: seconds(median(runs)),
    stages_s: fit ? [...fit.candidates.pk, ...fit.candidates.pd].map((f) => ({ model: f.label, foce: seconds(f.foce.elapsedMs) })) : [],
  };
}

if (ONLY === 'old' || ONLY === 'new') {
  if (ONLY === 'old' && !fitPkpd)
    throw new Error('BENCH_ONLY=old runs the baseline’s fitPkpd: set BENCH_BASELINE (see bench/baseline.ts).');
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(timed(() => (ONLY === 'old' ? fitPkpd!() : fitStudy(data, spec))).ms);
  process.stdout.write(
    `${JSON.stringify({ only: ONLY, seconds: runs.map(seconds), median_s: seconds(median(runs)), baseline: BASELINE_NOTE })}\n`,
  );
} else {
  const report = {
    benchmark: fitPkpd
      ? 'EstData population fit: general study fit (fitStudy) vs the EstData-only fit (fitPkpd) of the baseline checkout'
      : 'EstData population fit: general study fit (fitStudy); set BENCH_BASELINE for the EstData-only fit beside it',
    ...benchHeader(),
    note: 'Node (tsx), one thread, on a 2-core VM shared with other jobs: alternating runs, medians; absolute times are upper bounds.',
    estdata: estdata(),
    indirect_200: indirect200(),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
