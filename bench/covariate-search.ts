/**
 * The stepwise covariate search (src/pkpd/population/covariate-search.ts):
 * 1. EstData with its preset (public/demo/EstData.study.json): the preset's estimated effects are
 *    dropped and the search tests BW and COMED (DOSE: dose-like, the design) on CL, V and BASE (the
 *    parameters with random effects), forward at ΔOFV > 3.84, backward at ΔOFV > 6.63. The seconds
 *    (target: under 2 minutes), the fits, each step's table and the chosen `model.covariates`, beside
 *    the preset's own effects.
 * 2. Recovery: the simulated trial of src/pkpd/population/testing/covariate-trial.ts (100 subjects,
 *    WT on CL and SEX on V real, AGE and SMOKER distractors) with seeds 1 … COVARIATE_SEEDS (default
 *    10): how often the search ends with exactly the two real effects, what else it took or missed,
 *    and the seconds of each search.
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx bench/covariate-search.ts   (writes bench/results-covariate-search-DATE.json)
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { ingestText } from '../src/data/ingest';
import { covariateSearch } from '../src/pkpd/population/covariate-search';
import { covariateSearchReport } from '../src/pkpd/population/covariate-search-report';
import { covariateTrial, covariateTrialSpec, TRUE_EFFECTS } from '../src/pkpd/population/testing/covariate-trial';
import { describeSpecProblems, readStudySpecText } from '../src/study/study-spec-reader';
import { readEstDataCsv, readEstDataStudyText } from '../src/testing/fixture-files';

const SEEDS = Math.max(0, Number(process.env.COVARIATE_SEEDS ?? 10));
const seconds = (from: number): number => Number(((performance.now() - from) / 1000).toFixed(3));

const reading = readStudySpecText(readEstDataStudyText());
if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
const ingested = ingestText(readEstDataCsv(), 'EstData.csv');
if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));

const started = performance.now();
const estData = covariateSearch(ingested.dataset, reading.spec, {
  onStep: (s) => process.stderr.write(`EstData ${s.phase} ${s.step}: ${s.chosen ?? 'none'} (${seconds(started)} s)\n`),
});
const estDataSeconds = seconds(started);

const truth = TRUE_EFFECTS.map((e) => `${e.on}~${e.column}`).sort();
const recovery = [];
for (let seed = 1; seed <= SEEDS; seed++) {
  const dataset = covariateTrial(100, seed);
  const from = performance.now();
  const result = covariateSearch(dataset, covariateTrialSpec());
  const chosen = [...result.chosen].sort();
  recovery.push({
    seed,
    seconds: seconds(from),
    fits: result.fits,
    exact: chosen.join() === truth.join(),
    chosen,
    included: result.included,
    removed: result.removed,
    missed: truth.filter((t) => !chosen.includes(t)),
    extra: chosen.filter((c) => !truth.includes(c)),
    not_converged: result.steps.flatMap((s) => s.rows).filter((r) => !r.converged).length,
  });
  process.stderr.write(`seed ${seed}: ${chosen.join(', ')} (${seconds(from)} s)\n`);
}

const date = new Date().toISOString().slice(0, 10);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const report = {
  bench: 'covariate-search',
  date,
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, note: 'shared VM, other jobs may run' },
  estdata: {
    dataset: 'EstData (public/demo/EstData.csv) with its preset',
    ...covariateSearchReport(estData),
    seconds: estDataSeconds,
    target_seconds: 120,
    preset_covariates: reading.spec.model.covariates,
  },
  recovery: {
    trial: '100 subjects, oral 1-compartment, PK only; real: CL~WT (power 0.75), V~SEX (factor 0.7); distractors AGE, SMOKER',
    truth,
    seeds: SEEDS,
    exact: recovery.filter((r) => r.exact).length,
    median_seconds: median(recovery.map((r) => r.seconds)),
    runs: recovery,
  },
};
const path = new URL(`./results-covariate-search-${date}.json`, import.meta.url);
writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
console.log(
  JSON.stringify({
    estdata_seconds: estDataSeconds,
    chosen: estData.chosen,
    recovery: `${report.recovery.exact}/${SEEDS}`,
    file: path.pathname,
  }),
);
