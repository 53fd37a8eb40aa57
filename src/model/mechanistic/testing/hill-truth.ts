/**
 * A simulated truth with a structural misspecification a universal-ODE term can learn (../ude.ts):
 * the drug inhibits the production of the response as a steep Hill function (HILL = 3), while the
 * study spec the models are fitted with assumes HILL = 1 (an Emax model). Oral one-compartment PK;
 * daily doses for four days at two dose levels (50 and 200 mg, so that the concentrations span the
 * steep part: troughs 0.1–0.4, peaks 0.8–3 mg/L against IC50 = 1 mg/L); KOUT = 0.1/h, so the
 * response follows each day's concentration profile, where a Hill exponent of 3 and one of 1 differ
 * most. No covariates: what separates the models is the shape of the drug effect alone.
 */
import { ingestText } from '../../../data/ingest';
import type { Dataset } from '../../../data/types';
import type { StudyPopulationModel } from '../../../pkpd/population/fit-study';
import { simulateStudyTrial, truthModel, type StudyTrialDesign } from '../../../pkpd/population/simulate-study';
import type { StudySpec } from '../../../study/study-spec';
import { NONLINEAR_SPEC } from './nonlinear-truth';

/**
 * The study spec of the fitted models (HILL = 1: the misspecification): nonlinear-truth.ts's layout,
 * units and structure, without its covariate effects, with a smaller residual error on the response.
 */
export const HILL_SPEC: StudySpec = {
  ...NONLINEAR_SPEC,
  name: 'steep inhibition (simulated, HILL 3)',
  model: { ...NONLINEAR_SPEC.model, covariates: [], error: { pk: { exponential: 0.15 }, pd: { proportional: 0.05 } } },
};

export const TRUE_HILL = 3;

export const HILL_TRUTH: StudyPopulationModel = truthModel(
  HILL_SPEC,
  {
    pk: { route: 'oral', compartments: 1, lag: false },
    pd: { family: 'indirect', type: 'inhibit-production', sigmoid: true },
  },
  { CL: 5, V: 50, KA: 1, BASE: 10, KOUT: 0.1, IMAX: 0.9, IC50: 1, HILL: TRUE_HILL },
  { CL: 0.2, V: 0.1, BASE: 0.1 },
  { pk: { scale: 'log', additive: 0.15, proportional: 0 }, pd: { scale: 'natural', additive: 0, proportional: 0.05 } },
);

/** Daily oral doses (four), half the subjects at 50 mg and half at 200 mg; PD sampled densely on days 1 and 4. */
export function hillDesign(subjects: number): StudyTrialDesign {
  return {
    arms: [
      { dose: 50, subjects: Math.floor(subjects / 2) },
      { dose: 200, subjects: subjects - Math.floor(subjects / 2) },
    ],
    regimen: { route: 'oral', interval: 24, count: 4 },
    pkTimes: [0.5, 1, 2, 4, 8, 23.9, 72.5, 74, 76, 80, 96],
    pdTimes: [0, 1, 2, 4, 6, 8, 12, 24, 36, 48, 72, 73, 74, 76, 78, 80, 84, 96, 108, 120],
    covariates: {},
  };
}

/** A simulated trial of the truth: its CSV (as a file would hold it) and the ingested dataset. */
export function hillTrial(subjects: number, seed: number): { csv: string; dataset: Dataset } {
  const trial = simulateStudyTrial(HILL_SPEC, HILL_TRUTH, hillDesign(subjects), seed);
  const ingested = ingestText(trial.csv, 'hill-truth.csv');
  if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));
  return { csv: trial.csv, dataset: ingested.dataset };
}
