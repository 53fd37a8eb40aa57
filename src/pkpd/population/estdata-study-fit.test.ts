/**
 * EstData through the study path (its preset, the general engine, the generic parameter model)
 * gives exactly the estimates of the EstData-only fit it replaced (`fitPkpd`, retired; the numbers
 * below are that fit's at commit bc03053): every OFV, iteration count, estimate and SE as written,
 * and the empirical Bayes η, CWRES, individual CL and PK IPRED bit for bit (FNV-1a 64 digests of their
 * float64 values, src/data/hash.ts). Beside that, the estimates lie near the independent reference
 * fits in docs/mechanistic-model.md (two other fitters; a sanity check, not a truth): bands about
 * ±15 % around the notes' values, wider where the notes say "≈" or the parameter is poorly determined.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Fnv1a64 } from '../../data/hash';
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import type { StudySpec } from '../../study/study-spec';
import { readEstDataCsv, readEstDataStudyText } from '../../testing/fixture-files';
import { FitCancelledError } from '../errors';
import type { FitProgress, FoceResult } from '../foce';
import { fitStudy, type StudyFitResult } from './fit-study';

function dataset(): Dataset {
  const result = ingestText(readEstDataCsv(), 'EstData.csv');
  if (!result.ok) throw new Error('EstData.csv did not ingest');
  return result.dataset;
}

function preset(): StudySpec {
  const reading = readStudySpecText(readEstDataStudyText());
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

/** FNV-1a 64 of float64 vectors in order (each with its length). */
function digest(vectors: readonly ArrayLike<number>[]): string {
  const hash = new Fnv1a64();
  for (const v of vectors) hash.numbers(v);
  return hash.hex();
}

interface StageReference {
  ofv: number;
  iterations: number;
  /** [name, estimate, SE] of every estimated parameter (fixed ones left out), in the fit's order. */
  estimated: [string, number, number][];
  etas: string;
  cwres: string;
  /** The covariance step's message, in lower case (the old fit named ka in lower case). */
  covariance: string;
}

/** `fitPkpd` on EstData at bc03053 (the EstData-only fit), its parameters under the study fit's names. */
const FIT_PKPD: { pk1: StageReference; pk2: StageReference; pd: StageReference } = {
  pk1: {
    ofv: 714.1235011975142,
    iterations: 52,
    estimated: [
      ['CL', 0.03804288742499725, 0.0019433411036774016],
      ['V', 6.8880003766098294, 0.10440553082459961],
      ['KA', 293345.78013655957, NaN],
      ['CL~BW', 1.2977742615329402, 0.1735792523118367],
      ['V~BW', 1.0706332145740811, 0.06993633884165264],
      ['CL~COMED', 0.9816170132697728, 0.07183409918082256],
      ['omega(CL)', 0.21384329207997693, 0.02664527864988215],
      ['omega(V)', 0.0008845949679458719, 0.06048624068349547],
      ['sigma(add)', 0.34300881983339804, 0.008429707599439316],
    ],
    etas: '5c15f1d38221653b',
    cwres: 'ba18cdaca733dbc4',
    covariance:
      'the objective is flat in ka (not identifiable from these data): no standard error for it; the others are conditional on its estimate',
  },
  pk2: {
    ofv: -1267.1373541392231,
    iterations: 21,
    estimated: [
      ['CL', 0.04434038881376732, 0.0027628695461865906],
      ['V', 2.6925087148873663, 0.10836447432982246],
      ['KA', 0.9595935533285416, 0.038966765817512],
      ['Q', 0.16916051297511886, 0.004207405252307525],
      ['V2', 5.776900218035715, 0.05487580034036966],
      ['CL~BW', 1.030621942593651, 0.08581893970128616],
      ['V~BW', 1.002893296205755, 0.03557446781235381],
      ['CL~COMED', 0.9707246836280298, 0.08793719910035924],
      ['omega(CL)', 0.2707558548160241, 0.03232404209050807],
      ['omega(V)', 0.21672058345640988, 0.02709159066439519],
      ['sigma(add)', 0.09726621071305028, 0.00244502491688572],
    ],
    etas: '92ca1fb86090bd65',
    cwres: 'ff495015e9d62f63',
    covariance: 'ok',
  },
  pd: {
    ofv: 2467.9227949343403,
    iterations: 18,
    estimated: [
      ['BASE', 9.911458308823887, 0.42223437008052145],
      ['BASE~COMED', 0.7806932473334153, 0.04681800601411551],
      ['KOUT', 0.015187809031761328, 0.0005205324451813022],
      ['IMAX', 0.8985841666528233, 0.005054983802915165],
      ['IC50', 1.0150076743107523, 0.032520982971641806],
      ['omega(BASE)', 0.20668119422934528, 0.021311446758841255],
      ['sigma(prop)', 0.1057506509479554, 0.0022265757986401043],
    ],
    etas: 'ae5b1dc2dacf8e3e',
    cwres: 'f67d893bbc58d75b',
    covariance: 'ok',
  },
};

