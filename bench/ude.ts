/**
 * EXPERIMENTAL — the universal-ODE term (src/model/mechanistic/ude.ts, docs/ude.md) against a known
 * truth, printed as JSON: the drug inhibits production as a Hill function with HILL = 3
 * (src/model/mechanistic/testing/hill-truth.ts), the spec the models are fitted with assumes HILL = 1.
 * Per replicate (BENCH_UDE_REPLICATES, default 3; trial seeds 100 r + 1 and 100 r + 2): a training trial
 * of 60 subjects (48 teach the network, 12 stop it early; FOCE-I fits all 60) and a held-out trial of
 * BENCH_UDE_HELD_OUT (default 40) subjects that no model saw. Reported: the PD RMSE of the typical
 * predictions (η = 0) of the held-out subjects — the misspecified mechanistic model, the UDE, the
 * mechanistic model refitted with HILL estimated (the correct structure: what a modeller who knew would
 * do), and the truth's own typical predictions (the floor: what between-subject variability and
 * residual error leave) — with the training's epochs and seconds, and the trained UDE's periodicity
 * under 200 mg every 24 h (tolerance 1e-3).
 *
 *   flock /tmp/qpkpd-heavy.lock npx tsx scripts/vite-run.ts bench/ude.ts > /tmp/ude-truth.json
 *   BENCH_UDE_WRITE=DIR   also writes DIR/hill-truth.csv (80 subjects, seed 2026) and DIR/hill-truth.study.json
 *                         (the spec with HILL = 1), the files the headless `ude` command was run on.
 * TF.js on its CPU backend in Node.
 */
import '@tensorflow/tfjs-backend-cpu';
import { ready, setBackend } from '@tensorflow/tfjs-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { typicalValues } from '../src/model/mechanistic/hybrid-evaluation';
import { HILL_SPEC, HILL_TRUTH, hillTrial, TRUE_HILL } from '../src/model/mechanistic/testing/hill-truth';
import { disposeUdeModel, udePeriodicity } from '../src/model/mechanistic/ude';
import { fitUde, mechanisticTypical, pdRmse, udeTypical } from '../src/model/mechanistic/ude-fit';
import { fitStudy } from '../src/pkpd/population/fit-study';
import { bindStudy } from '../src/study/study-data';
import type { StudySpec } from '../src/study/study-spec';
import { benchHeader } from './baseline';

const REPLICATES = Number(process.env.BENCH_UDE_REPLICATES ?? 3);
const HELD_OUT = Number(process.env.BENCH_UDE_HELD_OUT ?? 40);
const EPOCHS = Number(process.env.BENCH_UDE_EPOCHS ?? 150);
const WRITE = process.env.BENCH_UDE_WRITE;

const round = (x: number, digits = 4): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);
const log = (message: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

const SIGMOID_SPEC: StudySpec = {
  ...HILL_SPEC,
  model: { ...HILL_SPEC.model, pd: { family: 'indirect', type: 'inhibit-production', sigmoid: true } },
};

/** One replicate: a training trial and a held-out trial of the truth (header). */
function runReplicate(r: number) {
  const started = performance.now();
  const train = hillTrial(60, 100 * r + 1).dataset;
  const heldOut = bindStudy(hillTrial(HELD_OUT, 100 * r + 2).dataset, HILL_SPEC).subjects;
  const study = bindStudy(train, HILL_SPEC);
  const ids = study.subjects.map((s) => s.id);
  const result = fitUde(study, {
    trainIds: ids.filter((_, i) => i % 5 !== 4),
    stopIds: ids.filter((_, i) => i % 5 === 4),
    epochs: EPOCHS,
  });
  const seconds = (performance.now() - started) / 1000;
  const refit = fitStudy(train, SIGMOID_SPEC, { covariance: false });
  const { values } = typicalValues(HILL_SPEC, result.population, [{}]);
  const periodic = udePeriodicity(result.model, values[0], { amount: 200, interval: 24, route: 'oral' }, { maxIntervals: 100 });
  const row = {
    seeds: [100 * r + 1, 100 * r + 2],
    pd_rmse_held_out: {
      mechanistic_hill1: round(pdRmse(mechanisticTypical(result, heldOut))),
      ude: round(pdRmse(udeTypical(result, heldOut))),
      refit_hill_estimated: round(pdRmse(mechanisticTypical({ spec: SIGMOID_SPEC, population: refit.model }, heldOut))),
      truth: round(pdRmse(mechanisticTypical({ spec: SIGMOID_SPEC, population: HILL_TRUTH }, heldOut))),
    },
    fitted: { hill1_theta: result.population.theta, refit_hill: round(refit.model.theta.HILL) },
    training: {
      epochs_run: result.history.length - 1,
      best_epoch: result.bestEpoch,
      stopped: result.stopped,
      loss_at_start: { train: round(result.history[0].train), stop: round(result.history[0].stop) },
      loss_at_best: { train: round(result.history[result.bestEpoch].train), stop: round(result.history[result.bestEpoch].stop) },
      c_ref: round(result.model.cRef),
      seconds: round(seconds, 3),
    },
    periodicity: {
      intervals: periodic.intervals,
      relative_difference: round(periodic.relativeDifference, 3),
      converged: periodic.converged,
    },
  };
  log(`replicate ${r}: ${JSON.stringify(row.pd_rmse_held_out)} (${row.training.seconds} s)`);
  disposeUdeModel(result.model);
  return row;
}

async function main(): Promise<void> {
  await setBackend('cpu');
  await ready();
  if (WRITE) {
    mkdirSync(WRITE, { recursive: true });
    writeFileSync(join(WRITE, 'hill-truth.csv'), hillTrial(80, 2026).csv);
    writeFileSync(join(WRITE, 'hill-truth.study.json'), `${JSON.stringify(HILL_SPEC, null, 2)}\n`);
    log(`wrote ${WRITE}/hill-truth.csv and hill-truth.study.json`);
  }
  const replicates: ReturnType<typeof runReplicate>[] = [];
  for (let r = 1; r <= REPLICATES; r++) replicates.push(runReplicate(r));
  const mean = (pick: (row: (typeof replicates)[number]) => number | null): number | null =>
    round(replicates.reduce((a, row) => a + (pick(row) ?? Number.NaN), 0) / replicates.length);
  process.stdout.write(
    `${JSON.stringify(
      {
        ...benchHeader(),
        backend: 'TF.js cpu (Node)',
        truth: { hill: TRUE_HILL, theta: HILL_TRUTH.theta, omega: HILL_TRUTH.omega, residual: HILL_TRUTH.residual },
        design: { train_subjects: 60, early_stop_subjects: 12, held_out_subjects: HELD_OUT, epochs: EPOCHS, learning_rate: 0.02 },
        replicates,
        mean_pd_rmse_held_out: {
          mechanistic_hill1: mean((row) => row.pd_rmse_held_out.mechanistic_hill1),
          ude: mean((row) => row.pd_rmse_held_out.ude),
          refit_hill_estimated: mean((row) => row.pd_rmse_held_out.refit_hill_estimated),
          truth: mean((row) => row.pd_rmse_held_out.truth),
        },
      },
      null,
      2,
    )}\n`,
  );
}

await main();
