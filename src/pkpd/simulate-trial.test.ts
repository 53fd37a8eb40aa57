import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import { regimen } from './dose-history';
import { ESTDATA_LIKE_MODEL } from './population-model';
import { ESTDATA_DESIGN, ESTDATA_PD_TIMES, ESTDATA_PK_TIMES, estDataDesign, simulateTrial } from './simulate-trial';
import { extractSubjects } from './subject-data';
import { createRng } from './random';
import { readEstDataCsv } from '../testing/fixture-files';

const ESTDATA = readEstDataCsv();

function ingest(text: string, name: string) {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result;
}

describe('simulated trials in the EstData layout', () => {
  it('uses EstData’s sampling times, doses and columns', () => {
    const real = extractSubjects(ingest(ESTDATA, 'EstData.csv').dataset);
    const dosed = real.find((s) => s.armDose === 10);
    const placebo = real.find((s) => s.armDose === 0);
    expect(Array.from(dosed!.pk.times)).toEqual(ESTDATA_PK_TIMES);
    expect(Array.from(dosed!.pd.times)).toEqual(ESTDATA_PD_TIMES);
    expect(dosed!.doses).toEqual(regimen(10, 24, 21));
    expect(placebo!.pk.times.length).toBe(0);
    const header = ESTDATA.split('\n')[0].trim();
    const sim = simulateTrial(ESTDATA_LIKE_MODEL, ESTDATA_DESIGN, 1);
    expect(sim.csv.split('\n')[0]).toBe(header);
  });

  it('is accepted by ingestText with the same structure as EstData', () => {
    const sim = simulateTrial(ESTDATA_LIKE_MODEL, ESTDATA_DESIGN, 7);
    const { dataset, warnings } = ingest(sim.csv, 'sim.csv');
    const real = ingest(ESTDATA, 'EstData.csv').dataset;
    expect(warnings).toEqual([]);
    expect(dataset.rowCount).toBe(real.rowCount);
    expect(dataset.subjects.map((s) => [s.armDose, s.doseCount, s.pkCount, s.pdCount])).toEqual(
      real.subjects.map((s) => [s.armDose, s.doseCount, s.pkCount, s.pdCount]),
    );
    const subjects = extractSubjects(dataset);
    expect(subjects.map((s) => s.bw)).toEqual(sim.subjects.map((s) => s.bw));
    for (const s of subjects) {
      expect(s.bw).toBeGreaterThanOrEqual(50);
      expect(s.bw).toBeLessThanOrEqual(100);
      expect(Number.isInteger(s.bw)).toBe(true);
    }
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(simulateTrial(ESTDATA_LIKE_MODEL, ESTDATA_DESIGN, 3).csv).toBe(simulateTrial(ESTDATA_LIKE_MODEL, ESTDATA_DESIGN, 3).csv);
    expect(simulateTrial(ESTDATA_LIKE_MODEL, ESTDATA_DESIGN, 3).csv).not.toBe(simulateTrial(ESTDATA_LIKE_MODEL, ESTDATA_DESIGN, 4).csv);
  });

  it('draws covariates and η with the stated distributions', () => {
    const sim = simulateTrial(ESTDATA_LIKE_MODEL, estDataDesign(250), 11);
    const n = sim.subjects.length;
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = (xs: number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
    expect(mean(sim.subjects.map((s) => s.comed))).toBeCloseTo(0.5, 1);
    expect(mean(sim.subjects.map((s) => s.bw))).toBeGreaterThan(73);
    expect(mean(sim.subjects.map((s) => s.bw))).toBeLessThan(77);
    const etaCl = sim.subjects.map((s) => s.etaPk.cl ?? NaN);
    expect(Math.abs(mean(etaCl))).toBeLessThan((4 * 0.25) / Math.sqrt(n)); // 4 standard errors
    expect(sd(etaCl)).toBeGreaterThan(0.25 * 0.9);
    expect(sd(etaCl)).toBeLessThan(0.25 * 1.1);
    expect(sim.subjects.every((s) => s.etaPk.ka === undefined)).toBe(true);
  });

  it('puts the placebo PD around baseline with the residual CV', () => {
    const sim = simulateTrial({ ...ESTDATA_LIKE_MODEL, pd: { ...ESTDATA_LIKE_MODEL.pd, omega: {} } }, estDataDesign(40), 5);
    const subjects = extractSubjects(ingest(sim.csv, 'sim.csv').dataset).filter((s) => s.armDose === 0 && s.comed === 0);
    const ratios = subjects.flatMap((s) => Array.from(s.pd.values, (v) => v / 10 - 1));
    const cv = Math.sqrt(ratios.reduce((a, r) => a + r * r, 0) / ratios.length);
    expect(cv).toBeGreaterThan(0.09);
    expect(cv).toBeLessThan(0.11);
  });
});

describe('seeded PRNG', () => {
  it('gives uniform and normal moments', () => {
    const rng = createRng(123);
    let s1 = 0;
    let s2 = 0;
    let u = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
      u += rng.uniform();
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.01);
    expect(Math.abs(u / n - 0.5)).toBeLessThan(0.003);
  });
});
