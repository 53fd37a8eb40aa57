/**
 * Simulated-truth scenarios of the study fit: one study spec, one known population model and one
 * trial design each, covering every route — oral with an absorption lag, IV bolus, IV infusion
 * written with RATE, infusions written once with ADDL/II — and every PD family — direct increase and
 * decrease, effect compartment, the four indirect types — with covariates other than body weight
 * and COMED (WT as a power effect, a 0/1 SEX factor, AGE linear). Units are h, mg and mg/L, so the
 * data's units are the display units (volumes in L). Used by simulated-truth.test.ts (small trials)
 * and bench/fit-truth.ts (200 subjects).
 */
import type { ModelParameter, StudySpec } from '../../../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../../../study/study-spec-reader';
import type { Transform } from '../../foce';
import type { StudyFitResult, StudyPopulationModel } from '../fit-study';
import { truthModel, type StudyTrialDesign } from '../simulate-study';

export interface TruthScenario {
  name: string;
  spec: StudySpec;
  truth: StudyPopulationModel;
  /** The design with `subjects` subjects in all (split evenly over the arms). */
  design(subjects: number): StudyTrialDesign;
}

const UNITS = { time: 'h', amount: 'mg', concentration: 'mg/L', response: 'units' };

function read(name: string, model: Record<string, unknown>): StudySpec {
  const reading = readStudySpec({
    format: 'qpkpd-study',
    version: 1,
    name,
    units: UNITS,
    endpoints: { pk: { dvid: 1 }, pd: { dvid: 2 } },
    groupBy: 'regimen',
    model,
  });
  if (!reading.ok) throw new Error(`${name}: ${describeSpecProblems(reading.problems)}`);
  return reading.spec;
}

function arms(doses: number[], subjects: number): StudyTrialDesign['arms'] {
  const per = Math.floor(subjects / doses.length);
  return doses.map((dose, i) => ({ dose, subjects: i === doses.length - 1 ? subjects - per * (doses.length - 1) : per }));
}

const WT = { normal: [75, 15] as [number, number], range: [45, 120] as [number, number] };

interface Definition {
  name: string;
  model: Record<string, unknown>;
  theta: Record<string, number>;
  omega: Partial<Record<ModelParameter, number>>;
  residual: StudyPopulationModel['residual'];
  design: (subjects: number) => StudyTrialDesign;
}

