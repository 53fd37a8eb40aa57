/**
 * Below-LOQ observations from the file to the fit and its diagnostics, with known truth: a one-
 * compartment oral trial (60 subjects, one dose, nine samples to 48 h) simulated from a known model,
 * its concentrations below an LOQ of 0.4 mg/L (about 40 % of them) written in each convention —
 * Monolix/nlmixr2 (CENS = 1, DV = the LOQ) and NONMEM (MDV = 1, DV missing, BLQ = 1 with LLOQ) —
 * ingested, bound and fitted with M3, and fitted again with the BLQ rows discarded.
 */
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import { studyDiagnostics } from '../diagnostics/study-diagnostics';
import { fitStudy, type StudyFitResult } from './fit-study';
import { studyFitReport } from './report';
import { BLQ_LOQ, BLQ_TRUTH, blqConvention, blqTrialCsv, blqTrialSpec, censConvention } from './testing/blq-trial';

const LOQ = BLQ_LOQ;
const TRUTH = BLQ_TRUTH;
const convention = blqConvention;

function ingest(text: string, name: string): Dataset {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}

describe('below-LOQ observations from the file to M3 and the diagnostics (simulated truth)', () => {
  const study = blqTrialSpec();
  const trial = { csv: blqTrialCsv(2024) };
  const names = trial.csv.split('\n')[0].split(',');
  const dv = names.indexOf('DV');
  const mdv = names.indexOf('MDV');
  const cens = censConvention(trial.csv);
  const nonmem = convention(trial.csv, ',BLQ,LLOQ', (c, below) => {
    if (!below) return [...c, '0', String(LOQ)];
    const cells = [...c];
    cells[mdv] = '1';
    cells[dv] = '.';
    return [...cells, '1', String(LOQ)];
  });
  const discarded = convention(trial.csv, '', (c, below) => (below ? null : c));

  it('ingests both conventions to the same censored observations, fits them by M3 closer to the truth than discarding them', () => {
    const fromCens = ingest(cens, 'cens.csv');
    const fromNonmem = ingest(nonmem, 'nonmem.csv');
    const censored = fromCens.records.blq.reduce((a, b) => a + b, 0);
    const share = censored / (60 * 9);
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.45);
    expect(Array.from(fromNonmem.records.blq)).toEqual(Array.from(fromCens.records.blq));
    expect(Array.from(fromNonmem.records.dv)).toEqual(Array.from(fromCens.records.dv));

    const m3 = fitStudy(fromCens, study);
    const m3Nonmem = fitStudy(fromNonmem, study);
    const discard = fitStudy(ingest(discarded, 'discarded.csv'), study);
    for (const fit of [m3, m3Nonmem, discard]) expect(fit.comparison.every((c) => c.converged)).toBe(true);
    expect(m3Nonmem.ofv).toBeCloseTo(m3.ofv, 6);
    expect(m3.pk?.data.censored).toBe(censored);
    expect(m3.nObservations).toBe(60 * 9);
    expect(discard.nObservations).toBe(60 * 9 - censored);
    const report = studyFitReport(m3);
    expect(report.below_loq).toBe(censored);
    expect(report.notes).toContain(
      `${censored} concentration observation(s) below the limit of quantification handled by M3 ` +
        '(the likelihood of a value below the limit; IWRES and CWRES are not defined there).',
    );

    const bias = (fit: StudyFitResult, name: keyof typeof TRUTH): number => fit.estimates[name].value / TRUTH[name] - 1;
    const omegaBias = (fit: StudyFitResult, name: 'CL' | 'V'): number => (fit.omega[name]?.sd ?? NaN) / (name === 'CL' ? 0.3 : 0.2) - 1;
    const rows = (['CL', 'V', 'KA'] as const).map((p) => ({ p, m3: bias(m3, p), discard: bias(discard, p) }));
    const omegaRows = (['CL', 'V'] as const).map((p) => ({ p, m3: omegaBias(m3, p), discard: omegaBias(discard, p) }));
    // Measured (seed 2024), relative bias M3 / discarding: CL +1.2 % / −6.2 %, V +5.3 % / +11.7 %, KA +9.2 % / +19.4 %,
    // ω(CL) +0.8 % / −2.8 %, ω(V) −13.6 % / −15.2 % (σ +5.3 % / +6.3 %). One trial: M3 is closer for every θ, and in all.
    for (const r of rows) expect(Math.abs(r.m3), r.p).toBeLessThan(Math.abs(r.discard));
    const total = (key: 'm3' | 'discard'): number => [...rows, ...omegaRows].reduce((a, r) => a + Math.abs(r[key]), 0);
    expect(total('m3')).toBeLessThan(total('discard'));
  });

  it('marks the censored observations in the observation rows, the NPDE and the VPC', () => {
    const fit = fitStudy(ingest(cens, 'cens.csv'), study);
    const censored = fit.pk?.data.censored ?? 0;
    const diagnostics = studyDiagnostics(fit, { vpcReplicates: 30, npdeSimulations: 200, curvePoints: 50 });
    const blqRows = diagnostics.observations.filter((r) => r.blq);
    expect(blqRows).toHaveLength(censored);
    for (const r of blqRows) {
      expect(r.dv).toBe(LOQ);
      expect(r.iwres).toBeNaN();
      expect(r.cwres).toBeNaN();
    }
    for (const r of diagnostics.observations.filter((o) => !o.blq)) expect(Number.isFinite(r.iwres)).toBe(true);
    const npdeBlq = diagnostics.npde.observations.filter((r) => r.blq);
    const summary = diagnostics.npde.summary.pk;
    expect(npdeBlq).toHaveLength(censored);
    // Omitted (the npde package's "omit"): no npde at a censored observation; the others are N(0, 1).
    expect(npdeBlq.every((r) => Number.isNaN(r.npde))).toBe(true);
    expect(summary?.n).toBe(60 * 9 - censored);
    expect(Math.abs(summary?.mean ?? NaN)).toBeLessThan(0.2);
    expect(Math.abs((summary?.variance ?? NaN) - 1)).toBeLessThan(0.25);

    const vpc = diagnostics.vpc.pk;
    expect(vpc?.censored).toBe(true);
    const bins = vpc?.strata[0].bins ?? [];
    expect(bins.map((b) => b.time)).toEqual([0.5, 1, 2, 4, 8, 12, 24, 36, 48]);
    // At 48 h most are below the LOQ: the observed fraction lies in the simulated 90 % interval, and the 5th percentile is below it (NaN).
    const last = bins[bins.length - 1];
    expect(last.blq?.observed).toBeGreaterThan(0.5);
    expect(last.blq?.observed).toBeGreaterThanOrEqual(last.blq?.simulated.lo ?? NaN);
    expect(last.blq?.observed).toBeLessThanOrEqual(last.blq?.simulated.hi ?? NaN);
    expect(last.observed.p05).toBeNaN();
    expect(last.simulated.p05.median).toBeNaN();
    // At 2 h none are: every percentile is a number, and no fraction is below the limit.
    const early = bins[2];
    expect(early.blq?.observed).toBe(0);
    expect(Number.isFinite(early.observed.p05)).toBe(true);
    expect(vpc?.strata[0].observations.blq?.filter(Boolean)).toHaveLength(censored);
    expect(diagnostics.pcVpc.pk?.censored).toBe(true);
  });
});
