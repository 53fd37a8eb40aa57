import { beforeAll, describe, expect, it } from 'vitest';
import { fitPkpd, type PkpdFitResult } from '../pkpd-fit';
import { ESTDATA_LIKE_MODEL } from '../population-model';
import type { PkpdSubject } from '../subject-data';
import { simulatedSubjects } from '../testing/scenarios';
import { fitSummary } from './fit-summary';
import { mechanisticDiagnostics, type MechanisticDiagnostics } from './mechanistic-diagnostics';

describe('diagnostics and summary of a real sequential fit', () => {
  let subjects: PkpdSubject[];
  let fit: PkpdFitResult;
  let diagnostics: MechanisticDiagnostics;
  beforeAll(() => {
    subjects = simulatedSubjects(ESTDATA_LIKE_MODEL, 4, 2);
    fit = fitPkpd(subjects);
    diagnostics = mechanisticDiagnostics(fit, subjects, { replicates: 20, seed: 1 });
  });

  it('summarises both PK candidates by AIC, keeps the lowest and lists only estimated parameters', () => {
    const summary = fitSummary(fit);
    expect(summary.candidates.map((c) => c.compartments)).toEqual([1, 2]);
    const chosen = summary.candidates.filter((c) => c.chosen);
    expect(chosen).toHaveLength(1);
    expect(chosen[0].compartments).toBe(summary.compartments);
    expect(chosen[0].deltaAic).toBe(0);
    expect(Math.min(...summary.candidates.map((c) => c.aic))).toBe(chosen[0].aic);
    expect(summary.pk.parameters.some((p) => p.fixed)).toBe(false);
    const cl = summary.pk.parameters.find((p) => p.name === 'CL')!;
    expect(cl.se).toBeGreaterThan(0);
    expect(cl.rse).toBeCloseTo((100 * cl.se) / cl.estimate, 10);
    expect(summary.pd.parameters.map((p) => p.name)).toContain('IC50');
    expect(summary.pk.etaShrinkage).toHaveLength(summary.pk.parameters.filter((p) => p.kind === 'omega').length);
  });

  it('computes IPRED and PRED that agree with the fit’s own PK predictions and carries its CWRES', () => {
    const pkRows = diagnostics.observations.filter((r) => r.target === 'pk');
    const fitted = fit.pk.observations.flatMap((o) =>
      Array.from(o.times, (_, j) => ({ ipred: o.ipred[j], pred: o.pred[j], cwres: o.cwres[j] })),
    );
    expect(pkRows).toHaveLength(fitted.length);
    pkRows.forEach((r, i) => {
      expect(Math.abs(r.ipred / fitted[i].ipred - 1)).toBeLessThan(1e-9);
      expect(Math.abs(r.pred / fitted[i].pred - 1)).toBeLessThan(1e-9);
      expect(r.cwres).toBe(fitted[i].cwres);
    });
    const pdCount = fit.pd.observations.reduce((a, o) => a + o.times.length, 0);
    expect(diagnostics.observations.filter((r) => r.target === 'pd')).toHaveLength(pdCount);
  });

  it('comes as plain data (survives structured cloning) with curves for every subject and a VPC', () => {
    const copy = structuredClone(diagnostics);
    expect(copy).toEqual(diagnostics);
    expect(diagnostics.curves).toHaveLength(subjects.length);
    expect(diagnostics.vpc.replicates).toBe(20);
    expect(diagnostics.vpc.pk?.strata).toHaveLength(3);
  });
});
