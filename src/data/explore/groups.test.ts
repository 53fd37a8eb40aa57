import { describe, expect, it } from 'vitest';
import { ingestText } from '../ingest';
import type { Dataset } from '../types';
import { bindStudy } from '../../study/study-data';
import { guessStudySpec, studyFacts } from '../../study/guess-spec';
import { estDataPreset } from '../../study/estdata-preset';
import { readEstDataCsv, readRealDatasetCsv, type RealDatasetName } from '../../testing/fixture-files';
import { ALL_SUBJECTS, groupIndexBySubject, subjectGroupLabels, subjectGroups } from './groups';
import { buildDataset, fixtureSpec } from './test-fixture';

function dataset(text: string, name: string): Dataset {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}
const real = (name: RealDatasetName): Dataset => dataset(readRealDatasetCsv(name), `${name}.csv`);

describe('subject groups from groupBy', () => {
  it('groups by a column’s value in numeric order, missing last, with the binding’s labels', () => {
    const ds = buildDataset([
      { id: 'a', time: 0, evid: 1, amt: 10, cov: { DOSE: 10 } },
      { id: 'b', time: 0, dv: 5, cov: { DOSE: 0 } },
      { id: 'c', time: 0, evid: 1, amt: 2.5, cov: { DOSE: 2.5 } },
      { id: 'd', time: 0, evid: 1, amt: 10, cov: { DOSE: 10 } },
      { id: 'e', time: 0, dv: 1, cov: { DOSE: Number.NaN } },
    ]);
    const grouping = subjectGroups(
      ds,
      fixtureSpec((s) => (s.groupBy = 'dose')),
    );
    expect(grouping.by).toBe('DOSE');
    expect(grouping.groups).toEqual([
      { label: 'DOSE 0', dosed: false, subjects: [1] },
      { label: 'DOSE 2.5', dosed: true, subjects: [2] },
      { label: 'DOSE 10', dosed: true, subjects: [0, 3] },
      { label: 'DOSE missing', dosed: false, subjects: [4] },
    ]);
    expect(Array.from(groupIndexBySubject(ds, grouping.groups))).toEqual([2, 0, 1, 2, 3]);
    expect([grouping.pooled, grouping.note]).toEqual([null, null]);
  });

  it('groups by regimen, undosed first, then by dose', () => {
    const ds = buildDataset([
      { id: 'a', time: 0, evid: 1, amt: 10 },
      { id: 'a', time: 24, evid: 1, amt: 10 },
      { id: 'b', time: 0, dv: 5 },
      { id: 'c', time: 0, evid: 1, amt: 3 },
      { id: 'c', time: 24, evid: 1, amt: 3 },
    ]);
    expect(subjectGroups(ds, fixtureSpec()).groups.map((g) => [g.label, g.subjects])).toEqual([
      ['no doses', [1]],
      ['3 mg oral, 2 doses every 24 h', [2]],
      ['10 mg oral, 2 doses every 24 h', [0]],
    ]);
  });

  it('falls back to regimens, saying why, for a column the file lacks', () => {
    const ds = buildDataset([{ id: 'a', time: 0, evid: 1, amt: 10 }]);
    const grouping = subjectGroups(
      ds,
      fixtureSpec((s) => (s.groupBy = 'ARM')),
    );
    expect(grouping.by).toBe('regimen');
    expect(grouping.note).toMatch(/the file has no column ARM, so subjects are grouped by their dosing/);
  });

  it('pools more groups than a plot tells apart into one, saying how many there were', () => {
    const ds = buildDataset(Array.from({ length: 5 }, (_, i) => ({ id: i, time: 0, evid: 1, amt: i + 1 })));
    const grouping = subjectGroups(ds, fixtureSpec(), 4);
    expect(grouping.groups).toEqual([{ label: ALL_SUBJECTS, dosed: true, subjects: [0, 1, 2, 3, 4] }]);
    expect(grouping.pooled).toBe(5);
  });

  it('gives every subject the label the study binding gives (EstData by DOSE and by regimen, the real files)', () => {
    const cases: [Dataset, ReturnType<typeof estDataPreset>][] = [
      [dataset(readEstDataCsv(), 'EstData.csv'), estDataPreset()],
      [dataset(readEstDataCsv(), 'EstData.csv'), { ...estDataPreset(), groupBy: 'regimen' }],
    ];
    for (const name of ['theo_sd', 'pheno_sd', 'mavoglurant'] as const) {
      const data = real(name);
      const guess = guessStudySpec(studyFacts(data));
      cases.push([data, name === 'pheno_sd' ? { ...guess, model: { ...guess.model, pk: { ...guess.model.pk, route: 'iv' } } } : guess]);
    }
    for (const [data, spec] of cases) {
      const bound = bindStudy(data, spec);
      const labels = subjectGroupLabels(data, spec);
      for (const s of bound.subjects) expect(labels[s.index]).toBe(s.group);
    }
  });

  it('mavoglurant by DOSE: three groups; pheno by regimen: 56 groups, pooled', () => {
    const mavo = real('mavoglurant');
    expect(subjectGroups(mavo, guessStudySpec(studyFacts(mavo))).groups.map((g) => [g.label, g.subjects.length])).toEqual([
      ['DOSE 25', 59],
      ['DOSE 37.5', 12],
      ['DOSE 50', 49],
    ]);
    const pheno = real('pheno_sd');
    const grouping = subjectGroups(pheno, guessStudySpec(studyFacts(pheno)));
    expect([grouping.groups.length, grouping.groups[0].label, grouping.pooled]).toEqual([1, ALL_SUBJECTS, 56]);
  });
});
