/**
 * The study fit (src/pkpd/population) at full size, printed as JSON:
 *   - truth: every scenario of src/pkpd/population/testing/truth-scenarios.ts (each route and PD
 *     family) simulated with 200 subjects (seeds 2000 + index, and 3000 + index with BENCH_SEEDS=2),
 *     fitted through ingest and the study binding: each estimate beside its truth, its 95 % interval,
 *     whether the interval holds the truth, z, and the seconds the fit took; coverage over all;
 *   - speed: EstData fitted by `fitStudy` with its preset, median of BENCH_ROUNDS (default 5); with
 *     BENCH_BASELINE=DIR also by the EstData-only `fitPkpd` of a baseline checkout (this tree no longer
 *     holds it; bench/baseline.ts), interleaved, with a check that both give the same OFVs — without
 *     it those fields are null and `baseline` says so; and the 200-subject indirect response fit of
 *     the truth study.
 *
 *   - real (only with BENCH_ONLY=real): the three real files of test-data/real fitted with their specs
 *     (test-data/specs), beside published estimates with their sources.
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx bench/fit-truth.ts > bench/results-fit-truth-DATE.json
 *   BENCH_ONLY=real npx tsx bench/fit-truth.ts > bench/results-real-fits-DATE.json
 *   BENCH_ONLY=speed | truth    runs one part.
 *   DIR=/tmp/qpkpd-baseline && mkdir -p $DIR && git archive bc03053 src | tar -x -C $DIR && ln -sfn "$PWD/node_modules" $DIR/node_modules
 *   BENCH_BASELINE=$DIR BENCH_ONLY=speed npx tsx bench/fit-truth.ts     (fitStudy beside bc03053's fitPkpd)
 */
import { readFileSync } from 'node:fs';
import { ingestText } from '../src/data/ingest';
import { fitStudy, type StudyFitResult } from '../src/pkpd/population/fit-study';
import { studyFitReport } from '../src/pkpd/population/report';
import { simulateStudyTrial } from '../src/pkpd/population/simulate-study';
import { TRUTH_SCENARIOS, truthChecks, type TruthCheck } from '../src/pkpd/population/testing/truth-scenarios';
import { describeSpecProblems, readStudySpecText } from '../src/study/study-spec-reader';
import { readEstDataCsv, readEstDataStudyText, readRealDatasetCsv, type RealDatasetName } from '../src/testing/fixture-files';
import { baselineEstDataFitter, benchHeader } from './baseline';

const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200);
const SEEDS = Number(process.env.BENCH_SEEDS ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ONLY = process.env.BENCH_ONLY;

const round = (x: number, digits = 4): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function truthStudy(): unknown {
  const fits: unknown[] = [];
  const all: TruthCheck[] = [];
  TRUTH_SCENARIOS.forEach((scenario, index) => {
    for (let s = 0; s < SEEDS; s++) {
      const seed = 2000 + 1000 * s + index;
      const trial = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(SUBJECTS), seed);
      const ingested = ingestText(trial.csv, 'truth.csv');
      if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));
      const started = performance.now();
      const fit = fitStudy(ingested.dataset, scenario.spec);
      const seconds = (performance.now() - started) / 1000;
      const checks = truthChecks(scenario, fit);
      all.push(...checks);
      fits.push({
        scenario: scenario.name,
        seed,
        subjects: SUBJECTS,
        observations: fit.nObservations,
        seconds: round(seconds, 3),
        foce_seconds: [...fit.candidates.pk, ...fit.candidates.pd].map((f) => ({
          model: f.label,
          seconds: round(f.foce.elapsedMs / 1000, 3),
        })),
        converged: fit.comparison.every((c) => c.converged),
        covered: `${checks.filter((c) => c.truth >= c.lower && c.truth <= c.upper).length}/${checks.length}`,
        estimates: checks.map((c) => ({
          name: c.name,
          truth: c.truth,
          estimate: round(c.estimate),
          ci95: [round(c.lower), round(c.upper)],
          inside: c.truth >= c.lower && c.truth <= c.upper,
          z: round(c.z, 3),
        })),
      });
    }
  });
  const inside = all.filter((c) => c.truth >= c.lower && c.truth <= c.upper).length;
  return {
    coverage_95: round(inside / all.length, 3),
    checks: all.length,
    outside: all.filter((c) => !(c.truth >= c.lower && c.truth <= c.upper)).map((c) => `${c.scenario}: ${c.name} (z ${round(c.z, 3)})`),
    largest_abs_z: round(Math.max(...all.map((c) => Math.abs(c.z))), 3),
    fits,
  };
}