/** Digests of the old fit's individual CL (subjects 1…48) and of its PK IPRED (observations in subject order). */
const FIT_PKPD_INDIVIDUAL_CL = 'cbd2f4dcf24b355d';
const FIT_PKPD_PK_IPRED = '3e5ef9b01e950be0';
const FIT_PKPD_OBSERVATIONS = { pk: 864, pd: 1200 };

function expectSameFit(reference: StageReference, study: FoceResult): void {
  expect(study.ofv).toBe(reference.ofv);
  expect(study.iterations).toBe(reference.iterations);
  expect(study.parameters.filter((p) => !p.fixed).map((p) => [p.name, p.estimate, p.se])).toEqual(reference.estimated);
  expect(digest(study.etas)).toBe(reference.etas);
  expect(digest(study.diagnostics.map((d) => d.cwres))).toBe(reference.cwres);
  expect(study.covarianceMessage.toLowerCase()).toBe(reference.covariance);
}

function parameter(foce: FoceResult, name: string): FoceResult['parameters'][number] {
  const p = foce.parameters.find((x) => x.name === name);
  if (!p) throw new Error(`no parameter ${name}`);
  return p;
}

function expectBetween(foce: FoceResult, name: string, lo: number, hi: number, label: string): void {
  const value = parameter(foce, name).estimate;
  expect(value, label).toBeGreaterThanOrEqual(lo);
  expect(value, label).toBeLessThanOrEqual(hi);
}

const reference = (stage: StageReference, name: string): number => {
  const row = stage.estimated.find((r) => r[0] === name);
  if (!row) throw new Error(`no reference ${name}`);
  return row[1];
};

