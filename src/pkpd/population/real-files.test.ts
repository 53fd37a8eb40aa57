/**
 * The three real public datasets (test-data/real) fitted with their study specs (test-data/specs):
 * each fit converges with finite estimates and standard errors, in a range consistent with the
 * published analyses (bench/results-real-fits-2026-12-06.json has the numbers side by side):
 * theophylline CL ≈ 0.04 L/h/kg (2.8 L/h at 70 kg), V ≈ 0.46 L/kg, KA ≈ 1.5 /h; phenobarbital
 * CL 0.0047 L/h/kg, V 0.96 L/kg (Grasela & Donn 1985); mavoglurant (IV infusions over two occasions) a
 * terminal half-life in 5–30 h (the fit gives about 7 h; about 12 h was reported after oral doses, an
 * apparent half-life that absorption can lengthen — no compartmental estimate of these data is published).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import type { StudySpec } from '../../study/study-spec';
import { readRealDatasetCsv, type RealDatasetName } from '../../testing/fixture-files';
import { fitStudy, type StudyFitResult } from './fit-study';

function specFile(name: string): StudySpec {
  const reading = readStudySpecText(readFileSync(new URL(`../../../test-data/specs/${name}.study.json`, import.meta.url), 'utf8'));
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

function fit(data: RealDatasetName, spec: string): StudyFitResult {
  const ingested = ingestText(readRealDatasetCsv(data), `${data}.csv`);
  if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));
  return fitStudy(ingested.dataset, specFile(spec));
}

function expectWellDetermined(result: StudyFitResult): void {
  expect(result.comparison.every((c) => c.converged)).toBe(true);
  expect(result.pk?.foce.covarianceMessage).toBe('ok');
  for (const [name, e] of Object.entries(result.estimates)) {
    expect(Number.isFinite(e.value), name).toBe(true);
    // Typical values are well determined; a covariate effect may not be (theophylline: 12 subjects).
    if (!e.fixed) expect(Number.isFinite(e.rse), name).toBe(true);
    if (!e.fixed && e.role === 'typical') expect(e.rse, name).toBeLessThan(50);
  }
  for (const [name, e] of Object.entries(result.omega)) {
    expect(e?.sd, name).toBeGreaterThan(0.02);
    expect(e?.sd, name).toBeLessThan(1.5);
  }
  expect(Number.isFinite(result.ofv)).toBe(true);
}

function between(value: number, lo: number, hi: number, label: string): void {
  expect(value, label).toBeGreaterThanOrEqual(lo);
  expect(value, label).toBeLessThanOrEqual(hi);
}

describe('real files fit with their study specs', () => {
  it('theophylline: oral, one compartment, WT on CL', () => {
    const r = fit('theo_sd', 'theophylline');
    expectWellDetermined(r);
    between(r.estimates.CL.value, 2, 3.6, 'CL (L/h) at 70 kg');
    between(r.estimates.V.value, 25, 40, 'V (L)');
    between(r.estimates.KA.value, 0.8, 2.5, 'KA (1/h)');
    expect(r.estimates.CL.unit).toBe('L/h');
    // Twelve subjects of 54–86 kg cannot tell a WT exponent from zero.
    expect(r.estimates['CL~WT'].lower).toBeLessThan(0);
    // The observation at the dose time (before absorption) is left out, with the reason.
    expect(r.notes.some((n) => n.includes('before the first dose'))).toBe(true);
  });

  it('phenobarbital: repeated IV boluses, CL and V proportional to WT', () => {
    const r = fit('pheno_sd', 'phenobarbital');
    expectWellDetermined(r);
    between(r.estimates.CL.value, 0.0037, 0.0057, 'CL (L/h per kg)');
    between(r.estimates.V.value, 0.8, 1.2, 'V (L/kg)');
    expect(r.estimates['CL~WT']).toMatchObject({ fixed: true, value: 1 });
  });

  it('mavoglurant: IV infusions over two occasions, two compartments, WT on CL and V', () => {
    const r = fit('mavoglurant', 'mavoglurant');
    expectWellDetermined(r);
    const { CL, V, Q, V2 } = r.estimates;
    between(CL.value, 10, 60, 'CL (L/h)');
    between(V.value + V2.value, 60, 400, 'V + V2 (L)');
    between(Q.value, 5, 100, 'Q (L/h)');
    // Terminal half-life of the typical subject, from the two-compartment rates.
    const k10 = CL.value / V.value;
    const k12 = Q.value / V.value;
    const k21 = Q.value / V2.value;
    const sum = k10 + k12 + k21;
    const beta = (sum - Math.sqrt(sum * sum - 4 * k10 * k21)) / 2;
    between(Math.LN2 / beta, 5, 30, 'terminal half-life (h)');
    expect(r.study.subjects.filter((s) => s.segments.length === 2)).toHaveLength(78);
  });
});