/** What this benchmark reads of the baseline's `fitPkpd` result (src/pkpd/pkpd-fit.ts at bc03053). */
interface BaselineFit {
  pkCandidates: { foce: { ofv: number } }[];
  pd: { foce: { ofv: number } };
}

async function speed(): Promise<unknown> {
  const ingested = ingestText(readEstDataCsv(), 'EstData.csv');
  if (!ingested.ok) throw new Error('EstData.csv did not ingest');
  const reading = readStudySpecText(readEstDataStudyText());
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  const data = ingested.dataset;
  const spec = reading.spec;
  const fitPkpd = await baselineEstDataFitter<BaselineFit>();
  // Warm both up once, then interleave.
  const today = fitPkpd?.() ?? null;
  const study = fitStudy(data, spec);
  const same = today
    ? study.candidates.pk.every((c, k) => c.foce.ofv === today.pkCandidates[k].foce.ofv) && study.pd?.foce.ofv === today.pd.foce.ofv
    : null;
  const oldMs: number[] = [];
  const newMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    if (fitPkpd) {
      fitPkpd();
      oldMs.push(performance.now() - t);
    }
    t = performance.now();
    fitStudy(data, spec);
    newMs.push(performance.now() - t);
  }
  const scenario = TRUTH_SCENARIOS.findIndex((s) => s.truth.pd?.family === 'indirect');
  const indirect = TRUTH_SCENARIOS[scenario];
  const trial = ingestText(
    simulateStudyTrial(indirect.spec, indirect.truth, indirect.design(SUBJECTS), 2000 + scenario).csv,
    'indirect.csv',
  );
  if (!trial.ok) throw new Error('the simulated trial did not ingest');
  const indirectMs: number[] = [];
  for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
    const t = performance.now();
    fitStudy(trial.dataset, indirect.spec);
    indirectMs.push(performance.now() - t);
  }
  return {
    estdata: {
      what: 'sequential PK (1 and 2 compartments, AIC) then PD (indirect, IPP), covariance steps included',
      same_estimates: same,
      fitPkpd_ms: fitPkpd ? oldMs.map((x) => Math.round(x)) : null,
      fitStudy_ms: newMs.map((x) => Math.round(x)),
      median_ms: { fitPkpd: fitPkpd ? Math.round(median(oldMs)) : null, fitStudy: Math.round(median(newMs)) },
      ratio: fitPkpd ? round(median(newMs) / median(oldMs), 3) : null,
    },
    indirect_200: {
      scenario: indirect.name,
      subjects: SUBJECTS,
      ms: indirectMs.map((x) => Math.round(x)),
      median_ms: Math.round(median(indirectMs)),
    },
  };
}

interface RealFit {
  data: RealDatasetName;
  spec: string;
  /** Quantities derived from the estimates, comparable with the published ones. */
  derived: (fit: StudyFitResult) => Record<string, number | null>;
  published: Record<string, unknown>;
}

/** Terminal half-life of a two-compartment typical subject (display units: L, L/h → h). */
function terminalHalfLife(e: StudyFitResult['estimates']): number {
  const k10 = e.CL.value / e.V.value;
  const k12 = e.Q.value / e.V.value;
  const k21 = e.Q.value / e.V2.value;
  const sum = k10 + k12 + k21;
  return Math.LN2 / ((sum - Math.sqrt(sum * sum - 4 * k10 * k21)) / 2);
}

