/**
 * Simulated-truth recovery at EstData's size (48 subjects, 4 arms, seed 1001 for every scenario —
 * the first seed, not a searched one). Tolerances follow the expected sampling error at this size:
 * typical values ±20% (their SEs are 2–6%), IIV SDs ±40% (±60% for the small ω = 0.1–0.2 ones),
 * residual SDs ±15%, and every estimate within 3.5 of its own standard errors of the truth.
 * The heavier, multi-seed study with tighter checks is recovery-study.test.ts (PKPD_RECOVERY=1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fitPopulationPd, type PdFitResult } from './pd-fit';
import { fitPopulationPk, type PkFitResult } from './pk-fit';
import type { PopulationModel } from './population-model';
import type { SimulatedSubject } from './simulate-trial';
import type { PkpdSubject } from './subject-data';
import {
  pdTruth,
  pkTruth,
  recoveryTable,
  SCENARIO_COMED_ON_CL,
  SCENARIO_ESTDATA_1CMT,
  SCENARIO_ESTDATA_2CMT,
  simulatedSubjects,
  simulatedTrial,
  type RecoveryRow,
} from './testing/scenarios';

const SEED = 1001;
const PER_ARM = 12;

function row(rows: RecoveryRow[], name: string): RecoveryRow {
  const r = rows.find((x) => x.name === name);
  if (!r) throw new Error(`no estimate named ${name}`);
  return r;
}

function expectWithin(rows: RecoveryRow[], names: string[], relative: number): void {
  for (const name of names) {
    const r = row(rows, name);
    expect(Math.abs(r.ratio - 1), `${name}: truth ${r.truth}, estimate ${r.estimate}`).toBeLessThan(relative);
  }
}

function correlation(pairs: number[][]): number {
  const n = pairs.length;
  const mx = pairs.reduce((a, p) => a + p[0], 0) / n;
  const my = pairs.reduce((a, p) => a + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function expectConsistentWithSe(rows: RecoveryRow[]): void {
  for (const r of rows) {
    expect(Number.isFinite(r.se), `${r.name} has a standard error`).toBe(true);
    expect(Math.abs(r.z), `${r.name}: truth ${r.truth}, estimate ${r.estimate} ± ${r.se}`).toBeLessThan(3.5);
  }
}

interface Fits {
  subjects: PkpdSubject[];
  truth: SimulatedSubject[];
  one: PkFitResult;
  two: PkFitResult;
  pd: PdFitResult;
}

function fitScenario(model: PopulationModel, pdEtas: ('base' | 'ic50')[]): Fits {
  const { subjects, truth } = simulatedTrial(model, PER_ARM, SEED);
  const one = fitPopulationPk(subjects, { compartments: 1, comedOnCl: true });
  const two = fitPopulationPk(subjects, { compartments: 2, comedOnCl: true });
  const chosen = model.pk.fixed.compartments === 1 ? one : two;
  const pd = fitPopulationPd(subjects, chosen.individuals, { etas: pdEtas });
  return { subjects, truth, one, two, pd };
}

describe('recovery: one compartment near the EstData fit, no COMED effect on CL', () => {
  const model = SCENARIO_ESTDATA_1CMT;
  let fits: Fits;
  beforeAll(() => {
    fits = fitScenario(model, ['base']);
  });

  it('recovers the PK parameters', () => {
    expect(fits.one.foce.converged).toBe(true);
    expect(fits.one.foce.covarianceMessage).toBe('ok');
    const rows = recoveryTable(fits.one.foce, pkTruth(model.pk));
    expectWithin(rows, ['CL', 'V', 'ka'], 0.2);
    expectWithin(rows, ['omega(cl)'], 0.4);
    expectWithin(rows, ['omega(v)'], 0.6);
    expectWithin(rows, ['sigma(add)'], 0.15);
    expectConsistentWithSe(rows);
    for (const beta of ['beta_CL', 'beta_V']) expect(row(rows, beta).se).toBeLessThan(0.35);
  });

  it('finds no COMED effect on CL when there is none', () => {
    const comed = fits.one.foce.parameters.find((p) => p.name === 'COMED_CL')!;
    expect(comed.lower).toBeLessThan(1);
    expect(comed.upper).toBeGreaterThan(1);
  });

  it('does not support a second compartment on one-compartment data', () => {
    // AIC penalises the two extra parameters by 4; the non-regular nesting (Q → 0) makes AIC pick
    // two compartments on ~25% of such 48-subject trials (see recovery-study), BIC on none.
    expect(fits.two.foce.aic - fits.one.foce.aic).toBeGreaterThan(-4);
    expect(fits.two.foce.bic).toBeGreaterThan(fits.one.foce.bic);
  });

  it('recovers the PD parameters given individual PK (IPP)', () => {
    expect(fits.pd.foce.converged).toBe(true);
    const rows = recoveryTable(fits.pd.foce, pdTruth(model.pd));
    expectWithin(rows, ['BASE', 'COMED_BASE', 'kout', 'IC50', 'sigma(prop)'], 0.15);
    expect(Math.abs(row(rows, 'Imax').estimate - model.pd.fixed.imax)).toBeLessThan(0.05);
    expectWithin(rows, ['omega(base)'], 0.4);
    expectConsistentWithSe(rows);
  });

  it('gives shrinkage-aware individual estimates and well-behaved residuals', () => {
    // EBEs track the simulated η: rich PK sampling, little shrinkage on CL.
    const trueEta = new Map(fits.truth.map((s) => [String(s.id), s.etaPk.cl ?? NaN]));
    const pairs = fits.one.individuals
      .filter((i) => fits.subjects.find((s) => s.id === i.id)!.doses.length > 0)
      .map((i) => [i.eta.cl ?? NaN, trueEta.get(i.id)!]);
    expect(correlation(pairs)).toBeGreaterThan(0.95);
    const trueBase = new Map(fits.truth.map((s) => [String(s.id), s.etaPd.base ?? NaN]));
    expect(correlation(fits.pd.individuals.map((i) => [i.eta.base ?? NaN, trueBase.get(i.id)!]))).toBeGreaterThan(0.9);
    const cwres = fits.one.observations.flatMap((o) => Array.from(o.cwres));
    const mean = cwres.reduce((a, b) => a + b, 0) / cwres.length;
    const sd = Math.sqrt(cwres.reduce((a, b) => a + (b - mean) ** 2, 0) / cwres.length);
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(sd - 1)).toBeLessThan(0.1);
    expect(fits.one.foce.etaShrinkage[0]).toBeLessThan(0.1);
    const pdCwres = fits.pd.observations.flatMap((o) => Array.from(o.cwres));
    const pdMean = pdCwres.reduce((a, b) => a + b, 0) / pdCwres.length;
    expect(Math.abs(pdMean)).toBeLessThan(0.1);
  });
});

describe('recovery: COMED lowers CL by 40%', () => {
  const model = SCENARIO_COMED_ON_CL;
  let withComed: PkFitResult;
  let withoutComed: PkFitResult;
  beforeAll(() => {
    const subjects = simulatedSubjects(model, PER_ARM, SEED);
    withComed = fitPopulationPk(subjects, { compartments: 1, comedOnCl: true });
    withoutComed = fitPopulationPk(subjects, { compartments: 1, comedOnCl: false });
  });

  it('detects the effect (Wald interval and likelihood ratio) and estimates its size', () => {
    const comed = withComed.foce.parameters.find((p) => p.name === 'COMED_CL')!;
    expect(comed.upper).toBeLessThan(1);
    expect(Math.abs(comed.estimate / 0.6 - 1)).toBeLessThan(0.2);
    expect(withoutComed.foce.ofv - withComed.foce.ofv).toBeGreaterThan(3.84);
    const rows = recoveryTable(withComed.foce, pkTruth(model.pk));
    expectWithin(rows, ['CL', 'V', 'ka'], 0.2);
    expectConsistentWithSe(rows);
  });
});

describe('recovery: two compartments near the EstData two-compartment fit', () => {
  const model = SCENARIO_ESTDATA_2CMT;
  let fits: Fits;
  beforeAll(() => {
    fits = fitScenario(model, ['base', 'ic50']);
  });

  it('AIC (and BIC) pick two compartments decisively', () => {
    expect(fits.two.foce.aic - fits.one.foce.aic).toBeLessThan(-100);
    expect(fits.two.foce.bic).toBeLessThan(fits.one.foce.bic);
  });

  it('recovers the two-compartment PK parameters', () => {
    expect(fits.two.foce.covarianceMessage).toBe('ok');
    const rows = recoveryTable(fits.two.foce, pkTruth(model.pk));
    expectWithin(rows, ['CL', 'V', 'ka', 'Q', 'V2'], 0.2);
    expectWithin(rows, ['omega(cl)', 'omega(v)'], 0.4);
    expectWithin(rows, ['sigma(add)'], 0.15);
    expectConsistentWithSe(rows);
  });

  it('recovers the PD parameters including IIV on IC50', () => {
    const rows = recoveryTable(fits.pd.foce, pdTruth(model.pd));
    expectWithin(rows, ['BASE', 'COMED_BASE', 'kout', 'IC50', 'sigma(prop)'], 0.15);
    expectWithin(rows, ['omega(base)'], 0.4);
    expectWithin(rows, ['omega(ic50)'], 0.6);
    expectConsistentWithSe(rows);
  });
});