describe('EstData: the study fit reproduces the EstData-only fit (fitPkpd)', () => {
  let study: StudyFitResult;
  const progress: FitProgress[] = [];
  beforeAll(() => {
    study = fitStudy(dataset(), preset(), { onProgress: (p) => progress.push(p) });
  });

  it('one and two compartments, bit for bit, and the same choice by AIC', () => {
    expectSameFit(FIT_PKPD.pk1, study.candidates.pk[0].foce);
    expectSameFit(FIT_PKPD.pk2, study.candidates.pk[1].foce);
    expect(study.comparison.filter((c) => c.stage === 'pk').map((c) => [c.model, c.chosen])).toEqual([
      ['oral 1-compartment', false],
      ['oral 2-compartment', true],
    ]);
  });

  it('PD conditioned on the individual PK parameters, bit for bit', () => {
    expectSameFit(FIT_PKPD.pd, study.pd?.foce as FoceResult);
    expect(study.pdConditioning).toBe('IPP');
  });

  it('names the estimates and shows them in the spec’s units (mg and ng/mL: volumes in L, clearances in L/h)', () => {
    const cl = study.estimates.CL;
    expect(cl).toMatchObject({ unit: 'L/h', stage: 'pk', role: 'typical', fixed: false });
    expect(cl.estimate).toBe(reference(FIT_PKPD.pk2, 'CL'));
    expect(cl.value).toBeCloseTo(1000 * cl.estimate, 9);
    expect(study.estimates.V2.unit).toBe('L');
    expect(study.estimates.KOUT).toMatchObject({ unit: '1/h', estimate: reference(FIT_PKPD.pd, 'KOUT') });
    expect(study.estimates.IC50.unit).toBe('ng/mL');
    expect(study.estimates['CL~BW']).toMatchObject({ role: 'effect', unit: '', estimate: reference(FIT_PKPD.pk2, 'CL~BW') });
    expect(study.estimates['BASE~COMED'].estimate).toBe(reference(FIT_PKPD.pd, 'BASE~COMED'));
    expect(study.omega.CL?.sd).toBe(reference(FIT_PKPD.pk2, 'omega(CL)'));
    expect(study.omega.BASE?.sd).toBe(reference(FIT_PKPD.pd, 'omega(BASE)'));
    expect(study.residual.pk?.exponential?.value).toBe(reference(FIT_PKPD.pk2, 'sigma(add)'));
    expect(study.residual.pd?.proportional?.value).toBe(reference(FIT_PKPD.pd, 'sigma(prop)'));
    expect(study.ofv).toBe(FIT_PKPD.pk2.ofv + FIT_PKPD.pd.ofv);
  });

  it('gives every subject its η and individual parameters, and every observation its residuals', () => {
    expect(study.individuals.map((s) => s.id)).toEqual(Array.from({ length: 48 }, (_, k) => String(k + 1)));
    expect(digest([study.individuals.map((s) => s.parameters.CL as number)])).toBe(FIT_PKPD_INDIVIDUAL_CL);
    const pkRows = study.observations.filter((r) => r.target === 'pk');
    const pdRows = study.observations.filter((r) => r.target === 'pd');
    expect(pkRows).toHaveLength(FIT_PKPD_OBSERVATIONS.pk);
    expect(pdRows).toHaveLength(FIT_PKPD_OBSERVATIONS.pd);
    expect(digest([pkRows.map((r) => r.ipred)])).toBe(FIT_PKPD_PK_IPRED);
    expect(pdRows.every((r) => Number.isFinite(r.pred) && Number.isFinite(r.cwres) && r.group?.startsWith('DOSE '))).toBe(true);
  });

  it('reports progress per stage', () => {
    const stages = [...new Set(progress.map((p) => p.stage))];
    expect(stages).toEqual(['PK 1-compartment', 'PK 2-compartment', 'PD indirect (inhibit-production)']);
    expect(progress.every((p) => Number.isFinite(p.ofv) && p.iteration >= 1)).toBe(true);
  });

  it('stops with FitCancelledError when cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => fitStudy(dataset(), preset(), { signal: controller.signal })).toThrow(FitCancelledError);
  });

  it('prefers two compartments by AIC, by a wide margin', () => {
    const [one, two] = study.comparison.filter((c) => c.stage === 'pk');
    expect(two.aic - one.aic).toBeLessThan(-500);
  });

  it('one-compartment PK agrees with the reference one-compartment fit', () => {
    const one = study.candidates.pk[0].foce;
    expectBetween(one, 'CL', 0.033, 0.044, 'CL (notes 0.038)');
    expectBetween(one, 'V', 6.0, 7.9, 'V (notes 6.9)');
    expectBetween(one, 'CL~BW', 1.0, 1.6, 'BW exponent on CL (notes 1.29)');
    expectBetween(one, 'V~BW', 0.9, 1.25, 'BW exponent on V (notes 1.08)');
    expectBetween(one, 'omega(CL)', 0.18, 0.32, 'IIV CL (notes 0.25)');
    const comed = parameter(one, 'CL~COMED');
    expect(comed.lower).toBeLessThan(1);
    expect(comed.upper).toBeGreaterThan(1);
  });

  it('two-compartment PK agrees with the reference two-compartment fit', () => {
    const two = study.candidates.pk[1].foce;
    expectBetween(two, 'CL', 0.038, 0.05, 'CL (notes 0.044)');
    expectBetween(two, 'V', 2.2, 3.0, 'V1 (notes 2.6)');
    expectBetween(two, 'Q', 0.14, 0.2, 'Q (notes 0.17)');
    expectBetween(two, 'V2', 5.0, 6.8, 'V2 (notes 5.9)');
    expectBetween(two, 'KA', 0.7, 1.2, 'ka (notes 0.9)');
    expectBetween(two, 'omega(CL)', 0.2, 0.35, 'IIV CL (notes 0.28)');
    expect(two.covarianceMessage).toBe('ok');
    const comed = parameter(two, 'CL~COMED');
    expect(comed.lower).toBeLessThan(1);
    expect(comed.upper).toBeGreaterThan(1);
  });

  it('PD agrees with the reference fits', () => {
    const pd = study.pd?.foce as FoceResult;
    expectBetween(pd, 'IMAX', 0.85, 0.93, 'Imax (notes 0.88–0.9)');
    expectBetween(pd, 'IC50', 0.85, 1.35, 'IC50 (notes 1.0–1.18)');
    expectBetween(pd, 'KOUT', 0.0125, 0.0185, 'k_out (notes 0.015–0.016)');
    expectBetween(pd, 'BASE', 9.0, 10.8, 'BASE (notes 9.7–10)');
    expectBetween(pd, 'BASE~COMED', 0.68, 0.86, 'COMED factor on BASE (notes 0.76–0.78)');
    expectBetween(pd, 'omega(BASE)', 0.17, 0.26, 'IIV BASE (notes 0.21)');
    expect(pd.covarianceMessage).toBe('ok');
  });

  it('follows the data closely: individual PK residuals of about the residual SD (two compartments, ≈ 0.1 on the log scale)', () => {
    const iwres = study.observations.filter((r) => r.target === 'pk').map((r) => r.iwres);
    expect(Math.sqrt(iwres.reduce((a, v) => a + v * v, 0) / iwres.length)).toBeLessThan(1.2);
  });
});
