import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import { bindStudy } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../../study/study-spec-reader';
import { PkpdDataError } from '../errors';
import { createStructuralModel } from '../structural/structural-model';
import { autoFamilies, fitStudy } from './fit-study';
import { resolveEffects, stageModel } from './parameter-model';
import { simulateStudyTrial } from './simulate-study';
import { predictSubject, residualChoice, stageData } from './stage';
import { TRUTH_SCENARIOS } from './testing/truth-scenarios';

function ingest(text: string): Dataset {
  const result = ingestText(text, 'test.csv');
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}

function withModel(base: StudySpec, edit: (doc: Record<string, any>) => void): StudySpec {
  const doc = structuredClone(base) as unknown as Record<string, any>;
  edit(doc);
  const reading = readStudySpec(doc);
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

function trial(index: number, subjects: number, seed: number): Dataset {
  const scenario = TRUTH_SCENARIOS[index];
  return ingest(simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(subjects), seed).csv);
}

describe('resets and occasions', () => {
  // Subject 1: a bolus, then TIME restarts (a new occasion, read as a reset) with another bolus.
  const text = [
    'ID,TIME,DV,AMT,EVID,MDV,DVID',
    '1,0,.,100,1,1,0',
    '1,2,7,0,0,0,1',
    '1,12,3,0,0,0,1',
    '1,0,.,50,1,1,0',
    '1,2,4,0,0,0,1',
    '1,6,3,0,0,0,1',
  ].join('\n');
  const spec = withModel(TRUTH_SCENARIOS[1].spec, (d) => {
    delete d.model.pd;
    d.endpoints = { pk: { dvid: 1 } };
    d.model.covariates = [];
    d.model.randomEffects = ['CL', 'V'];
    delete d.model.error;
  });

  it('predicts each occasion from empty compartments: doses before a reset are not carried over', () => {
    const study = bindStudy(ingest(text), spec);
    const [subject] = study.subjects;
    expect(subject.segments).toHaveLength(2);
    const pk = { route: 'iv' as const, compartments: 1 as const, lag: false };
    const engine = createStructuralModel({ pk });
    const data = stageData(study.subjects, {
      endpoint: 'pk',
      engine,
      model: stageModel(spec, 'pk', pk, undefined, []),
      residual: residualChoice('pk', undefined, []),
    });
    const values = { CL: 2, V: 20 };
    const out = new Float64Array(4);
    expect(predictSubject(data, 0, values, out)).toBe(true);
    const second = subject.segments[1];
    const alone = engine.predict(engine.prepare(second.doses, { pk: subject.pk.times.subarray(2) }), values).pk;
    expect(Array.from(out.subarray(2))).toEqual(Array.from(alone));
    const carried = engine.predict(
      engine.prepare([...subject.segments[0].doses, ...second.doses], { pk: subject.pk.times.subarray(2) }),
      values,
    ).pk;
    expect(out[2]).toBeLessThan(carried[0]);
    // The first occasion is unaffected by the second's dose.
    expect(out[0]).toBeCloseTo((100 / 20) * Math.exp(-0.1 * 2), 12);
  });
});

describe('choosing the structure', () => {
  it('PD family "auto" fits the families that move the response the observed way and keeps the lowest AIC', () => {
    const scenario = TRUTH_SCENARIOS[3]; // indirect inhibition of production: the response falls
    const spec = withModel(scenario.spec, (d) => (d.model.pd = { family: 'auto' }));
    const fit = fitStudy(trial(3, 45, 7), spec);
    const pd = fit.comparison.filter((c) => c.stage === 'pd');
    expect(pd.map((c) => c.model)).toEqual(
      autoFamilies(false).map((f) => (f.family === 'indirect' ? `indirect (${f.type})` : `${f.family} (decrease)`)),
    );
    const best = Math.min(...pd.map((c) => c.aic));
    expect(pd.find((c) => c.chosen)).toMatchObject({ model: 'indirect (inhibit-production)', aic: best, deltaAic: 0 });
    expect(fit.model.pd).toEqual({ family: 'indirect', type: 'inhibit-production' });
    expect(fit.candidates.pd).toHaveLength(4);
  });

  it('compartments "auto" keeps two compartments for two-compartment data', () => {
    const scenario = TRUTH_SCENARIOS[2];
    const spec = withModel(scenario.spec, (d) => {
      d.model.pk.compartments = 'auto';
      delete d.model.pd;
      delete d.endpoints.pd;
      d.model.randomEffects = ['CL', 'V'];
      d.model.error = { pk: { exponential: 0.1 } };
    });
    const fit = fitStudy(trial(2, 30, 11), spec);
    expect(fit.comparison.map((c) => [c.model, c.chosen])).toEqual([
      ['IV 1-compartment', false],
      ['IV 2-compartment', true],
    ]);
    expect(fit.comparison[1].aic).toBeLessThan(fit.comparison[0].aic - 10);
    expect(fit.pd).toBeUndefined();
  });
});

