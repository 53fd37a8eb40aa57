/**
 * A hybrid model as one patient's population model (hybrid-patient-model.ts), on a hybrid built by
 * hand: 2-compartment oral PK with an indirect response, a small MLP (random weights) shifting CL, V
 * and BASE from body weight (log scale), a co-medication flag and the baseline PD, plus a linear part.
 * Two routes, one answer: the document's typical values are the dose simulator's for a virtual
 * subject with the patient's covariates, and the MAP η under the document is the MAP under the
 * hybrid's own population model with the network's columns given as the patient's covariates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudyDoseSimulator } from '../../dose/study-simulator';
import type { VirtualPopulation } from '../../dose/virtual-population';
import { mapEstimate, PatientDataError, PatientPosterior } from '../../patient/map-estimate';
import type { PatientRecord } from '../../patient/patient-record';
import { fixedPopulationModel, readPatientModel } from '../../patient/population-model';
import type { StudyPopulationModel } from '../../pkpd/population/fit-study';
import { linearEffects, networkEffects, populationStages } from '../../pkpd/population/parameter-model';
import { DEFAULT_ROUTER_NOISE } from '../encoders';
import { createNetwork } from '../network';
import { modelArchitecture } from '../../quantum/resources/architecture';
import { describeSpecProblems, readStudySpec } from '../../study/study-spec-reader';
import { useCpuBackend } from '../test-support';
import { BASELINE_PD_COLUMN } from './hybrid-baseline';
import { disposeHybridModel, hybridDerivedCovariates, networkShifts, withHybridCovariates, type HybridModel } from './hybrid-model';
import { hybridPatientDocument, patientBaselinePd } from './hybrid-patient-model';

const SPEC = (() => {
  const reading = readStudySpec({
    format: 'qpkpd-study',
    version: 1,
    name: 'a hybrid',
    units: { time: 'h', amount: 'mg', concentration: 'ng/mL', response: 'ng/mL' },
    endpoints: { pk: { dvid: 1 }, pd: { dvid: 2 } },
    model: {
      pk: { route: 'oral', compartments: 2, lag: false },
      pd: { family: 'indirect', type: 'inhibit-production' },
      covariates: [],
      randomEffects: ['CL', 'V', 'BASE'],
      error: { pk: { exponential: 0.15 }, pd: { proportional: 0.1 } },
    },
    questions: {
      endpoint: 'pd',
      criterion: { rule: 'below', threshold: 3.3, window: 'throughout' },
      targets: [0.9],
      regimens: [{ name: 'daily', interval: 24, route: 'oral', step: 1 }],
      scenarios: [{ name: 'adults', covariates: { BW: { uniform: [50, 110] }, COMED: { share: 0.5 } } }],
    },
  });
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
})();

const SHIFTED = ['CL', 'V', 'BASE'] as const;
const COLUMNS = ['BW', 'COMED', BASELINE_PD_COLUMN];
const PATIENT = { BW: 82, COMED: 1 };
const BASELINE = 9.5;

let hybrid: HybridModel;

beforeAll(async () => {
  await useCpuBackend();
  const pd = { family: 'indirect', type: 'inhibit-production' } as const;
  const population: StudyPopulationModel = {
    pk: { route: 'oral', compartments: 2, lag: false },
    pd,
    effects: [...networkEffects(SHIFTED, pd), ...linearEffects(SHIFTED, COLUMNS, pd)],
    // Data units: volumes in mg / (ng/mL), a thousandth of a litre.
    theta: { CL: 0.038, V: 6.9, KA: 0.8, Q: 0.01, V2: 3, BASE: 10, IMAX: 0.9, IC50: 1.2, KOUT: 0.015 },
    omega: { CL: 0.25, V: 0.1, BASE: 0.2 },
    residual: { pk: { scale: 'log', additive: 0.15, proportional: 0 }, pd: { scale: 'natural', additive: 0, proportional: 0.1 } },
  };
  const stages = populationStages(SPEC, population);
  [0.3, -0.2, 0.1, 0.05, -0.1, 0.2, 0.15, 0.05, 0.4].forEach((v, i) => (population.theta[population.effects[3 + i].name] = v));
  for (const t of [...stages.pk.thetas, ...stages.pd!.thetas]) if (t.effect?.value === 1) population.theta[t.name] = 1;
  const network = createNetwork({
    encoder: 'mlp',
    architecture: modelArchitecture(COLUMNS.length, { hidden: 8, depth: 1 }),
    targets: SHIFTED.map((p) => `parameter:${p}` as const),
    classification: false,
    routerNoise: DEFAULT_ROUTER_NOISE,
    seed: 7,
  });
  // Every weight moved off its initial value, so that no head's output is 0.
  network.parameters.loadValues(
    network.parameters.toValues().map((p) => ({ ...p, values: p.values.map((v, i) => v + 0.5 * Math.sin(i + 1)) })),
  );
  hybrid = {
    spec: SPEC,
    population,
    shifted: SHIFTED,
    scale: [0.25, 0.1, 0.2],
    inputs: { columns: COLUMNS, log: [true, false, true], mean: [Math.log(75), 0.5, Math.log(10)], sd: [0.2, 0.5, 0.3] },
    scalers: { pk: null, pd: null },
    network,
    baseline: { strata: ['COMED'], groups: { '': [8, 9, 10, 11], '0': [8, 9], '1': [10, 11] } },
  };
});

afterAll(() => disposeHybridModel(hybrid));

const DOSES: PatientRecord['doses'] = [{ time: 0, amount: 10, route: 'oral', every: 24, count: 10 }];
/** The patient's levels: the hybrid's predictions at η (CL 0.3, V −0.1, BASE 0.15), each off by a few per cent. */
let record: PatientRecord;

