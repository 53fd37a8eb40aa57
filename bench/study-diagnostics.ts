/**
 * Time of the diagnostics of a study fit (src/pkpd/diagnostics/study-diagnostics.ts `studyDiagnostics`:
 * individual curves on 800-point grids, and a VPC of BENCH_REPLICATES replicate trials, default 100)
 * after the fit, on EstData with its preset (public/demo/EstData.study.json) and on the three real
 * files of test-data/real with their specs (test-data/specs). Per dataset: subjects, observations,
 * VPC strata and bins per endpoint, the fit's seconds, and the diagnostics' seconds of BENCH_ROUNDS
 * runs (default 3) with their median; the diagnostics of every run must be identical (seeded).
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx bench/study-diagnostics.ts > bench/results-study-diagnostics-DATE.json
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { ingestText } from '../src/data/ingest';
import { studyDiagnostics, type StudyDiagnostics } from '../src/pkpd/diagnostics/study-diagnostics';
import type { VpcTarget } from '../src/pkpd/diagnostics/vpc';
import { fitStudy } from '../src/pkpd/population/fit-study';
import type { StudySpec } from '../src/study/study-spec';
import { describeSpecProblems, readStudySpecText } from '../src/study/study-spec-reader';
import { readEstDataCsv, readEstDataStudyText, readRealDatasetCsv, type RealDatasetName } from '../src/testing/fixture-files';

const REPLICATES = Number(process.env.BENCH_REPLICATES ?? 100);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

const seconds = (ms: number): number => Number((ms / 1000).toFixed(3));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function spec(text: string): StudySpec {
  const reading = readStudySpecText(text);
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

function vpcShape(v: VpcTarget | null): { strata: string[]; bins: number; binned: boolean } | null {
  return v ? { strata: v.strata.map((s) => s.label), bins: v.strata.reduce((a, s) => a + s.bins.length, 0), binned: v.binned } : null;
}

function measure(name: string, csv: string, fileName: string, studySpec: StudySpec): Record<string, unknown> {
  const ingested = ingestText(csv, fileName);
  if (!ingested.ok) throw new Error(`${fileName}: ${ingested.errors.map((e) => e.message).join('; ')}`);
  const fitStarted = performance.now();
  const fit = fitStudy(ingested.dataset, studySpec);
  const fitSeconds = seconds(performance.now() - fitStarted);
  const runs: number[] = [];
  let first: StudyDiagnostics | null = null;
  let identical = true;
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    const d = studyDiagnostics(fit, { vpcReplicates: REPLICATES, seed: 1 });
    runs.push(seconds(performance.now() - started));
    if (first) identical &&= isDeepStrictEqual(first, d);
    else first = d;
  }
  const d = first as StudyDiagnostics;
  return {
    dataset: name,
    model: { pk: fit.pk?.label ?? null, pd: fit.pd?.label ?? null },
    subjects: fit.study.subjects.length,
    observations: {
      pk: d.observations.filter((o) => o.target === 'pk').length,
      pd: d.observations.filter((o) => o.target === 'pd').length,
    },
    curves: d.curves.length,
    curve_points: d.curves.reduce((a, c) => a + c.time.length, 0),
    vpc: { replicates: REPLICATES, pk: vpcShape(d.vpc.pk), pd: vpcShape(d.vpc.pd) },
    fit_seconds: fitSeconds,
    diagnostics_seconds: runs,
    diagnostics_median_seconds: median(runs),
    identical_across_runs: identical,
  };
}

const REAL: { name: string; data: RealDatasetName; spec: string }[] = [
  { name: 'theophylline', data: 'theo_sd', spec: 'theophylline' },
  { name: 'phenobarbital', data: 'pheno_sd', spec: 'phenobarbital' },
  { name: 'mavoglurant', data: 'mavoglurant', spec: 'mavoglurant' },
];

const results = [measure('EstData', readEstDataCsv(), 'EstData.csv', spec(readEstDataStudyText()))];
for (const r of REAL) {
  const text = readFileSync(new URL(`../test-data/specs/${r.spec}.study.json`, import.meta.url), 'utf8');
  results.push(measure(r.name, readRealDatasetCsv(r.data), `${r.data}.csv`, spec(text)));
}

console.log(
  JSON.stringify(
    {
      bench: 'study-diagnostics',
      date: new Date().toISOString().slice(0, 10),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, note: 'shared VM, other jobs running' },
      replicates: REPLICATES,
      rounds: ROUNDS,
      results,
    },
    null,
    2,
  ),
);
