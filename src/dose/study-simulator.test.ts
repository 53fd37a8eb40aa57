import { describe, expect, it } from 'vitest';
import type { StudyPopulationModel } from '../pkpd/population/fit-study';
import { truthModel } from '../pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../pkpd/population/testing/truth-scenarios';
import { createStructuralModel } from '../pkpd/structural/structural-model';
import type { Criterion, StudySpec } from '../study/study-spec';
import { readStudySpec } from '../study/study-spec-reader';
import { criterionSummaries, meets, successMask } from './criterion';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import { gridAverage, regimenGrid } from './steady-state';
import { endpointDirection, StudyDoseSimulator } from './study-simulator';
import { population, regimensOf } from './testing/study-simulator-fixtures';
import { drawPopulation } from './virtual-population';

/** A two-compartment oral model with a lag and a sigmoid indirect response (HILL), beside the truth scenarios. */
const SIGMOID: { spec: StudySpec; model: StudyPopulationModel } = (() => {
  const reading = readStudySpec({
    format: 'qpkpd-study',
    version: 1,
    name: 'sigmoid',
    units: { time: 'h', amount: 'mg', concentration: 'mg/L', response: 'units' },
    endpoints: { pk: { dvid: 1 }, pd: { dvid: 2 } },
    model: {
      pk: { route: 'oral', compartments: 2, lag: true },
      pd: { family: 'indirect', type: 'stimulate-loss', sigmoid: true },
      covariates: [{ column: 'WT', on: 'CL', form: 'power', reference: 70 }],
      randomEffects: ['CL', 'V', 'TLAG', 'EC50'],
    },
  });
  if (!reading.ok) throw new Error('sigmoid spec');
  const spec = reading.spec;
  const theta = { CL: 3, V: 20, KA: 1, TLAG: 0.5, Q: 4, V2: 40, 'CL~WT': 0.75, BASE: 30, KOUT: 0.2, EMAX: 3, EC50: 2, HILL: 2 };
  const model = truthModel(
    spec,
    { pk: { route: 'oral', compartments: 2, lag: true }, pd: { family: 'indirect', type: 'stimulate-loss', sigmoid: true } },
    theta,
    { CL: 0.3, V: 0.2, TLAG: 0.3, EC50: 0.3 },
    {},
  );
  return { spec, model };
})();

const MODELS: [string, StudySpec, StudyPopulationModel][] = [
  ...TRUTH_SCENARIOS.map((s): [string, StudySpec, StudyPopulationModel] => [s.name, s.spec, s.truth]),
  ['oral with lag, two compartments, sigmoid indirect stimulation of loss (η on TLAG)', SIGMOID.spec, SIGMOID.model],
];

function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let k = 0; k < b.length; k++) scale = Math.max(scale, Math.abs(b[k]));
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    if (d > 0) worst = Math.max(worst, d / Math.max(Math.abs(b[k]), 1e-12 * scale));
  }
  return worst;
}

