/**
 * A simulated truth whose covariate effect no covariate form of the spec can express: clearance
 * rises with body weight as a logistic step, CL = 5 · e^{0.6 tanh((WT − 75)/10)} (2.7 L/h below 55 kg,
 * 9.1 L/h above 100 kg), AGE a distractor without any effect. Oral one-compartment PK and an
 * indirect inhibition of the response's production, as EstData's model; daily doses for five days;
 * the spec's parametric guess is a power effect of WT and a linear effect of AGE on CL. Used by
 * hybrid-fit.test.ts and bench/hybrid.ts.
 */
import { ingestText } from '../../../data/ingest';
import type { Dataset } from '../../../data/types';
import type { StudyPopulationModel } from '../../../pkpd/population/fit-study';
import { networkColumn, networkEffects } from '../../../pkpd/population/parameter-model';
import { simulateStudyTrial, truthModel, type StudyTrialDesign } from '../../../pkpd/population/simulate-study';
import type { StudySpec } from '../../../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../../../study/study-spec-reader';

export const NONLINEAR_SPEC: StudySpec = (() => {
  const reading = readStudySpec({
    format: 'qpkpd-study',
    version: 1,
    name: 'nonlinear clearance',
    units: { time: 'h', amount: 'mg', concentration: 'mg/L', response: 'units' },
    endpoints: { pk: { dvid: 1 }, pd: { dvid: 2 } },
    groupBy: 'regimen',
    model: {
      pk: { route: 'oral', compartments: 1, lag: false },
      pd: { family: 'indirect', type: 'inhibit-production' },
      covariates: [
        { column: 'WT', on: 'CL', form: 'power', reference: 75 },
        { column: 'AGE', on: 'CL', form: 'linear', reference: 50 },
      ],
      randomEffects: ['CL', 'V', 'BASE'],
      error: { pk: { exponential: 0.15 }, pd: { proportional: 0.1 } },
    },
  });
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
})();

/** The true log shift of CL's typical value at a body weight. */
export const trueClShift = (wt: number): number => 0.6 * Math.tanh((wt - 75) / 10);
export const TRUE_CL = 5;

export const NONLINEAR_TRUTH: StudyPopulationModel = (() => {
  const structure = {
    pk: { route: 'oral' as const, compartments: 1 as const, lag: false },
    pd: { family: 'indirect' as const, type: 'inhibit-production' as const },
  };
  const model = truthModel(
    { ...NONLINEAR_SPEC, model: { ...NONLINEAR_SPEC.model, covariates: [] } },
    structure,
    { CL: TRUE_CL, V: 50, KA: 1, BASE: 10, IMAX: 0.9, IC50: 1, KOUT: 0.05, 'CL~network': 1 },
    { CL: 0.25, V: 0.15, BASE: 0.15 },
    { pk: { scale: 'log', additive: 0.15, proportional: 0 }, pd: { scale: 'natural', additive: 0, proportional: 0.1 } },
  );
  model.effects.push(...networkEffects(['CL'], structure.pd));
  return model;
})();

/** The truth's shift as a derived covariate (what the network has to learn). */
export const derivedTruth = (covariates: Readonly<Record<string, number>>): Record<string, number> => ({
  [networkColumn('CL')]: trueClShift(covariates.WT),
});

export function nonlinearDesign(subjects: number, interval = 24, count = 5): StudyTrialDesign {
  const last = interval * (count - 1);
  return {
    arms: [
      { dose: 50, subjects: Math.floor(subjects / 2) },
      { dose: 150, subjects: subjects - Math.floor(subjects / 2) },
    ],
    regimen: { route: 'oral', interval, count },
    pkTimes: [0.5, 1, 2, 4, 8, interval - 0.1, last + 0.5, last + 2, last + 4, last + 8, last + 24],
    pdTimes: [0, 4, 8, 24, 48, 72, last, last + 4, last + 12, last + 24, last + 48],
    covariates: { WT: { normal: [75, 15], range: [45, 120] }, AGE: { uniform: [20, 80] } },
    derived: derivedTruth,
  };
}

export function nonlinearTrial(subjects: number, seed: number, interval = 24, count = 5): Dataset {
  const trial = simulateStudyTrial(NONLINEAR_SPEC, NONLINEAR_TRUTH, nonlinearDesign(subjects, interval, count), seed);
  const ingested = ingestText(trial.csv, 'nonlinear.csv');
  if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));
  return ingested.dataset;
}
