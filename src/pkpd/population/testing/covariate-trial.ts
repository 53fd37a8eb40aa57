/**
 * A simulated trial with known covariate truth for the covariate search (../covariate-search.ts):
 * oral doses, one compartment, PK only, random effects on CL, V and KA; two real effects — body
 * weight on CL (power 0.75, reference 70 kg) and a 0/1 factor SEX on V (0.7) — and two distractors
 * the truth does not use: AGE (uniform 20–80 y) and a 0/1 column SMOKER (30 % ones). Units h, mg,
 * mg/L. The spec handed to the search has no covariate effects: it must find them.
 */
import type { StudySpec } from '../../../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../../../study/study-spec-reader';
import { ingestText } from '../../../data/ingest';
import type { Dataset } from '../../../data/types';
import type { StudyPopulationModel } from '../fit-study';
import { simulateStudyTrial, truthModel, type StudyTrialDesign } from '../simulate-study';

function studySpec(covariates: unknown[]): StudySpec {
  const reading = readStudySpec({
    format: 'qpkpd-study',
    version: 1,
    name: 'covariate truth',
    units: { time: 'h', amount: 'mg', concentration: 'mg/L', response: 'units' },
    endpoints: { pk: { dvid: 1 } },
    groupBy: 'regimen',
    model: {
      pk: { route: 'oral', compartments: 1, lag: false },
      covariates,
      randomEffects: ['CL', 'V', 'KA'],
      error: { pk: { exponential: 0.15 } },
    },
  });
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

/** The true effects, as a spec writes them. */
export const TRUE_EFFECTS = [
  { column: 'WT', on: 'CL', form: 'power', reference: 70 },
  { column: 'SEX', on: 'V', form: 'factor' },
] as const;

/** The spec the search starts from: no covariate effects. */
export const covariateTrialSpec = (): StudySpec => studySpec([]);

export const COVARIATE_TRUTH: StudyPopulationModel = truthModel(
  studySpec([...TRUE_EFFECTS]),
  { pk: { route: 'oral', compartments: 1, lag: false } },
  { CL: 4, V: 40, KA: 1, 'CL~WT': 0.75, 'V~SEX': 0.7 },
  { CL: 0.25, V: 0.2, KA: 0.3 },
  { pk: { scale: 'log', additive: 0.15, proportional: 0 } },
);

export function covariateTrialDesign(subjects: number): StudyTrialDesign {
  return {
    arms: [{ dose: 200, subjects }],
    regimen: { route: 'oral', interval: 24, count: 1 },
    pkTimes: [0.5, 1.5, 3, 6, 12, 24],
    pdTimes: [],
    covariates: {
      WT: { normal: [75, 15], range: [45, 120] },
      SEX: { share: 0.5 },
      AGE: { uniform: [20, 80] },
      SMOKER: { share: 0.3 },
    },
  };
}

/** The trial of `subjects` subjects drawn with `seed`, as a NONMEM-style CSV (the browser tests drop it). */
export function covariateTrialCsv(subjects: number, seed: number): string {
  return simulateStudyTrial(studySpec([...TRUE_EFFECTS]), COVARIATE_TRUTH, covariateTrialDesign(subjects), seed).csv;
}

/** The trial of `subjects` subjects drawn with `seed`, ingested. */
export function covariateTrial(subjects: number, seed: number): Dataset {
  const ingested = ingestText(covariateTrialCsv(subjects, seed), 'covariates.csv');
  if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));
  return ingested.dataset;
}