const REAL_FITS: RealFit[] = [
  {
    data: 'theo_sd',
    spec: 'theophylline',
    derived: (f) => ({
      'CL per kg at 70 kg (L/h/kg)': round(f.estimates.CL.value / 70),
      'V per kg at 70 kg (L/kg)': round(f.estimates.V.value / 70),
      'KA (1/h)': round(f.estimates.KA.value),
      'ke = CL/V (1/h)': round(f.estimates.CL.value / f.estimates.V.value),
    }),
    published: {
      model: 'one compartment, first-order absorption; dose per kg; additive error',
      'Pinheiro & Bates (2000), Mixed-Effects Models in S and S-PLUS, Theoph (also the SAS/STAT PROC NLMIXED example "One-Compartment Model with Pharmacokinetic Data", whose starting values -3.22, 0.47, -2.45 for log CL, log ka, log ke sit at the published estimates)':
        { 'CL (L/h/kg)': '≈ 0.040', 'ka (1/h)': '≈ 1.5–1.6', 'ke (1/h)': '≈ 0.086', 'V = CL/ke (L/kg)': '≈ 0.46' },
      'nlmixr nlme fit of theo_sd (dose per kg), github.com/nlmixrdevelopment/nlmixr issue #50': {
        'ka (1/h)': 1.33,
        'CL (L/h/kg)': 0.0413,
        'V (L/kg)': 0.445,
        'BSV CV% ka / CL / V': [47.7, 22.2, 12.3],
        'additive SD (mg/L)': 1.02,
      },
      caveat:
        'the Pinheiro & Bates values are quoted to two digits from the literature and were not re-derived here; our error model is exponential (log scale), theirs additive, and our WT effect replaces dosing per kg',
    },
  },
  {
    data: 'pheno_sd',
    spec: 'phenobarbital',
    derived: (f) => ({
      'CL (L/h/kg)': round(f.estimates.CL.value),
      'V (L/kg)': round(f.estimates.V.value),
      'half-life (h)': round((Math.LN2 * f.estimates.V.value) / f.estimates.CL.value),
      'BSV SD of CL (log scale)': round(f.omega.CL?.sd ?? NaN, 3),
      'BSV SD of V (log scale)': round(f.omega.V?.sd ?? NaN, 3),
    }),
    published: {
      'Grasela & Donn, Dev Pharmacol Ther 1985;8:374–383 (abstract; NONMEM; 59 preterm neonates)': {
        'CL (L/h/kg)': 0.0047,
        'CV CL': '19 %',
        'V (L/kg)': 0.96,
        'CV V': '16 %',
        'half-life (h)': 141,
        'V with 5-min Apgar < 5': '+13 %',
      },
      caveat:
        'the Apgar effect needs a 0/1 column (APGR < 5) that spec version 1 cannot derive from APGR (no thresholds or derived columns), so this fit has no Apgar effect and its V averages both groups',
    },
  },
  {
    data: 'mavoglurant',
    spec: 'mavoglurant',
    derived: (f) => ({
      'CL (L/h, 70 kg)': round(f.estimates.CL.value),
      'V1 + V2 (L)': round(f.estimates.V.value + f.estimates.V2.value),
      'terminal half-life (h)': round(terminalHalfLife(f.estimates)),
    }),
    published: {
      'Walles et al., Drug Metab Dispos 2013;41:1626–1641 (200 mg oral [14C]mavoglurant, 4 subjects)': {
        'apparent terminal half-life (h)': 12,
      },
      'Wendling et al., J Pharmacokinet Pharmacodyn 2015;42:639–657':
        'these IV data fitted with a whole-body physiologically based model: no compartmental CL or V to compare',
      caveat: 'no published compartmental estimates of these IV infusion data were found; only the half-life is compared',
    },
  },
];

function realFits(): unknown {
  return REAL_FITS.map((r) => {
    const ingested = ingestText(readRealDatasetCsv(r.data), `${r.data}.csv`);
    if (!ingested.ok) throw new Error(`${r.data} did not ingest`);
    const reading = readStudySpecText(readFileSync(new URL(`../test-data/specs/${r.spec}.study.json`, import.meta.url), 'utf8'));
    if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
    const fit = fitStudy(ingested.dataset, reading.spec);
    return {
      data: `test-data/real/${r.data}.csv`,
      spec: `test-data/specs/${r.spec}.study.json`,
      fit: studyFitReport(fit),
      derived: r.derived(fit),
      published: r.published,
    };
  });
}

const report: Record<string, unknown> = benchHeader();
if (ONLY === undefined || ONLY === 'speed') report.speed = await speed();
if (ONLY === undefined || ONLY === 'truth') report.truth = truthStudy();
if (ONLY === 'real') report.real = realFits();
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
