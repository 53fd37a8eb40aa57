/**
 * Speed of the general study fit (src/pkpd/population/fit-study.ts through the structural engine)
 * against the EstData-only fit it replaces (src/pkpd/pkpd-fit.ts `fitPkpd`), in one process:
 *
 *   - estdata: EstData with its preset (public/demo/EstData.study.json) — PK with one and two
 *     compartments (AIC), then PD (indirect response, IPP), covariance steps included — fitted by the
 *     old and the new fitter in alternating order (old first in rounds 1, 3, 5, …, new first in 2, 4,
 *     …), after one warm-up fit of each. Seconds of every run, medians, new/old ratio of the medians,
 *     and a check that the two give identical numbers (OFV, iterations, every estimate and SE, every
 *     η, every CWRES — bit for bit, not "close") in every round; per-stage FOCE seconds of the last round.
 *   - indirect_200: the first indirect-response scenario of src/pkpd/population/testing/
 *     truth-scenarios.ts simulated with 200 subjects (simulate-study.ts, seed 2000 + index), new
 *     fitter only (the old one cannot read it).
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx bench/fit-speed.ts > bench/results-fit-speed-DATE.json
 *   BENCH_ROUNDS (default 9), BENCH_SUBJECTS (default 200), BENCH_INDIRECT_ROUNDS (default 3).
 *   BENCH_ONLY=old | new fits EstData BENCH_ROUNDS times with one fitter only (for `node --cpu-prof`,
 *   e.g. `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/fit-speed.ts`).
 */
import { cpus } from 'node:os';
import { ingestText } from '../src/data/ingest';
import type { FoceResult } from '../src/pkpd/foce';
import { fitPkpd, type PkpdFitResult } from '../src/pkpd/pkpd-fit';
import { fitStudy, type StudyFitResult } from '../src/pkpd/population/fit-study';
import { simulateStudyTrial } from '../src/pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../src/pkpd/population/testing/truth-scenarios';
import { describeSpecProblems, readStudySpecText } from '../src/study/study-spec-reader';
import { readEstDataCsv, readEstDataStudyText } from '../src/testing/fixture-files';

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

function stageSeconds(old: PkpdFitResult, fresh: StudyFitResult): Record<string, { old: number; new: number }> {
  const out: Record<string, { old: number; new: number }> = {};
  old.pkCandidates.forEach((c, k) => {
    out[`PK ${c.options.compartments}-compartment FOCE`] = {
      old: seconds(c.foce.elapsedMs),
      new: seconds(fresh.candidates.pk[k]?.foce.elapsedMs ?? Number.NaN),
    };
  });
  out['PD FOCE'] = { old: seconds(old.pd.foce.elapsedMs), new: seconds(fresh.pd?.foce.elapsedMs ?? Number.NaN) };
  return out;
}

function estdata(): unknown {
  // Warm-up (compilation), and the reference results every round is compared with.
  const reference = fitPkpd(data);
  const referenceNew = fitStudy(data, spec);
  const mismatches = differences(reference, referenceNew);
  const oldMs: number[] = [];
  const newMs: number[] = [];
  let last: { old: PkpdFitResult; fresh: StudyFitResult } | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const runOld = (): PkpdFitResult => {
      const { result, ms } = timed(() => fitPkpd(data));
      oldMs.push(ms);
      return result;
    };
    const runNew = (): StudyFitResult => {
      const { result, ms } = timed(() => fitStudy(data, spec));
      newMs.push(ms);
      return result;
    };
    let old: PkpdFitResult;
    let fresh: StudyFitResult;
    if (round % 2 === 0) {
      old = runOld();
      fresh = runNew();
    } else {
      fresh = runNew();
      old = runOld();
    }
    for (const m of differences(old, fresh)) mismatches.push(`round ${round + 1}: ${m}`);
    for (const m of differences(reference, fresh)) mismatches.push(`round ${round + 1} (new vs the warm-up's old): ${m}`);
    last = { old, fresh };
  }
  const medianOld = median(oldMs);
  const medianNew = median(newMs);
  return {
    what: 'sequential PK (1 and 2 compartments, AIC) then PD (indirect inhibit-production, IPP), covariance steps included',
    order: 'old first in rounds 1, 3, 5, …; new first in rounds 2, 4, 6, … (after one warm-up fit of each)',
    rounds: ROUNDS,
    identical: mismatches.length === 0,
    mismatches: mismatches.slice(0, 20),
    compared: 'OFV, iterations, every estimated parameter and its SE, every η, every CWRES of PK 1-cmt, PK 2-cmt and PD; total OFV',
    ofv: { pk1: reference.pkCandidates[0]?.foce.ofv, pk2: reference.pkCandidates[1]?.foce.ofv, pd: reference.pd.foce.ofv },
    old_fitPkpd_s: oldMs.map(seconds),
    new_fitStudy_s: newMs.map(seconds),
    median_s: { old: seconds(medianOld), new: seconds(medianNew) },
    ratio_new_over_old: Number((medianNew / medianOld).toFixed(3)),
    per_round_ratio: newMs.map((s, i) => Number((s / oldMs[i]).toFixed(3))),
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
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(timed(() => (ONLY === 'old' ? fitPkpd(data) : fitStudy(data, spec))).ms);
  process.stdout.write(`${JSON.stringify({ only: ONLY, seconds: runs.map(seconds), median_s: seconds(median(runs)) })}\n`);
} else {
  const report = {
    benchmark: 'EstData population fit: general study fit (fitStudy) vs the EstData-only fit (fitPkpd)',
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
    note: 'Node (tsx), one thread, on a 2-core VM shared with other jobs: alternating runs, medians; absolute times are upper bounds.',
    estdata: estdata(),
    indirect_200: indirect200(),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
