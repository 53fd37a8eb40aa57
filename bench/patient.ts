/**
 * Speed of one patient's dosing (issue 14, src/patient) for the example patient
 * (test-data/patients/example.patient.json) under the example model
 * (test-data/models/estdata-published.study.json), in Node on this machine:
 *   - map_recommendation: read both documents, the MAP η with its Laplace covariance, and the
 *     recommendation from 500 draws of the Laplace approximation (no importance weights);
 *   - with_sampling: the headless command's path (`patientReport`: MAP, SIR with 2000 proposals and
 *     500 draws, the recommendation) plus the 90 % band of both endpoints over the 14 days (1-h grid);
 *   - interval_choice: `patientReport` for test-data/patients/intervals.patient.json (four candidate
 *     intervals: the recommendation at each, the smallest amount per day chosen);
 *   - phenobarbital: `patientReport` for the first neonate of test-data/real/pheno_sd.csv (its doses and
 *     levels) under the library's phenobarbital model (IV bolus, trough 15–40 µg/mL every 12 h);
 *   - the first (cold) run of each, then the median and largest of BENCH_ROUNDS (default 20) warm runs.
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/patient.ts > bench/results-patient-DATE.json
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { mapEstimate, PatientPosterior } from '../src/patient/map-estimate';
import { patientReport, readPatientInputs } from '../src/patient/patient-report';
import { laplaceSamples, predictionBand, samplePosterior } from '../src/patient/posterior-sampling';
import { recommendDose } from '../src/patient/recommend';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 20));
const modelText = readFileSync(new URL('../test-data/models/estdata-published.study.json', import.meta.url), 'utf8');
const patientText = readFileSync(new URL('../test-data/patients/example.patient.json', import.meta.url), 'utf8');
const intervalsText = readFileSync(new URL('../test-data/patients/intervals.patient.json', import.meta.url), 'utf8');
const phenoModelText = readFileSync(new URL('../test-data/models/phenobarbital-grasela1985.study.json', import.meta.url), 'utf8');

/** The first neonate of pheno_sd.csv as a patient record (bolus doses, levels; regimen every 12 h). */
function firstNeonate(): unknown {
  const lines = readFileSync(new URL('../test-data/real/pheno_sd.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const header = lines[0].split(',').map((h) => h.replaceAll('"', ''));
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], Number(v)])));
  const one = rows.filter((r) => r.ID === 1);
  return {
    format: 'qpkpd-patient',
    version: 1,
    covariates: { WT: one[0].WT, APGRLT5: one[0].APGR < 5 ? 1 : 0 },
    doses: one.filter((r) => r.EVID === 1).map((r) => ({ time: r.TIME, amount: r.AMT, route: 'iv' })),
    observations: one.filter((r) => r.MDV === 0).map((r) => ({ time: r.TIME, endpoint: 'pk', value: r.DV })),
    regimen: { interval: 12, route: 'iv', step: 0.5 },
    probability: 0.9,
  };
}
const neonate = firstNeonate();

function report(model: string, patient: unknown): { dose: number | null; interval: number; probability: number } {
  const { spec, model: population, record } = readPatientInputs(JSON.parse(model), patient);
  const r = patientReport(spec, population, record);
  return { dose: r.recommendation.dose, interval: r.recommendation.regimen.interval, probability: r.recommendation.probability };
}

function mapAndRecommendation(): { dose: number | null; probability: number } {
  const { spec, model, record } = readPatientInputs(JSON.parse(modelText), JSON.parse(patientText));
  const posterior = new PatientPosterior(spec, model, record);
  const map = mapEstimate(posterior);
  const rec = recommendDose(spec, model, posterior, laplaceSamples(map, { samples: 500, seed: 1 }));
  return { dose: rec.dose, probability: rec.probability };
}

function withSampling(): { dose: number | null; probability: number; effectiveSize: number } {
  const { spec, model, record } = readPatientInputs(JSON.parse(modelText), JSON.parse(patientText));
  const report = patientReport(spec, model, record);
  const posterior = new PatientPosterior(spec, model, record);
  const map = mapEstimate(posterior);
  const samples = samplePosterior(posterior, map);
  const times = Array.from({ length: 14 * 24 + 1 }, (_, i) => i);
  predictionBand(posterior, samples, 'pk', times);
  predictionBand(posterior, samples, 'pd', times);
  return { dose: report.recommendation.dose, probability: report.recommendation.probability, effectiveSize: report.sampling.effectiveSize };
}

function time<T>(run: () => T): { cold: number; median: number; largest: number; result: T } {
  let started = performance.now();
  const result = run();
  const cold = (performance.now() - started) / 1000;
  const warm: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    started = performance.now();
    run();
    warm.push((performance.now() - started) / 1000);
  }
  warm.sort((a, b) => a - b);
  const round = (s: number): number => Number(s.toFixed(4));
  return { cold: round(cold), median: round(warm[Math.floor(warm.length / 2)]), largest: round(warm[warm.length - 1]), result };
}

const a = time(mapAndRecommendation);
const b = time(withSampling);
const c = time(() => report(modelText, JSON.parse(intervalsText)));
const d = time(() => report(phenoModelText, neonate));
process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'patient',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      rounds: ROUNDS,
      seconds: {
        map_recommendation: { cold: a.cold, median: a.median, largest: a.largest },
        with_sampling: { cold: b.cold, median: b.median, largest: b.largest },
        interval_choice: { cold: c.cold, median: c.median, largest: c.largest },
        phenobarbital: { cold: d.cold, median: d.median, largest: d.largest },
      },
      targets: { map_recommendation: 1, with_sampling: 3, interval_choice: 3, phenobarbital: 3 },
      result: { laplace: a.result, sir: b.result, intervals: c.result, phenobarbital: d.result },
    },
    null,
    2,
  )}\n`,
);
