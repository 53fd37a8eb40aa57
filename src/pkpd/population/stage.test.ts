/**
 * The FOCE problem of a stage keeps the θ part of each subject's parameters between predictions (θ
 * changes once per objective evaluation, η within it) and hands the engine its values as a vector:
 * whatever the order of θ, η and subjects, its predictions are those of a fresh problem, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import { bindStudy, type StudySubject } from '../../study/study-data';
import { createStructuralModel, type ParameterValues } from '../structural/structural-model';
import { covariateVector, individualValues, resolveEffects, stageModel } from './parameter-model';
import { simulateStudyTrial } from './simulate-study';
import { predictSubject, residualChoice, stageData, stageProblem, type StageData } from './stage';
import { TRUTH_SCENARIOS } from './testing/truth-scenarios';

// Oral with a lag, a direct increasing response; WT (power) on CL, SEX (factor) on V; η on CL, V and EC50.
const scenario = TRUTH_SCENARIOS[0];
const ingested = ingestText(simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(6), 17).csv, 'stage.csv');
if (!ingested.ok) throw new Error('the simulated trial did not ingest');
const study = bindStudy(ingested.dataset, scenario.spec);
const effects = resolveEffects(scenario.spec.model.covariates, (column) => study.subjects.map((s) => s.covariates[column]));
const pk = { route: 'oral' as const, compartments: 1 as const, lag: true };
const pd = { family: 'direct' as const, direction: 'increase' as const, sigmoid: false };
const pkModel = stageModel(scenario.spec, 'pk', pk, undefined, effects);
const truthTheta = pkModel.thetas.map((t) => scenario.truth.theta[t.name]);
const pkValues = (s: StudySubject): ParameterValues =>
  individualValues(pkModel, truthTheta, new Float64Array(pkModel.etas.length), covariateVector(pkModel, s.covariates), {});

function pkData(): StageData {
  return stageData(study.subjects, {
    endpoint: 'pk',
    engine: createStructuralModel({ pk }),
    model: pkModel,
    residual: residualChoice('pk', undefined, []),
  });
}

function pdData(): StageData {
  return stageData(study.subjects, {
    endpoint: 'pd',
    engine: createStructuralModel({ pk, pd }, { stiffnessLimit: 1 }),
    model: stageModel(scenario.spec, 'pd', pk, pd, effects),
    residual: residualChoice('pd', undefined, [1]),
    pkValues,
  });
}

describe('the stage’s FOCE problem', () => {
  it.each([
    ['PK', pkData],
    ['PD conditioned on individual PK', pdData],
  ])('%s: predictions equal a fresh problem’s for any order of θ, η and subjects', (_name, make) => {
    const data = make();
    const start = { theta: scenario.truth.theta };
    const problem = stageProblem(data, start);
    const theta = Float64Array.from(problem.thetas, (t) => t.initial);
    const other = theta.map((v, k) => v * (1 + 0.01 * (k + 1)));
    const eta = (a: number): Float64Array => Float64Array.from(problem.etas, (_e, k) => a * (k + 1));
    const calls: [Float64Array, Float64Array, number][] = [
      [theta, eta(0), 0],
      [theta, eta(0.1), 0],
      [theta, eta(0.1), 1],
      [other, eta(0.1), 0], // a new θ for subject 0 only
      [theta, eta(-0.2), 0], // back to the first θ
      [Float64Array.from(theta), eta(0.05), 1], // the same numbers in another array
      [other, eta(0.3), 2],
      [theta, eta(0), 2],
    ];
    for (const [t, e, i] of calls) {
      const out = new Float64Array(data.subjects[i].dv.length);
      problem.predict(t, e, i, out);
      const fresh = new Float64Array(out.length);
      stageProblem(make(), start).predict(t, e, i, fresh);
      expect(out).toEqual(fresh);
      expect(out.every(Number.isFinite)).toBe(true);
    }
  });

  it('predictSubject takes parameters by name and refuses invalid ones (false), as the fitting path does', () => {
    const data = pkData();
    const d = data.subjects[0];
    const out = new Float64Array(d.dv.length);
    const values = individualValues(pkModel, truthTheta, [0.1, -0.1], d.z, {});
    expect(predictSubject(data, 0, values, out)).toBe(true);
    const expected = data.engine.predict(d.segments[0].plan, values).pk;
    expect(out).toEqual(expected);
    expect(predictSubject(data, 0, { ...values, V: -1 }, out)).toBe(false);
    expect(predictSubject(data, 0, { CL: 1 }, out)).toBe(false);
  });
});