describe('the study simulator: exact steady state of every route and PD family', () => {
  it.each(MODELS)('%s: the engine’s periodic steady state, subject by subject (PD and PK)', (_, spec, model) => {
    for (const endpoint of ['pd', 'pk'] as const) {
      const sim = new StudyDoseSimulator(spec, model, endpoint);
      const pop = population(sim, 6);
      const engine = createStructuralModel(endpoint === 'pd' ? { pk: model.pk, pd: model.pd } : { pk: model.pk });
      for (const regimen of regimensOf(model)) {
        const amounts = [0, 50, 400];
        const batch = sim.simulate({
          population: pop,
          regimen,
          amounts,
          gridStep: 0.25,
          keepProfiles: true,
          summaries: ['max', 'min', 'trough', 'average'],
        });
        const P = batch.grid.length;
        expect(Array.from(batch.grid)).toEqual(Array.from(regimenGrid(regimen, 0.25)));
        const plan = engine.prepareSteadyState(regimen, batch.grid);
        batch.results.forEach((res) => {
          for (let i = 0; i < pop.size; i++) {
            const expected = engine.predictSteadyState(plan, sim.subject(pop, i), res.amount);
            const ours = res.profiles!.subarray(i * P, (i + 1) * P);
            expect(
              maxRelative(ours, endpoint === 'pd' ? expected.pd : expected.pk),
              `${regimen.route} ${res.amount} subject ${i}`,
            ).toBeLessThan(1e-9);
            expect(res.max![i]).toBe(Math.max(...ours));
            expect(res.min![i]).toBe(Math.min(...ours));
            expect(res.trough![i]).toBe(ours[P - 1]);
            if (endpoint === 'pd' || res.amount === 0) expect(res.average![i]).toBeCloseTo(gridAverage(ours, 0, P), 12);
            else {
              // The average concentration is exact: dose / (CL τ). Simpson on the grid agrees to 1e-3 (O(h²) at the
              // kinks of an absorption lag or an infusion's end; the bolus grid starts 1e-6 τ late).
              const exact = res.amount / ((sim.subject(pop, i).CL as number) * regimen.interval);
              expect(res.average![i]).toBe(exact);
              expect(Math.abs(gridAverage(ours, 0, P) / exact - 1)).toBeLessThan(1e-3);
            }
          }
        });
      }
    }
  });

  it.each(MODELS)('%s: passes its check against the engine’s forward simulation from a drug-free start', (_, spec, model) => {
    const sim = new StudyDoseSimulator(spec, model, 'pd', { checkSubjects: 2 });
    const pop = population(sim, 20, 5);
    const regimen = regimensOf(model)[1];
    const check = sim.simulate({ population: pop, regimen, amounts: [200], gridStep: 0.5, checkSteadyState: true }).results[0].steadyState!;
    expect(check.ok).toBe(true);
    expect(check.subjectsChecked).toBe(2);
    expect(check.worstRelativeDifference).toBeLessThan(2e-3);
    expect(check.method).toBe('periodic steady state vs forward simulation');
  });

  it('gives a bolus’s peak: the grid starts just after the dose', () => {
    const scenario = TRUTH_SCENARIOS[1]; // IV boluses, one compartment
    const sim = new StudyDoseSimulator(scenario.spec, scenario.truth, 'pk');
    const pop = population(sim, 10);
    const res = sim.simulate({
      population: pop,
      regimen: { interval: 12, route: 'bolus' },
      amounts: [300],
      gridStep: 0.25,
      summaries: ['max', 'trough'],
    }).results[0];
    for (let i = 0; i < pop.size; i++) {
      const { CL, V } = sim.subject(pop, i) as { CL: number; V: number };
      const k = CL / V;
      const peak = 300 / V / -Math.expm1(-k * 12);
      expect(res.max![i] / peak).toBeCloseTo(1, 5);
      expect(res.trough![i] / (peak * Math.exp(-k * 12))).toBeCloseTo(1, 12);
    }
  });

  it('moves each subject’s endpoint one way with the dose, as its direction says', () => {
    for (const [name, spec, model] of MODELS) {
      const sim = new StudyDoseSimulator(spec, model, 'pd');
      const pop = population(sim, 30);
      const amounts = [0, 10, 30, 100, 300, 1000];
      const batch = sim.simulate({
        population: pop,
        regimen: regimensOf(model)[0],
        amounts,
        gridStep: 0.5,
        summaries: ['max', 'min', 'trough', 'average'],
      });
      const sign = endpointDirection(model, 'pd') === 'increasing' ? 1 : -1;
      expect(sim.direction).toBe(endpointDirection(model, 'pd'));
      for (const s of ['max', 'min', 'trough', 'average'] as const) {
        for (let a = 1; a < amounts.length; a++) {
          for (let i = 0; i < pop.size; i++)
            expect(sign * (batch.results[a][s]![i] - batch.results[a - 1][s]![i]), `${name} ${s}`).toBeGreaterThanOrEqual(-1e-12);
        }
      }
    }
  });

  it('gives each subject’s range of successful doses, identical to simulating every dose, for every rule and window', () => {
    const doses = Array.from({ length: 40 }, (_, k) => 15 * (k + 1));
    const criteria: Criterion[] = [
      { rule: 'below', threshold: 60, window: 'throughout' },
      { rule: 'above', threshold: 40, window: 'trough' },
      { rule: 'within', range: [40, 80], window: 'throughout' },
      { rule: 'within', range: [30, 70], window: 'average' },
      { rule: 'below', threshold: 20, window: 'average' },
      { rule: 'above', threshold: 25, window: 'throughout' },
    ];
    for (const index of [1, 4, 6]) {
      const { spec, truth } = TRUTH_SCENARIOS[index];
      const sim = new StudyDoseSimulator(spec, truth, 'pd');
      const pop = population(sim, 80, 9);
      const regimen = regimensOf(truth)[0];
      const all = sim.simulate({ population: pop, regimen, amounts: doses, gridStep: 0.5, summaries: ['max', 'min', 'trough', 'average'] });
      for (const criterion of criteria) {
        const { first, last } = sim.successRanges(pop, regimen, 0.5, doses, criterion);
        // From a guess (exact, shifted, or at the ends), the same ranges.
        for (const shift of [0, 3, -5, 100]) {
          const move = (x: Int32Array): Int32Array => x.map((k) => Math.min(doses.length, Math.max(-1, k + shift)));
          const guessed = sim.successRanges(pop, regimen, 0.5, doses, criterion, undefined, { first: move(first), last: move(last) });
          expect(Array.from(guessed.first)).toEqual(Array.from(first));
          expect(Array.from(guessed.last)).toEqual(Array.from(last));
        }
        const masks = all.results.map((r) => successMask(r, criterion, pop.size));
        for (let i = 0; i < pop.size; i++) {
          for (let k = 0; k < doses.length; k++)
            expect(masks[k][i] === 1, `${index} ${JSON.stringify(criterion)} ${i} ${k}`).toBe(first[i] <= k && k <= last[i]);
        }
        expect(criterionSummaries(criterion).length).toBeGreaterThan(0);
      }
    }
    expect(meets({ rule: 'below', threshold: 1, window: 'trough' }, 0, 0.5)).toBe(true);
  });

  it('refuses what it cannot simulate, saying what to change', () => {
    const oral = TRUTH_SCENARIOS[0];
    const sim = new StudyDoseSimulator(oral.spec, oral.truth, 'pd');
    const pop = population(sim, 5);
    expect(() => sim.simulate({ population: pop, regimen: { interval: 12, route: 'bolus' }, amounts: [1], gridStep: 0.5 })).toThrow(
      /cannot be simulated with the study's oral model.*set the regimen's route to "oral"/,
    );
    expect(() => sim.simulate({ population: pop, regimen: { interval: 0, route: 'oral' }, amounts: [1], gridStep: 0.5 })).toThrow(
      DoseSettingsError,
    );
    expect(() => sim.simulate({ population: pop, regimen: { interval: 24, route: 'oral' }, amounts: [-1], gridStep: 0.5 })).toThrow(
      /zero or positive/,
    );
    const noWt = drawPopulation({
      size: 5,
      seed: 1,
      scenario: { name: 'light', covariates: { SEX: { share: 1 } } },
      randomEffects: sim.randomEffects,
    });
    expect(() => sim.simulate({ population: noWt, regimen: { interval: 24, route: 'oral' }, amounts: [1], gridStep: 0.5 })).toThrow(
      'Scenario "light": the model needs the covariate WT; give its distribution in the scenario (questions.scenarios).',
    );
    const negative = drawPopulation({
      size: 5,
      seed: 1,
      scenario: { name: 'odd', covariates: { WT: { uniform: [-10, -5] }, SEX: { share: 1 } } },
      randomEffects: sim.randomEffects,
    });
    expect(() => sim.simulate({ population: negative, regimen: { interval: 24, route: 'oral' }, amounts: [1], gridStep: 0.5 })).toThrow(
      /virtual subject 1 has WT = -\d.*a power effect needs positive values/,
    );
    // A linear effect of AGE on IMAX takes IMAX above 1 for the oldest virtual subjects: named, with what to change.
    const imaxReading = readStudySpec({
      format: 'qpkpd-study',
      version: 1,
      name: 'imax by age',
      units: { time: 'h', amount: 'mg', concentration: 'mg/L', response: 'units' },
      endpoints: { pk: { dvid: 1 }, pd: { dvid: 2 } },
      model: {
        pk: { route: 'iv', compartments: 1, lag: false },
        pd: { family: 'indirect', type: 'inhibit-production' },
        covariates: [{ column: 'AGE', on: 'IMAX', form: 'linear', reference: 40 }],
        randomEffects: ['CL'],
      },
    });
    if (!imaxReading.ok) throw new Error('imax spec');
    const imaxPd = { family: 'indirect', type: 'inhibit-production' } as const;
    const imaxModel = truthModel(
      imaxReading.spec,
      { pk: { route: 'iv', compartments: 1, lag: false }, pd: imaxPd },
      { CL: 2, V: 20, BASE: 10, KOUT: 0.1, IMAX: 0.8, IC50: 1, 'IMAX~AGE': 0.02 },
      { CL: 0.2 },
      {},
    );
    const imaxSim = new StudyDoseSimulator(imaxReading.spec, imaxModel, 'pd');
    const old = drawPopulation({
      size: 5,
      seed: 1,
      scenario: { name: 'elderly', covariates: { AGE: { uniform: [65, 80] } } },
      randomEffects: imaxSim.randomEffects,
    });
    expect(() => imaxSim.simulate({ population: old, regimen: { interval: 24, route: 'bolus' }, amounts: [1], gridStep: 0.5 })).toThrow(
      /^Scenario "elderly": virtual subject 1 \(AGE = 7\d(\.\d+)?\) gets parameters the model cannot use — .*IMAX.*narrow the scenario's distributions/,
    );
    const pkOnly = { ...oral.truth, pd: undefined };
    expect(() => new StudyDoseSimulator(oral.spec, pkOnly, 'pd')).toThrow(/need a model with a PD part/);
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      sim.simulate({ population: pop, regimen: { interval: 24, route: 'oral' }, amounts: [1], gridStep: 0.5, signal: controller.signal }),
    ).toThrow(DoseSearchCancelledError);
  });
});
