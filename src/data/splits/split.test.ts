import { describe, expect, it } from 'vitest';
import type { Dataset } from '../types';
import { csvDataset, estDataSpec, loadEstData, loadRealStudy } from '../features/test-support';
import { mulberry32, shuffled } from './prng';
import { armGrouping, crossValidationSplits, referenceSplit, studyGrouping, type SubjectSplit } from './split';

const data = loadEstData();
const idsOf = (split: SubjectSplit, role: 'train' | 'val' | 'test'): string[] => split[role].map((s) => split.ids[s]);
const armOf = (d: Dataset, s: number): number => d.subjects[s].armDose;

/** EstData with every ID shifted by 100, so the published split does not apply. */
function renamed(): Dataset {
  return { ...data, subjects: data.subjects.map((s) => ({ ...s, id: String(Number(s.id) + 100) })) };
}

describe('reference split', () => {
  it('on EstData is the published one: val {16, 36, 46}, test {19, 32, 48}, the rest train', () => {
    const split = referenceSplit(data);
    expect(idsOf(split, 'val')).toEqual(['16', '36', '46']);
    expect(idsOf(split, 'test')).toEqual(['19', '32', '48']);
    expect(split.train).toHaveLength(42);
    expect(split.roles.filter((r) => r === 'train')).toHaveLength(42);
  });

  it('elsewhere follows the rule: one val and one test per active arm, placebo trains, seeded', () => {
    const other = renamed();
    const split = referenceSplit(other, 7);
    expect(split.rule).toMatch(/seed 7/);
    for (const role of ['val', 'test'] as const) {
      expect(split[role].map((s) => armOf(other, s)).sort((a, b) => a - b)).toEqual([1, 3, 10]);
    }
    for (let s = 0; s < other.subjects.length; s++) if (armOf(other, s) === 0) expect(split.roles[s]).toBe('train');
    expect(referenceSplit(other, 7)).toEqual(split);
    const seeds = [1, 2, 3, 4, 5].map((seed) => referenceSplit(other, seed).test.join());
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it('an arm with fewer than 3 subjects stays in training; no active arm → all subjects as one arm', () => {
    const small = csvDataset([
      'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID',
      ...[1, 2, 3, 4].flatMap((id) => [`${id},0,.,1,1,${id <= 3 ? 5 : 1},1,0`, `${id},1,1.5,0,0,0,2,1`]),
    ]);
    const split = referenceSplit(small);
    expect(split.val.map((s) => armOf(small, s))).toEqual([5]);
    expect(split.test.map((s) => armOf(small, s))).toEqual([5]);
    expect(split.roles[3]).toBe('train');
    const placebo = csvDataset(['ID,TIME,DV,DVID', ...[1, 2, 3, 4].map((id) => `${id},0,10,2`)]);
    const p = referenceSplit(placebo);
    expect([p.val.length, p.test.length, p.train.length]).toEqual([1, 1, 2]);
  });
});

/** EstData's cv5 folds (seed 42) as the code before study specs made them (commit bc03053): IDs per fold. */
const FOLDS_BEFORE = [
  { val: ['18', '33', '42'], test: ['10', '11', '17', '20', '24', '25', '35', '37', '38', '46'] },
  { val: ['20', '33', '44'], test: ['8', '9', '21', '22', '23', '29', '30', '42', '45'] },
  { val: ['13', '34', '44'], test: ['6', '12', '14', '19', '26', '28', '31', '40', '47'] },
  { val: ['17', '25', '48'], test: ['3', '4', '5', '15', '16', '27', '34', '36', '39', '43'] },
  { val: ['23', '36', '46'], test: ['1', '2', '7', '13', '18', '32', '33', '41', '44', '48'] },
];

describe('5-fold cross-validation', () => {
  const folds = crossValidationSplits(data, { seed: 42, grouping: studyGrouping(data, estDataSpec()) });

  it('on the EstData preset (DOSE groups, COMED strata) are the folds of before, and so is the reference split', () => {
    expect(folds.map((f) => ({ val: idsOf(f, 'val'), test: idsOf(f, 'test') }))).toEqual(FOLDS_BEFORE);
    expect(folds[0].rule).toBe(
      '5-fold by subject, stratified by group (DOSE) × COMED (seed 42); validation: one per active group (DOSE) from the non-test subjects; placebo trains',
    );
    const grouping = studyGrouping(data, estDataSpec());
    expect(grouping.strataNames).toEqual(['COMED']);
    expect(referenceSplit(data, 42, grouping)).toEqual(referenceSplit(data));
    // without the spec's COMED strata, other folds
    expect(crossValidationSplits(data, { seed: 42 }).map((f) => idsOf(f, 'test'))).not.toEqual(FOLDS_BEFORE.map((f) => f.test));
    expect(crossValidationSplits(data, { seed: 42, grouping: armGrouping(data, ['COMED']) })).toEqual(
      folds.map((f) => ({ ...f, rule: f.rule.replaceAll('group (DOSE)', 'arm') })),
    );
  });

  it('test folds partition the subjects; every fold is a partition into train/val/test', () => {
    expect(folds).toHaveLength(5);
    const tested = folds.flatMap((f) => f.test).sort((a, b) => a - b);
    expect(tested).toEqual(data.subjects.map((_, s) => s));
    for (const f of folds) {
      expect([...f.train, ...f.val, ...f.test].sort((a, b) => a - b)).toEqual(data.subjects.map((_, s) => s));
      expect([9, 10]).toContain(f.test.length);
    }
    expect(folds.map((f) => f.name)).toEqual(['cv5-fold1', 'cv5-fold2', 'cv5-fold3', 'cv5-fold4', 'cv5-fold5']);
  });

  it('is stratified by arm (2–3 of each 12-subject arm per fold) and balanced on COMED', () => {
    for (const f of folds) {
      for (const dose of [0, 1, 3, 10]) {
        const inArm = f.test.filter((s) => armOf(data, s) === dose);
        expect([2, 3]).toContain(inArm.length);
        const comed = inArm.filter((s) => data.subjects[s].baseline.COMED === 1).length;
        expect(Math.abs(2 * comed - inArm.length)).toBeLessThanOrEqual(2);
      }
    }
  });

  it('validation: one subject per active arm, not from the fold’s test subjects; placebo trains', () => {
    for (const f of folds) {
      expect(f.val.map((s) => armOf(data, s)).sort((a, b) => a - b)).toEqual([1, 3, 10]);
      for (const s of f.val) expect(f.test).not.toContain(s);
      for (let s = 0; s < data.subjects.length; s++) if (armOf(data, s) === 0 && f.roles[s] !== 'test') expect(f.roles[s]).toBe('train');
    }
  });

  it('is reproducible by seed and changes with it', () => {
    expect(crossValidationSplits(data, { seed: 42, grouping: studyGrouping(data, estDataSpec()) })).toEqual(folds);
    const other = crossValidationSplits(data, { seed: 43, grouping: studyGrouping(data, estDataSpec()) });
    expect(other.map((f) => f.test.join())).not.toEqual(folds.map((f) => f.test.join()));
    expect(() => crossValidationSplits(data, { folds: 1 })).toThrow();
    expect(crossValidationSplits(data, { folds: 3 }).map((f) => f.test.length)).toEqual([16, 16, 16]);
  });
});

describe('splits of a study grouped by regimen (theophylline: one dose per subject)', () => {
  const { dataset, spec } = loadRealStudy('theo_sd', 'theophylline');
  const grouping = studyGrouping(dataset, spec);

  it('groups by the subjects’ regimens and, with no group of 3, validates and tests one subject of all', () => {
    expect(grouping.what).toBe('regimen');
    expect(grouping.groups[0].label).toMatch(/mg oral/);
    const split = referenceSplit(dataset, 42, grouping);
    expect(split.val).toHaveLength(1);
    expect(split.test).toHaveLength(1);
    expect(split.train).toHaveLength(10);
    expect(split.rule).toMatch(/^no group \(regimen\) has 3 subjects/);
    // by arm too (each subject its own dose; before, nothing was held out)
    expect(referenceSplit(dataset, 42).val).toHaveLength(1);
  });
});

describe('seeded PRNG', () => {
  it('is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(shuffled([1, 2, 3, 4, 5], mulberry32(1)).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
