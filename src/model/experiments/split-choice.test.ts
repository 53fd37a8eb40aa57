import { describe, expect, it } from 'vitest';
import { loadEstData, loadRealStudy } from '../../data/features/test-support';
import { crossValidationSplits } from '../../data/splits/split';
import { ModelConfigError } from '../errors';
import { parseSplitChoice, splitView, testSubjectIds } from './split-choice';

describe('split choice', () => {
  it('reads "reference", "cv5:K" and "cv5-foldK"', () => {
    expect(parseSplitChoice('reference')).toBe('reference');
    expect(parseSplitChoice('cv5:3')).toBe('cv5-fold3');
    expect(parseSplitChoice('cv5-fold5')).toBe('cv5-fold5');
    for (const bad of ['cv5:0', 'cv5:6', 'cv5', 'cv10:1', 'Reference']) expect(() => parseSplitChoice(bad)).toThrow(ModelConfigError);
  });

  it('views the published reference split, or fold K of the 5-fold splits', () => {
    const data = loadEstData();
    expect(splitView(data, 'reference').testIds).toEqual(['19', '32', '48']);
    const fold = crossValidationSplits(data, { folds: 5 })[1];
    const view = splitView(data, parseSplitChoice('cv5:2'));
    expect([view.name, [...view.train], [...view.val]]).toEqual(['cv5-fold2', fold.train, fold.val]);
  });

  it('names the test subjects of the study’s split, as the experiments worker reads them (phenobarbital: by its groups, not by dose)', () => {
    const { dataset, spec } = loadRealStudy('pheno_sd', 'phenobarbital');
    expect(testSubjectIds(dataset, 'reference', spec)).toEqual([...splitView(dataset, 'reference', spec).testIds]);
    expect(testSubjectIds(dataset, 'reference', spec)).toEqual(['28']);
    expect(testSubjectIds(dataset, 'reference', null)).not.toEqual(['28']);
  });
});
