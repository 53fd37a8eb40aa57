/**
 * EstData through the study path (its preset, the general engine, the generic parameter model)
 * gives exactly today's estimates (../pkpd-fit.ts `fitPkpd`): the same θ order, transforms, starting
 * values and η, and the engine's predictions equal the old ones bit for bit. Both fits run here
 * (about a second each).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import type { StudySpec } from '../../study/study-spec';
import { readEstDataCsv, readEstDataStudyText } from '../../testing/fixture-files';
import { FitCancelledError } from '../errors';
import type { FitProgress, FoceResult } from '../foce';
import { fitPkpd, type PkpdFitResult } from '../pkpd-fit';
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

/** Estimated parameters (fixed ones left out: the old fit carries Q and V2 of one compartment as fixed θ). */
function estimated(foce: FoceResult): { estimate: number; se: number }[] {
  return foce.parameters.filter((p) => !p.fixed).map((p) => ({ estimate: p.estimate, se: p.se }));
}

function expectSameFit(today: FoceResult, study: FoceResult): void {
  expect(study.ofv).toBe(today.ofv);
  expect(study.iterations).toBe(today.iterations);
  expect(estimated(study)).toEqual(estimated(today));
  expect(study.etas).toEqual(today.etas);
  expect(study.diagnostics.map((d) => d.cwres)).toEqual(today.diagnostics.map((d) => d.cwres));
  // The old fit names ka in lower case.
  expect(study.covarianceMessage.toLowerCase()).toBe(today.covarianceMessage.toLowerCase());
}

describe('EstData: the study fit reproduces fitPkpd', () => {
  let today: PkpdFitResult;
  let study: StudyFitResult;
  const progress: FitProgress[] = [];
  beforeAll(() => {
    const data = dataset();
    today = fitPkpd(data);
    study = fitStudy(data, preset(), { onProgress: (p) => progress.push(p) });
  });

  it('one and two compartments, bit for bit, and the same choice by AIC', () => {
    expectSameFit(today.pkCandidates[0].foce, study.candidates.pk[0].foce);
    expectSameFit(today.pkCandidates[1].foce, study.candidates.pk[1].foce);
    expect(study.comparison.filter((c) => c.stage === 'pk').map((c) => [c.model, c.chosen])).toEqual([
      ['oral 1-compartment', false],
      ['oral 2-compartment', true],
    ]);
  });

  it('PD conditioned on the individual PK parameters, bit for bit', () => {
    expectSameFit(today.pd.foce, study.pd?.foce as FoceResult);
    expect(study.pdConditioning).toBe('IPP');
  });

  it('names the estimates and shows them in the spec’s units (mg and ng/mL: volumes in L, clearances in L/h)', () => {
    const cl = study.estimates.CL;
    expect(cl).toMatchObject({ unit: 'L/h', stage: 'pk', role: 'typical', fixed: false });
    expect(cl.estimate).toBe(today.model.pk.fixed.cl);
    expect(cl.value).toBeCloseTo(1000 * cl.estimate, 9);
    expect(study.estimates.V2.unit).toBe('L');
    expect(study.estimates.KOUT).toMatchObject({ unit: '1/h', estimate: today.model.pd.fixed.kout });
    expect(study.estimates.IC50.unit).toBe('ng/mL');
    expect(study.estimates['CL~BW']).toMatchObject({ role: 'effect', unit: '', estimate: today.model.pk.fixed.betaCl });
    expect(study.estimates['BASE~COMED'].estimate).toBe(today.model.pd.fixed.comedOnBase);
    expect(study.omega.CL?.sd).toBe(today.model.pk.omega.cl);
    expect(study.omega.BASE?.sd).toBe(today.model.pd.omega.base);
    expect(study.residual.pk?.exponential?.value).toBe(today.model.pk.sigmaLog);
    expect(study.residual.pd?.proportional?.value).toBe(today.model.pd.sigmaProp);
    expect(study.ofv).toBe(today.pk.foce.ofv + today.pd.foce.ofv);
  });

  it('gives every subject its η and individual parameters, and every observation its residuals', () => {
    expect(study.individuals).toHaveLength(48);
    const fitted = new Map(today.pk.individuals.map((p) => [p.id, p.parameters]));
    for (const s of study.individuals) expect(s.parameters.CL).toBe(fitted.get(s.id)?.cl);
    const pkRows = study.observations.filter((r) => r.target === 'pk');
    const pdRows = study.observations.filter((r) => r.target === 'pd');
    expect(pkRows).toHaveLength(today.pk.foce.nObservations);
    expect(pdRows).toHaveLength(today.pd.foce.nObservations);
    const oldPk = today.pk.observations.flatMap((o) => Array.from(o.ipred));
    pkRows.forEach((r, i) => expect(r.ipred).toBe(oldPk[i]));
    expect(pdRows.every((r) => Number.isFinite(r.pred) && Number.isFinite(r.cwres) && r.group?.startsWith('DOSE '))).toBe(true);
  });

  it('reports progress per stage', () => {
    const stages = [...new Set(progress.map((p) => p.stage))];
    expect(stages).toEqual(['PK 1-compartment', 'PK 2-compartment', 'PD indirect (inhibit-production)']);
  });

  it('stops with FitCancelledError when cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => fitStudy(dataset(), preset(), { signal: controller.signal })).toThrow(FitCancelledError);
  });
});
