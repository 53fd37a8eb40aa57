/**
 * The structures of the golden export tests: small deterministic models with fixed θ (data units),
 * each with a three-subject trial simulated from it (../../../pkpd/population/simulate-study.ts) and
 * bound as the fit would bind it, and each subject's simulated η. Every route, compartment count and
 * lag, every PD family (the four indirect types, sigmoid ones), the three covariate forms with the
 * allometric convention, and every residual form. Test support only.
 */
import { ingestText } from '../../../data/ingest';
import type { ResidualValues, StudyPopulationModel } from '../../../pkpd/population/fit-study';
import { simulateStudyTrial, truthModel, type StudyTrialDesign, type TrialRegimen } from '../../../pkpd/population/simulate-study';
import { bindStudy, type StudyData } from '../../../study/study-data';
import type { CovariateEffect, ModelParameter, StudySpec, StudyUnits } from '../../../study/study-spec';

export interface ExportCase {
  name: string;
  spec: StudySpec;
  model: StudyPopulationModel;
  study: StudyData;
  etas: Partial<Record<ModelParameter, number>>[];
}

interface CaseInput {
  name: string;
  units?: Partial<StudyUnits>;
  structure: Pick<StudyPopulationModel, 'pk' | 'pd'>;
  covariates?: CovariateEffect[];
  theta: Record<string, number>;
  omega: Partial<Record<ModelParameter, number>>;
  residual: StudyPopulationModel['residual'];
  regimen?: TrialRegimen;
}

const LOG_PK: ResidualValues = { scale: 'log', additive: 0.2, proportional: 0 };
const PROP_PD: ResidualValues = { scale: 'natural', additive: 0, proportional: 0.1 };

function exportCase(input: CaseInput): ExportCase {
  const pd = input.structure.pd;
  const spec: StudySpec = {
    format: 'qpkpd-study',
    version: 1,
    name: `Export ${input.name}`,
    units: { time: 'h', amount: 'mg', concentration: 'mg/L', response: 'score', ...input.units },
    endpoints: pd ? { pk: { dvid: 1 }, pd: { dvid: 2 } } : { pk: { dvid: 1 } },
    groupBy: 'regimen',
    model: {
      pk: { ...input.structure.pk },
      covariates: input.covariates ?? [],
      randomEffects: Object.keys(input.omega) as ModelParameter[],
    },
  };
  if (pd) spec.model.pd = { ...pd };
  const model = truthModel(spec, input.structure, input.theta, input.omega, input.residual);
  const design: StudyTrialDesign = {
    arms: [
      { dose: 100, subjects: 2 },
      { dose: 300, subjects: 1 },
    ],
    regimen: input.regimen ?? { route: input.structure.pk.route === 'oral' ? 'oral' : 'bolus', interval: 12, count: 2 },
    pkTimes: [0.5, 1, 2, 4, 8, 12.5, 16, 24],
    pdTimes: pd ? [0, 2, 6, 12, 18, 36] : [],
    covariates: { WT: { uniform: [50, 100] }, AGE: { uniform: [20, 80] }, SEX: { share: 0.5 } },
  };
  const trial = simulateStudyTrial(spec, model, design, 7);
  const ingested = ingestText(trial.csv, `${input.name}.csv`);
  if (!ingested.ok) throw new Error(`${input.name}: the simulated trial was not accepted`);
  return { name: input.name, spec, model, study: bindStudy(ingested.dataset, spec), etas: trial.subjects.map((s) => s.eta) };
}

const ORAL_1 = { route: 'oral', compartments: 1, lag: false } as const;
const IV_1 = { route: 'iv', compartments: 1, lag: false } as const;
const PK_1 = { CL: 3, V: 30, KA: 1.2 };