/** The patient's covariates with the network's columns (inputColumn, networkColumn), the way the hybrid's fit gives them. */
function hybridCovariates(): Record<string, number> {
  const row = { ...PATIENT, [BASELINE_PD_COLUMN]: BASELINE };
  return withHybridCovariates(hybrid, [row], networkShifts(hybrid, [row]))[0];
}

beforeAll(() => {
  const times = { pk: [50, 150, 220], pd: [100, 200] };
  const truth = new PatientPosterior(hybrid.spec, hybrid.population, {
    covariates: hybridCovariates(),
    doses: DOSES,
    observations: [],
    probability: 0.9,
  }).predictAt([0.3, -0.1, 0.15], times);
  const level = (endpoint: 'pk' | 'pd', time: number, value: number) => ({ time, endpoint, value, blq: false });
  record = {
    covariates: PATIENT,
    doses: DOSES,
    observations: [
      level('pd', -1, 9.9),
      level('pd', 0, BASELINE),
      ...times.pk.map((t, j) => level('pk', t, truth.pk[j] * [1.05, 0.97, 1.02][j])),
      ...times.pd.map((t, j) => level('pd', t, truth.pd[j] * [0.96, 1.03][j])),
    ],
    probability: 0.9,
  };
});

function document() {
  const reading = readPatientModel(JSON.parse(JSON.stringify(hybridPatientDocument(hybrid, PATIENT, BASELINE, 'My hybrid'))));
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

describe('a hybrid model as a patient’s population model', () => {
  it('has the patient’s typical values of the dose simulator, the hybrid’s Ω, residual error and questions', () => {
    const spec = document();
    expect(spec.name).toBe('My hybrid — for this patient (BW 82, COMED 1, baseline PD 9.5)');
    expect(spec.model.covariates).toEqual([]);
    expect(spec.questions).toEqual(SPEC.questions);
    expect(spec.model.pk).toEqual({ route: 'oral', compartments: 2, lag: false });
    const fixed = fixedPopulationModel(spec);
    expect(fixed.omega).toEqual(hybrid.population.omega);
    expect(fixed.residual).toEqual(hybrid.population.residual);

    const derived = hybridDerivedCovariates(hybrid);
    const simulator = new StudyDoseSimulator(hybrid.spec, hybrid.population, 'pd', { derived });
    const population: VirtualPopulation = {
      size: 1,
      seed: 1,
      scenario: 'patient',
      covariates: { BW: Float64Array.of(82), COMED: Float64Array.of(1), [BASELINE_PD_COLUMN]: Float64Array.of(BASELINE) },
      sources: {},
      trialIndex: null,
      random: Object.fromEntries(simulator.randomEffects.map((name) => [name, Float64Array.of(0)])),
    };
    const engine = simulator.subject(population, 0);
    const names = Object.keys(engine);
    expect(names.sort()).toEqual(Object.keys(fixed.theta).sort());
    for (const p of names) expect(fixed.theta[p]).toBeCloseTo(engine[p as keyof typeof engine]!, 12);
    for (const p of names) expect(Math.abs(fixed.theta[p] / engine[p as keyof typeof engine]! - 1)).toBeLessThan(1e-6);
    // The network's part is not 0, and with the linear part it moved CL (and Q, by the allometric convention), V (and V2), BASE.
    const [shifts] = networkShifts(hybrid, [{ ...PATIENT, [BASELINE_PD_COLUMN]: BASELINE }]);
    for (const s of shifts) expect(Math.abs(s)).toBeGreaterThan(0.01);
    for (const p of ['CL', 'Q', 'V', 'V2', 'BASE']) expect(Math.abs(fixed.theta[p] / hybrid.population.theta[p] - 1)).toBeGreaterThan(1e-3);
    expect(fixed.theta.Q / hybrid.population.theta.Q).toBeCloseTo(fixed.theta.CL / hybrid.population.theta.CL, 12);
    expect(fixed.theta.KA).toBe(hybrid.population.theta.KA);
    // Display units: L/h and L, a thousand times the data's mg/(ng/mL).
    expect(spec.model.parameters?.CL).toBeCloseTo(fixed.theta.CL * 1000, 9);
  });

  it('gives the MAP η of the hybrid’s population model with the network’s columns as the patient’s covariates', () => {
    const spec = document();
    const viaDocument = mapEstimate(new PatientPosterior(spec, fixedPopulationModel(spec), record));
    const viaHybrid = mapEstimate(new PatientPosterior(hybrid.spec, hybrid.population, { ...record, covariates: hybridCovariates() }));
    expect(viaDocument.converged).toBe(true);
    expect(viaHybrid.converged).toBe(true);
    expect(viaDocument.etaNames).toEqual(viaHybrid.etaNames);
    viaDocument.eta.forEach((eta, k) => expect(eta).toBeCloseTo(viaHybrid.eta[k], 6));
    expect(Math.max(...viaDocument.eta.map(Math.abs))).toBeGreaterThan(0.01);
    expect(viaDocument.ofv).toBeCloseTo(viaHybrid.ofv, 6);
  });

  it('reads the patient’s baseline as the training subjects’: the last response at or before the first dose', () => {
    expect(patientBaselinePd(record)).toBe(BASELINE);
    const blq = { ...record, observations: record.observations.map((o) => (o.time === 0 ? { ...o, blq: true } : o)) };
    expect(patientBaselinePd(blq)).toBe(9.9);
    expect(patientBaselinePd({ ...record, observations: record.observations.filter((o) => o.time > 0) })).toBeNaN();
  });

  it('refuses a patient without a covariate or the baseline the network reads, naming it', () => {
    expect(() => hybridPatientDocument(hybrid, { BW: 82 }, BASELINE)).toThrow(PatientDataError);
    expect(() => hybridPatientDocument(hybrid, { BW: 82 }, BASELINE)).toThrow(/covariates\.COMED/);
    expect(() => hybridPatientDocument(hybrid, PATIENT)).toThrow(/baselinePd: .*baseline response/);
    expect(() => hybridPatientDocument(hybrid, { ...PATIENT, BW: 0 }, BASELINE)).toThrow(/covariates\.BW: .*positive value/);
    // Lower-case names are the columns'.
    expect(hybridPatientDocument(hybrid, { bw: 82, comed: 1 }, BASELINE).model.parameters).toEqual(document().model.parameters);
  });
});
