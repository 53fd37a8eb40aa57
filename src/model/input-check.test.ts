import { beforeAll, describe, expect, it } from 'vitest';
import { estDataSpec, loadEstData } from '../data/features/test-support';
import { referenceSplit } from '../data/splits/split';
import { createSplitView } from '../data/splits/view';
import type { Dataset } from '../data/types';
import { ModelDataError } from './errors';
import { checkFiniteInputs } from './input-check';
import { CASCADE_FEATURE } from './pkpd-model';
import { useCpuBackend } from './test-support';
import { trainPkPd } from './train-pkpd';

const source = (row: number) => ({ subject: `S${row}`, line: 10 + row });

describe('network inputs checked before the scaler', () => {
  it('passes finite inputs', () => {
    expect(() => checkFiniteInputs(Float64Array.of(1, 2, 3, 4), ['A', 'B'], source, 'training')).not.toThrow();
  });

  it('names a non-finite input from the file, how many observations, the first one’s subject and line, and what to do', () => {
    const values = Float64Array.of(1, 2, Number.NaN, 4, 5, Number.POSITIVE_INFINITY);
    const error = (() => {
      try {
        checkFiniteInputs(values, ['TIME', 'BW'], source, 'training');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ModelDataError);
    const message = (error as Error).message;
    expect(message).toContain('The model input “TIME”, computed from the file, is not a finite number at 2 training observations');
    expect(message).toContain('the first: subject S1, line 11 of the file');
    expect(message).toContain('1 other input is not finite there too.');
    expect(message).toContain('correct the file and load it again');
    expect(message).not.toMatch(/scaler|NaN|row \d/);
  });

  it('says the PK network went wrong when its predictions, the cascade input, are not finite', () => {
    expect(() => checkFiniteInputs(Float64Array.of(1, Number.NaN), ['BW', CASCADE_FEATURE], source, 'validation')).toThrow(
      /^The PK network's predictions, which the PD network reads in cascade mode, are not finite numbers at 1 validation observation \(the first: subject S0, line 10 of the file\).*lower learning rate/,
    );
  });
});

describe('training on a dataset with a non-finite input', () => {
  let data: Dataset;

  beforeAll(async () => {
    await useCpuBackend();
    const est = loadEstData();
    const bw = est.covariates.find((c) => c.name === 'BW')!;
    const values = Float64Array.from(bw.values);
    const split = referenceSplit(est);
    const subject = split.train[0];
    const first = est.records.subject.indexOf(subject);
    values[first] = Number.POSITIVE_INFINITY;
    data = { ...est, covariates: est.covariates.map((c) => (c === bw ? { ...c, values } : c)) };
  });

  it('refuses in words that name the input, the subject and the line, not with the scaler’s message', async () => {
    const split = referenceSplit(data);
    const run = trainPkPd(createSplitView(data, split), {
      mode: 'cascade',
      encoder: 'mlp',
      study: estDataSpec(),
      architecture: { hidden: 8, depth: 1, dropout: 0 },
      training: { epochs: 1, batchSize: 512, learningRate: 1e-3 },
      seed: 1,
    });
    await expect(run).rejects.toThrow(ModelDataError);
    await expect(run).rejects.toThrow(
      /^The model input “BW”, computed from the file, is not a finite number at \d+ training observations? \(the first: subject \S+, line \d+ of the file\)/,
    );
  });
});
