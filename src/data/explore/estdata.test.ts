import { describe, expect, it } from 'vitest';
import { guessStudySpec, studyFacts } from '../../study/guess-spec';
import { estDataPreset } from '../../study/estdata-preset';
import type { StudySpec } from '../../study/study-spec';
import { readEstDataCsv, readRealDatasetCsv, type RealDatasetName } from '../../testing/fixture-files';
import { ingestText } from '../ingest';
import type { Dataset } from '../types';
import { explorerModel } from './explorer-model';
import { subjectSeries } from './subject-series';

function dataset(text: string, name: string): Dataset {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}

describe('explorer derivations on EstData.csv through the EstData preset', () => {
  const ds = dataset(readEstDataCsv(), 'EstData.csv');
  const m = explorerModel(ds, estDataPreset());

  it('has 4 DOSE groups of 12 subjects, BW by group and the COMED split by group', () => {
    expect(m.groups.map((g) => [g.label, g.subjects.length, g.dosed])).toEqual([
      ['DOSE 0', 12, false],
      ['DOSE 1', 12, true],
      ['DOSE 3', 12, true],
      ['DOSE 10', 12, true],
    ]);
    const [bw, comed] = m.covariates;
    expect(bw.kind === 'continuous' && [bw.name, bw.points.length, bw.missing]).toEqual(['BW', 48, 0]);
    expect(comed.kind === 'categorical' && [comed.name, comed.levels]).toEqual(['COMED', [0, 1]]);
    if (comed.kind !== 'categorical') throw new Error('COMED is 0/1');
    expect(comed.groups.map((g) => g.counts[0] + g.counts[1])).toEqual([12, 12, 12, 12]);
    expect(comed.groups.reduce((s, g) => s + g.counts[1], 0)).toBe(24);
    expect(m.subjects).toHaveLength(48);
    expect(m.covariates.map((c) => c.name)).toEqual(['BW', 'COMED']);
  });

  it('names the endpoints and units of the preset and draws its 3.3 ng/mL criterion on PD', () => {
    expect(m.endpoints.pk).toEqual({ selector: { dvid: 1 }, name: 'Drug concentration', unit: 'ng/mL' });
    expect(m.endpoints.pd).toEqual({ selector: { dvid: 2 }, name: 'Biomarker', unit: 'ng/mL' });
    expect(m.reference).toEqual({ endpoint: 'pd', rule: 'below', value: 3.3, unit: 'ng/mL' });
  });

  it('has mean PD at time 0 around 9 ng/mL per group: ≈10.6 without COMED, ≈7.6 with', () => {
    const pd = m.pd!;
    expect(pd.binned).toBe(false);
    expect(pd.curves).toHaveLength(4);
    for (const curve of pd.curves) {
      const t0 = curve.points[0];
      expect([t0.time, t0.n]).toEqual([0, 12]);
      expect(t0.mean).toBeGreaterThan(8);
      expect(t0.mean).toBeLessThan(10);
    }
    const baseline = { 0: [] as number[], 1: [] as number[] };
    for (const s of m.subjects) {
      const comed = s.covariates.find((c) => c.name === 'COMED')?.value;
      const t0 = subjectSeries(ds, s.subject, estDataPreset().endpoints).pd.find((p) => p.time === 0);
      if (t0 && (comed === 0 || comed === 1)) baseline[comed].push(t0.dv);
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(baseline[0])).toBeCloseTo(10.6, 1);
    expect(mean(baseline[1])).toBeCloseTo(7.6, 1);
  });

  it('has PK in the dosed groups only, at 24 nominal times, and a PK–PD loop per dosed group', () => {
    expect(m.pk?.curves.map((c) => [c.label, c.points.length])).toEqual([
      ['DOSE 1', 24],
      ['DOSE 3', 24],
      ['DOSE 10', 24],
    ]);
    expect(m.pkIndividuals).toHaveLength(36);
    expect(m.loops.map((l) => [l.label, l.points.length])).toEqual([
      ['DOSE 1', 24],
      ['DOSE 3', 24],
      ['DOSE 10', 24],
    ]);
    expect([m.pkCount, m.pdCount]).toEqual([864, 1200]);
    expect(m.defaultSubject).toBe(m.groups[3].subjects[0]);
    expect(subjectSeries(ds, m.groups[3].subjects[0], estDataPreset().endpoints).doses).toHaveLength(21);
  });
});

describe('explorer derivations on the real files through their guessed specs', () => {
  const read = (name: RealDatasetName): { data: Dataset; spec: StudySpec } => {
    const data = dataset(readRealDatasetCsv(name), `${name}.csv`);
    return { data, spec: guessStudySpec(studyFacts(data)) };
  };

  it('mavoglurant: DOSE groups, CMT 2 concentrations, covariates AGE SEX WT HT by group, no PD', () => {
    const { data, spec } = read('mavoglurant');
    const m = explorerModel(data, spec);
    expect(m.groups.map((g) => g.label)).toEqual(['DOSE 25', 'DOSE 37.5', 'DOSE 50']);
    expect(m.covariates.map((c) => [c.name, c.kind])).toEqual([
      ['AGE', 'continuous'],
      ['SEX', 'categorical'],
      ['WT', 'continuous'],
      ['HT', 'continuous'],
    ]);
    expect(m.pk?.curves.map((c) => c.label)).toEqual(['DOSE 25', 'DOSE 37.5', 'DOSE 50']);
    expect([m.pd, m.loops, m.endpoints.pk?.unit, m.pkCount]).toEqual([null, [], 'mg/L', 2_427]);
  });

  it('theophylline and phenobarbital: one group per regimen, pooled when there are too many', () => {
    const theo = read('theo_sd');
    const t = explorerModel(theo.data, theo.spec);
    expect([t.groups.length, t.pooledGroups]).toEqual([11, null]);
    expect(t.pkIndividuals).toHaveLength(12);
    const pheno = read('pheno_sd');
    const p = explorerModel(pheno.data, pheno.spec);
    expect(p.groups.map((g) => [g.label, g.subjects.length])).toEqual([['All subjects', 59]]);
    expect(p.pooledGroups).toBe(56);
    // Grouped by Apgar score instead: ten groups.
    const byApgar = explorerModel(pheno.data, { ...pheno.spec, groupBy: 'APGR' });
    expect(byApgar.groups.map((g) => g.label).slice(0, 3)).toEqual(['APGR 1', 'APGR 2', 'APGR 3']);
    expect(byApgar.covariates.map((c) => c.name)).toEqual(['WT']);
  });
});
