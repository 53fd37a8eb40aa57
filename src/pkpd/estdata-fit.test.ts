/**
 * The real EstData through the whole sequential workflow, beside the independent reference fits in
 * docs/mechanistic-model.md (two other fitters; a sanity check, not a truth). Bands are about ±15% around
 * the notes' values, wider where the notes say "≈" or the parameter is poorly determined.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { FitCancelledError } from './errors';
import type { FitProgress } from './foce';
import { fitPkpd, type PkpdFitResult } from './pkpd-fit';
import { readEstDataCsv } from '../testing/fixture-files';

const ESTDATA = readEstDataCsv();

function dataset(): Dataset {
  const result = ingestText(ESTDATA, 'EstData.csv');
  if (!result.ok) throw new Error('EstData.csv did not ingest');
  return result.dataset;
}

function estimate(fit: { foce: { parameters: { name: string; estimate: number }[] } }, name: string): number {
  const p = fit.foce.parameters.find((x) => x.name === name);
  if (!p) throw new Error(`no parameter ${name}`);
  return p.estimate;
}

function expectBetween(value: number, lo: number, hi: number, label: string): void {
  expect(value, label).toBeGreaterThanOrEqual(lo);
  expect(value, label).toBeLessThanOrEqual(hi);
}

describe('EstData: sequential population PK/PD fit', () => {
  let fit: PkpdFitResult;
  const progress: FitProgress[] = [];
  beforeAll(() => {
    fit = fitPkpd(dataset(), {}, { onProgress: (p) => progress.push(p) });
  });

  it('prefers two compartments by AIC, by a wide margin', () => {
    expect(fit.comparison.map((c) => c.compartments)).toEqual([1, 2]);
    expect(fit.pk.options.compartments).toBe(2);
    expect(fit.comparison[1].aic - fit.comparison[0].aic).toBeLessThan(-500);
    expect(fit.pdConditioning).toBe('IPP');
  });

  it('one-compartment PK agrees with the reference one-compartment fit', () => {
    const one = fit.pkCandidates[0];
    expectBetween(estimate(one, 'CL'), 0.033, 0.044, 'CL (notes 0.038)');
    expectBetween(estimate(one, 'V'), 6.0, 7.9, 'V (notes 6.9)');
    expectBetween(estimate(one, 'beta_CL'), 1.0, 1.6, 'BW exponent on CL (notes 1.29)');
    expectBetween(estimate(one, 'beta_V'), 0.9, 1.25, 'BW exponent on V (notes 1.08)');
    expectBetween(estimate(one, 'omega(cl)'), 0.18, 0.32, 'IIV CL (notes 0.25)');
    const comed = one.foce.parameters.find((p) => p.name === 'COMED_CL')!;
    expect(comed.lower).toBeLessThan(1);
    expect(comed.upper).toBeGreaterThan(1);
  });

  it('two-compartment PK agrees with the reference two-compartment fit', () => {
    const two = fit.pk;
    expectBetween(estimate(two, 'CL'), 0.038, 0.05, 'CL (notes 0.044)');
    expectBetween(estimate(two, 'V'), 2.2, 3.0, 'V1 (notes 2.6)');
    expectBetween(estimate(two, 'Q'), 0.14, 0.2, 'Q (notes 0.17)');
    expectBetween(estimate(two, 'V2'), 5.0, 6.8, 'V2 (notes 5.9)');
    expectBetween(estimate(two, 'ka'), 0.7, 1.2, 'ka (notes 0.9)');
    expectBetween(estimate(two, 'omega(cl)'), 0.2, 0.35, 'IIV CL (notes 0.28)');
    expect(two.foce.covarianceMessage).toBe('ok');
    const comed = two.foce.parameters.find((p) => p.name === 'COMED_CL')!;
    expect(comed.lower).toBeLessThan(1);
    expect(comed.upper).toBeGreaterThan(1);
  });

  it('PD agrees with the reference fits', () => {
    const pd = fit.pd;
    expectBetween(estimate(pd, 'Imax'), 0.85, 0.93, 'Imax (notes 0.88–0.9)');
    expectBetween(estimate(pd, 'IC50'), 0.85, 1.35, 'IC50 (notes 1.0–1.18)');
    expectBetween(estimate(pd, 'kout'), 0.0125, 0.0185, 'k_out (notes 0.015–0.016)');
    expectBetween(estimate(pd, 'BASE'), 9.0, 10.8, 'BASE (notes 9.7–10)');
    expectBetween(estimate(pd, 'COMED_BASE'), 0.68, 0.86, 'COMED factor on BASE (notes 0.76–0.78)');
    expectBetween(estimate(pd, 'omega(base)'), 0.17, 0.26, 'IIV BASE (notes 0.21)');
    expect(pd.foce.covarianceMessage).toBe('ok');
  });

  it('reports progress per stage and the model in the simulator’s shape', () => {
    const stages = new Set(progress.map((p) => p.stage));
    expect([...stages]).toEqual(['PK 1-compartment', 'PK 2-compartment', 'PD indirect response']);
    expect(progress.every((p) => Number.isFinite(p.ofv) && p.iteration >= 1)).toBe(true);
    expect(fit.model.pk.fixed.compartments).toBe(2);
    expect(fit.model.pd.fixed.imax).toBe(estimate(fit.pd, 'Imax'));
    // Individual predictions follow the data closely (two-compartment residual SD ≈ 0.1 on log scale).
    const iwres = fit.pk.observations.flatMap((o) => Array.from(o.iwres));
    expect(Math.sqrt(iwres.reduce((a, v) => a + v * v, 0) / iwres.length)).toBeLessThan(1.2);
  });

  it('stops with FitCancelledError when cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => fitPkpd(dataset(), {}, { signal: controller.signal })).toThrow(FitCancelledError);
  });
});
