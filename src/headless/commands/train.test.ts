import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estDataSpec, loadEstData, loadRealStudy } from '../../data/features/test-support';
import { DEFAULT_TRAINING } from '../../model/train-network';
import { trainConfig, trainingOptions, trainStudy } from './train';

const specText = (name: string): string => readFileSync(new URL(`../../../test-data/specs/${name}.study.json`, import.meta.url), 'utf8');

describe('headless train --spec', () => {
  it('reads the spec given, or the one proposed for the data (EstData: the preset)', () => {
    const { dataset, spec } = loadRealStudy('theo_sd', 'theophylline');
    expect(trainStudy({ specText: specText('theophylline'), specName: 'theophylline.study.json' }, dataset)).toEqual(spec);
    const data = loadEstData();
    expect(trainStudy({}, data)).toEqual(estDataSpec());
    expect(() => trainStudy({ specText: '{"format": "qpkpd-study"}', specName: 'bad.json' }, data)).toThrow(
      /^bad\.json is not a usable study spec: /,
    );
  });

  it('trains through the study', () => {
    const spec = estDataSpec();
    const options = trainingOptions(trainConfig({ csvText: '', fileName: 'EstData.csv' }), spec);
    expect(options.study).toBe(spec);
    expect(options.training).toEqual({ epochs: DEFAULT_TRAINING.epochs });
  });
});