const DEFINITIONS: Definition[] = [
  {
    name: 'oral with lag, direct increasing response',
    model: {
      pk: { route: 'oral', compartments: 1, lag: true },
      pd: { family: 'direct', direction: 'increase' },
      covariates: [
        { column: 'WT', on: 'CL', form: 'power', reference: 70 },
        { column: 'SEX', on: 'V', form: 'factor' },
      ],
      randomEffects: ['CL', 'V', 'EC50'],
      error: { pk: { exponential: 0.15 }, pd: { additive: 2, proportional: 0.05 } },
    },
    theta: { CL: 5, V: 50, KA: 1.2, TLAG: 0.4, 'CL~WT': 0.75, 'V~SEX': 0.8, E0: 10, EMAX: 40, EC50: 2 },
    omega: { CL: 0.3, V: 0.2, EC50: 0.3 },
    residual: { pk: { scale: 'log', additive: 0.15, proportional: 0 }, pd: { scale: 'natural', additive: 2, proportional: 0.05 } },
    design: (n) => ({
      arms: arms([100, 300, 600], n),
      regimen: { route: 'oral', interval: 24, count: 3 },
      pkTimes: [0.25, 0.5, 1, 2, 4, 8, 12, 23.9, 48.5, 50, 52, 56, 60, 72],
      pdTimes: [0, 0.5, 1, 2, 4, 8, 12, 24, 49, 52, 56, 72],
      covariates: { WT, SEX: { share: 0.5 } },
    }),
  },
  {
    name: 'IV boluses, direct decreasing response',
    model: {
      pk: { route: 'iv', compartments: 1 },
      pd: { family: 'direct', direction: 'decrease' },
      covariates: [{ column: 'WT', on: 'CL', form: 'power', reference: 70 }],
      randomEffects: ['CL', 'V', 'IC50'],
      error: { pk: { exponential: 0.12 }, pd: { proportional: 0.08 } },
    },
    theta: { CL: 3, V: 30, 'CL~WT': 1, E0: 100, IMAX: 0.8, IC50: 4 },
    omega: { CL: 0.25, V: 0.2, IC50: 0.3 },
    residual: { pk: { scale: 'log', additive: 0.12, proportional: 0 }, pd: { scale: 'natural', additive: 0, proportional: 0.08 } },
    design: (n) => ({
      arms: arms([100, 250, 500], n),
      regimen: { route: 'bolus', interval: 12, count: 4 },
      pkTimes: [0.1, 0.5, 1, 3, 6, 11.9, 36.5, 38, 42, 47.9, 48.5, 52, 60],
      pdTimes: [0, 0.5, 1, 3, 6, 12, 36.5, 42, 48.5, 52, 60],
      covariates: { WT },
    }),
  },
  {
    name: 'IV infusions (RATE), two compartments, effect compartment',
    model: {
      pk: { route: 'iv', compartments: 2 },
      pd: { family: 'effect-compartment', direction: 'increase' },
      covariates: [
        { column: 'WT', on: 'CL', form: 'power', reference: 70 },
        { column: 'WT', on: 'V', form: 'power', reference: 70, value: 1 },
      ],
      randomEffects: ['CL', 'V', 'EMAX'],
      error: { pk: { exponential: 0.12 }, pd: { additive: 2 } },
    },
    theta: { CL: 4, V: 20, Q: 8, V2: 60, 'CL~WT': 0.75, 'V~WT': 1, E0: 20, EMAX: 60, EC50: 3, KE0: 0.3 },
    omega: { CL: 0.25, V: 0.2, EMAX: 0.2 },
    residual: { pk: { scale: 'log', additive: 0.12, proportional: 0 }, pd: { scale: 'natural', additive: 2, proportional: 0 } },
    design: (n) => ({
      arms: arms([100, 300], n),
      regimen: { route: 'infusion', interval: 24, count: 2, duration: 1 },
      pkTimes: [0.5, 1, 1.5, 2, 3, 5, 8, 12, 23.9, 25, 26, 30, 36, 48, 72],
      pdTimes: [0, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 24, 25, 26, 28, 32, 48],
      covariates: { WT },
    }),
  },
  {
    name: 'infusions written once with ADDL/II, indirect inhibition of production',
    model: {
      pk: { route: 'iv', compartments: 1 },
      pd: { family: 'indirect', type: 'inhibit-production' },
      covariates: [{ column: 'AGE', on: 'CL', form: 'linear', reference: 40 }],
      randomEffects: ['CL', 'V', 'BASE'],
      error: { pk: { exponential: 0.1 }, pd: { proportional: 0.08 } },
    },
    theta: { CL: 2, V: 25, 'CL~AGE': -0.01, BASE: 50, KOUT: 0.1, IMAX: 0.85, IC50: 2 },
    omega: { CL: 0.25, V: 0.15, BASE: 0.2 },
    residual: { pk: { scale: 'log', additive: 0.1, proportional: 0 }, pd: { scale: 'natural', additive: 0, proportional: 0.08 } },
    design: (n) => ({
      arms: arms([50, 150, 400], n),
      regimen: { route: 'infusion', interval: 24, count: 5, duration: 2, addl: true },
      pkTimes: [1, 2, 4, 8, 23.9, 96.5, 98, 100, 104, 110, 119.9, 130, 144],
      pdTimes: [0, 4, 8, 12, 24, 36, 48, 72, 96, 100, 108, 120, 132, 144, 168],
      covariates: { AGE: { uniform: [20, 70] } },
    }),
  },
  {
    name: 'oral, indirect stimulation of production',
    model: {
      pk: { route: 'oral', compartments: 1 },
      pd: { family: 'indirect', type: 'stimulate-production' },
      covariates: [{ column: 'SEX', on: 'CL', form: 'factor' }],
      randomEffects: ['CL', 'V', 'BASE'],
      error: { pk: { exponential: 0.12 }, pd: { proportional: 0.08 } },
    },
    theta: { CL: 4, V: 40, KA: 1, 'CL~SEX': 1.4, BASE: 20, KOUT: 0.15, EMAX: 2, EC50: 3 },
    omega: { CL: 0.25, V: 0.15, BASE: 0.2 },
    residual: { pk: { scale: 'log', additive: 0.12, proportional: 0 }, pd: { scale: 'natural', additive: 0, proportional: 0.08 } },
    design: (n) => ({
      arms: arms([100, 300, 800], n),
      regimen: { route: 'oral', interval: 24, count: 3 },
      pkTimes: [0.5, 1, 2, 4, 8, 12, 23.9, 49, 50, 52, 56, 62, 72],
      pdTimes: [0, 2, 4, 8, 12, 24, 36, 48, 52, 56, 62, 72, 84, 96],
      covariates: { SEX: { share: 0.5 } },
    }),
  },
  {
    name: 'IV boluses, indirect inhibition of loss',
    model: {
      pk: { route: 'iv', compartments: 1 },
      pd: { family: 'indirect', type: 'inhibit-loss' },
      covariates: [{ column: 'WT', on: 'V', form: 'power', reference: 70 }],
      randomEffects: ['CL', 'V', 'BASE'],
      error: { pk: { exponential: 0.1 }, pd: { proportional: 0.08 } },
    },
    theta: { CL: 2, V: 20, 'V~WT': 1, BASE: 10, KOUT: 0.2, IMAX: 0.7, IC50: 2 },
    omega: { CL: 0.2, V: 0.2, BASE: 0.2 },
    residual: { pk: { scale: 'log', additive: 0.1, proportional: 0 }, pd: { scale: 'natural', additive: 0, proportional: 0.08 } },
    design: (n) => ({
      arms: arms([50, 150, 400], n),
      regimen: { route: 'bolus', interval: 24, count: 2 },
      pkTimes: [0.25, 1, 3, 6, 12, 23.9, 25, 30, 36, 48],
      pdTimes: [0, 1, 2, 4, 6, 9, 12, 24, 26, 30, 36, 48, 60],
      covariates: { WT },
    }),
  },
  {
    name: 'oral, indirect stimulation of loss',
    model: {
      pk: { route: 'oral', compartments: 1 },
      pd: { family: 'indirect', type: 'stimulate-loss' },
      covariates: [{ column: 'WT', on: 'CL', form: 'power', reference: 70 }],
      randomEffects: ['CL', 'V', 'BASE'],
      error: { pk: { exponential: 0.12 }, pd: { proportional: 0.08 } },
    },
    theta: { CL: 3, V: 30, KA: 1.5, 'CL~WT': 0.75, BASE: 40, KOUT: 0.1, EMAX: 3, EC50: 4 },
    omega: { CL: 0.25, V: 0.15, BASE: 0.2 },
    residual: { pk: { scale: 'log', additive: 0.12, proportional: 0 }, pd: { scale: 'natural', additive: 0, proportional: 0.08 } },
    design: (n) => ({
      arms: arms([100, 300, 800], n),
      regimen: { route: 'oral', interval: 24, count: 3 },
      pkTimes: [0.5, 1, 2, 4, 8, 12, 23.9, 49, 50, 52, 56, 62, 72],
      pdTimes: [0, 2, 4, 8, 12, 24, 36, 48, 52, 56, 62, 72, 84, 96],
      covariates: { WT },
    }),
  },
];