export function exportCases(): ExportCase[] {
  return [
    exportCase({
      name: 'oral-1cmt',
      structure: { pk: ORAL_1 },
      covariates: [{ column: 'WT', on: 'CL', form: 'power', reference: 70 }],
      theta: { ...PK_1, 'CL~WT': 0.75 },
      omega: { CL: 0.3, V: 0.2, KA: 0.4 },
      residual: { pk: LOG_PK },
    }),
    exportCase({
      name: 'oral-2cmt-lag',
      units: { concentration: 'ng/mL' },
      structure: { pk: { route: 'oral', compartments: 2, lag: true } },
      covariates: [
        { column: 'WT', on: 'V', form: 'power', reference: 70 },
        { column: 'AGE', on: 'CL', form: 'linear', reference: 50 },
      ],
      // mg and ng/mL: volumes in 1000 L.
      theta: { CL: 0.005, V: 0.04, KA: 1.1, TLAG: 0.4, Q: 0.002, V2: 0.08, 'V~WT': 1, 'CL~AGE': -0.006 },
      omega: { CL: 0.25, V2: 0.3, TLAG: 0.2 },
      residual: { pk: { scale: 'natural', additive: 0, proportional: 0.12 } },
    }),
    exportCase({
      name: 'iv-bolus-1cmt',
      structure: { pk: IV_1 },
      covariates: [{ column: 'SEX', on: 'CL', form: 'factor' }],
      theta: { CL: 3, V: 30, 'CL~SEX': 0.8 },
      omega: { CL: 0.3 },
      residual: { pk: { scale: 'natural', additive: 0.05, proportional: 0.1 } },
    }),
    exportCase({
      name: 'iv-infusion-2cmt',
      structure: { pk: { route: 'iv', compartments: 2, lag: false } },
      covariates: [{ column: 'WT', on: 'CL', form: 'power', reference: 70 }],
      theta: { CL: 3, V: 20, Q: 2, V2: 40, 'CL~WT': 0.75 },
      omega: { CL: 0.3, V: 0.2 },
      residual: { pk: { scale: 'natural', additive: 0.05, proportional: 0.1, combined: 'sum-of-sds' } },
      regimen: { route: 'infusion', interval: 12, count: 2, duration: 1.5 },
    }),
    exportCase({
      name: 'direct-increase',
      structure: { pk: ORAL_1, pd: { family: 'direct', direction: 'increase', sigmoid: false } },
      covariates: [{ column: 'SEX', on: 'EMAX', form: 'factor' }],
      theta: { ...PK_1, E0: 10, EMAX: 40, EC50: 2, 'EMAX~SEX': 1.3 },
      omega: { CL: 0.3, EC50: 0.3 },
      residual: { pk: LOG_PK, pd: { scale: 'natural', additive: 1.5, proportional: 0 } },
    }),
    exportCase({
      name: 'direct-decrease-sigmoid',
      structure: { pk: IV_1, pd: { family: 'direct', direction: 'decrease', sigmoid: true } },
      theta: { CL: 3, V: 30, E0: 100, IMAX: 0.8, IC50: 2, HILL: 2.5 },
      omega: { CL: 0.3, IMAX: 0.5, E0: 0.1 },
      residual: { pk: LOG_PK, pd: PROP_PD },
    }),
    exportCase({
      name: 'effect-compartment',
      structure: { pk: ORAL_1, pd: { family: 'effect-compartment', direction: 'increase', sigmoid: false } },
      covariates: [{ column: 'AGE', on: 'KE0', form: 'linear', reference: 50 }],
      theta: { ...PK_1, E0: 5, EMAX: 30, EC50: 1.5, KE0: 0.3, 'KE0~AGE': 0.01 },
      omega: { CL: 0.3, KE0: 0.4 },
      residual: { pk: LOG_PK, pd: { scale: 'natural', additive: 1, proportional: 0.05 } },
    }),
    exportCase({
      name: 'effect-compartment-sigmoid',
      structure: { pk: IV_1, pd: { family: 'effect-compartment', direction: 'decrease', sigmoid: true } },
      theta: { CL: 3, V: 30, E0: 80, IMAX: 0.9, IC50: 1.5, HILL: 1.8, KE0: 0.5 },
      omega: { V: 0.2, IC50: 0.3 },
      residual: { pk: LOG_PK, pd: PROP_PD },
    }),
    ...(['inhibit-production', 'stimulate-production', 'inhibit-loss', 'stimulate-loss'] as const).map((type) =>
      exportCase({
        name: `indirect-${type}`,
        structure: { pk: ORAL_1, pd: { family: 'indirect', type } },
        theta: type.startsWith('inhibit')
          ? { ...PK_1, BASE: 50, KOUT: 0.2, IMAX: 0.7, IC50: 2 }
          : { ...PK_1, BASE: 50, KOUT: 0.2, EMAX: 1.5, EC50: 2 },
        omega: { CL: 0.3, BASE: 0.2, KOUT: 0.3 },
        residual: { pk: LOG_PK, pd: PROP_PD },
      }),
    ),
    exportCase({
      name: 'indirect-sigmoid-2cmt',
      structure: {
        pk: { route: 'iv', compartments: 2, lag: false },
        pd: { family: 'indirect', type: 'inhibit-production', sigmoid: true },
      },
      covariates: [{ column: 'WT', on: 'CL', form: 'power', reference: 70 }],
      theta: { CL: 3, V: 20, Q: 2, V2: 40, 'CL~WT': 0.75, BASE: 50, KOUT: 0.15, IMAX: 0.9, IC50: 1.5, HILL: 2 },
      omega: { CL: 0.3, IC50: 0.3 },
      residual: { pk: { scale: 'natural', additive: 0.05, proportional: 0.1 }, pd: { scale: 'log', additive: 0.1, proportional: 0 } },
      regimen: { route: 'infusion', interval: 24, count: 2, duration: 2 },
    }),
  ];
}