describe('fixed values and a study without a PK endpoint', () => {
  const scenario = TRUTH_SCENARIOS[1]; // IV boluses, direct decrease
  const data = trial(1, 45, 5);

  it('drives the response by the typical PK when the PK parameters are all fixed', () => {
    const spec = withModel(scenario.spec, (d) => {
      delete d.endpoints.pk;
      d.model.parameters = { CL: 3, V: 30 };
      d.model.covariates = [{ column: 'WT', on: 'CL', form: 'power', reference: 70, value: 1 }];
      d.model.randomEffects = ['IC50'];
    });
    const fit = fitStudy(data, spec);
    expect(fit.pk).toBeUndefined();
    expect(fit.estimates.IC50.stage).toBe('pd');
    expect(fit.model.theta).toMatchObject({ CL: 3, V: 30, 'CL~WT': 1 });
    expect(Math.abs(fit.estimates.IMAX.value / 0.8 - 1)).toBeLessThan(0.1);
    expect(fit.notes).toContain('No PK endpoint: the response is driven by the typical PK of each subject (the fixed PK parameters).');
  });

  it('refuses a study without a PK endpoint whose PK parameters are not all fixed', () => {
    const spec = withModel(scenario.spec, (d) => delete d.endpoints.pk);
    expect(() => fitStudy(data, spec)).toThrow(PkpdDataError);
    expect(() => fitStudy(data, spec)).toThrow(/no PK endpoint \(endpoints\.pk\), so CL, V, CL~WT cannot be estimated/);
  });

  it('holds fixed typical values (display units), effects and between-subject SDs', () => {
    const spec = withModel(scenario.spec, (d) => {
      d.model.parameters = { V: 30 };
      d.model.randomEffects = { CL: 0.25, V: 0.2, IC50: 0.3 };
    });
    const fit = fitStudy(data, spec);
    expect(fit.estimates.V).toMatchObject({ fixed: true, value: 30, estimate: 30 });
    expect(Number.isNaN(fit.estimates.V.rse)).toBe(true);
    expect(fit.omega.CL).toMatchObject({ fixed: true, sd: 0.25 });
    expect(fit.omega.IC50).toMatchObject({ fixed: true, sd: 0.3 });
    expect(fit.pk?.foce.nEstimated).toBe(3); // CL, CL~WT and the residual SD
  });

  it('refuses an exponential error combined with another, naming the field', () => {
    const spec = withModel(scenario.spec, (d) => (d.model.error.pk = { exponential: 0.1, additive: 0.1 }));
    expect(() => fitStudy(data, spec)).toThrow(/model\.error\.pk: an exponential error cannot be combined/);
  });
});

describe('result shape', () => {
  it('names effects by parameter and column, and rows carry the shape of src/pkpd/diagnostics', () => {
    const scenario = TRUTH_SCENARIOS[0];
    const fit = fitStudy(trial(0, 30, 3), scenario.spec);
    expect(Object.keys(fit.estimates)).toEqual(['CL', 'V', 'KA', 'TLAG', 'CL~WT', 'V~SEX', 'E0', 'EMAX', 'EC50']);
    expect(fit.estimates.TLAG.unit).toBe('h');
    expect(fit.estimates['V~SEX'].unit).toBe('');
    expect(Object.keys(fit.omega)).toEqual(['CL', 'V', 'EC50']);
    expect(fit.residual.pd).toMatchObject({ additive: { unit: 'units' }, proportional: { unit: '' } });
    const row = fit.observations[0];
    expect(Object.keys(row).sort()).toEqual(['armDose', 'blq', 'cwres', 'dv', 'group', 'id', 'ipred', 'iwres', 'pred', 'target', 'time']);
    expect(fit.observations.filter((r) => r.target === 'pk').every((r) => r.ipred > 0 && r.pred > 0)).toBe(true);
    expect(fit.individuals[0].parameters).toHaveProperty('EC50');
    expect(fit.individuals[0].eta).toHaveProperty('EC50');
    // The simulator takes the fitted model back.
    const again = simulateStudyTrial(scenario.spec, fit.model, scenario.design(3), 1);
    expect(again.subjects).toHaveLength(3);
    expect(resolveEffects(scenario.spec.model.covariates, () => []).map((e) => e.name)).toEqual(fit.model.effects.map((e) => e.name));
  });
});

describe('time units', () => {
  // The same trial written in hours and in days: TIME, II and RATE converted, the spec's time unit "d".
  const scenario = TRUTH_SCENARIOS[4]; // oral, indirect stimulation of production
  const csv = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(40), 7).csv;
  const [header, ...rows] = csv.trim().split('\n');
  const columns = header.split(',');
  const perDay: Record<string, number> = { TIME: 1 / 24, II: 1 / 24, RATE: 24 };
  const inDays = [
    header,
    ...rows.map((row) =>
      row
        .split(',')
        .map((cell, c) => (perDay[columns[c]] !== undefined && cell !== '.' ? String(Number(cell) * perDay[columns[c]]) : cell))
        .join(','),
    ),
  ].join('\n');
  const daySpec = withModel(scenario.spec, (d) => {
    d.units.time = 'd';
  });

  it('gives the same fit, with rates shown per day', () => {
    const hours = fitStudy(ingest(csv), scenario.spec);
    const days = fitStudy(ingest(inDays), daySpec);
    expect(days.estimates.CL.unit).toBe('L/d');
    // EMAX of an indirect response multiplies a rate: no unit; BASE is a response level.
    expect([hours.estimates.EMAX.unit, hours.estimates.BASE.unit]).toEqual(['', 'units']);
    expect(Math.abs(days.ofv - hours.ofv)).toBeLessThan(0.01);
    for (const name of ['CL', 'KA', 'KOUT']) expect(days.estimates[name].value / 24 / hours.estimates[name].value).toBeCloseTo(1, 3);
    for (const name of ['V', 'EC50', 'BASE']) expect(days.estimates[name].value / hours.estimates[name].value).toBeCloseTo(1, 3);
  });
});