export const TRUTH_SCENARIOS: readonly TruthScenario[] = DEFINITIONS.map((d) => {
  const spec = read(d.name, d.model);
  const pd = spec.model.pd;
  if (!pd || pd.family === 'auto') throw new Error(`${d.name}: a scenario needs a PD family`);
  const pk = { ...spec.model.pk, compartments: spec.model.pk.compartments === 2 ? (2 as const) : (1 as const) };
  return { name: d.name, spec, truth: truthModel(spec, { pk, pd }, d.theta, d.omega, d.residual), design: d.design };
});

export interface TruthCheck {
  scenario: string;
  name: string;
  truth: number;
  estimate: number;
  lower: number;
  upper: number;
  /** (estimate − truth) in standard errors, on the estimation scale. */
  z: number;
}

function scale(transform: Transform, x: number): number {
  if (transform === 'log') return Math.log(x);
  if (transform === 'logit') return Math.log(x / (1 - x));
  return x;
}

function check(
  scenario: string,
  name: string,
  transform: Transform,
  truth: number,
  e: { estimate: number; lower: number; upper: number },
): TruthCheck {
  const se = (scale(transform, e.upper) - scale(transform, e.lower)) / (2 * 1.959964);
  const z = (scale(transform, e.estimate) - scale(transform, truth)) / se;
  return { scenario, name, truth, estimate: e.estimate, lower: e.lower, upper: e.upper, z };
}

/** Every estimated θ, ω and residual SD of a fit beside its truth (intervals in data units). */
export function truthChecks(scenario: TruthScenario, fit: StudyFitResult): TruthCheck[] {
  const checks: TruthCheck[] = [];
  for (const stage of [fit.pk, fit.pd]) {
    if (!stage) continue;
    stage.model.thetas.forEach((t) => {
      if (t.fixed) return;
      const p = stage.foce.parameters.find((x) => x.name === t.name);
      if (p) checks.push(check(scenario.name, t.name, t.transform, scenario.truth.theta[t.name], p));
    });
    for (const p of stage.foce.parameters) {
      if (p.fixed || p.kind === 'theta') continue;
      const residual = scenario.truth.residual[stage.stage];
      const truth =
        p.kind === 'omega'
          ? (scenario.truth.omega[p.name.slice(6, -1) as 'CL'] as number)
          : p.name === 'sigma(prop)'
            ? (residual?.proportional as number)
            : (residual?.additive as number);
      checks.push(check(scenario.name, `${stage.stage}:${p.name}`, 'log', truth, p));
    }
  }
  return checks;
}
