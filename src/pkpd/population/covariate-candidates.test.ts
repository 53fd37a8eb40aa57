import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import { bindStudy } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';
import { estDataPreset } from '../../study/estdata-preset';
import { readEstDataCsv } from '../../testing/fixture-files';
import { columnForm, covariateCandidates, randomEffectParameters } from './covariate-candidates';
import { covariateTrialSpec } from './testing/covariate-trial';

function ingest(text: string, name = 'test.csv'): Dataset {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}

describe('columnForm', () => {
  it('gives 0/1 columns a factor, positive continuous ones a power and others a linear effect, centred on the median', () => {
    expect(columnForm([0, 1, 1, 0])).toEqual({ form: 'factor' });
    expect(columnForm([50, 60, 70, 90.5])).toEqual({ form: 'power', reference: 65 });
    expect(columnForm([-1.5, 0, 0.5, 2, 3.5, 4])).toEqual({ form: 'linear', reference: 1.25 });
    // Integers with many values (ages in years) are continuous.
    expect(columnForm([21, 30, 34, 45, 52, 67])).toEqual({ form: 'power', reference: 39.5 });
  });

  it('skips what cannot be searched, saying why', () => {
    expect(columnForm([1, 2, 2, 1])).toEqual({ skip: 'two values (1, 2), not 0/1: recode it as a 0/1 column' });
    expect(columnForm([1, 2, 3, 4, 1])).toEqual({ skip: 'categorical (4 integer values): recode it into 0/1 columns' });
    expect(columnForm([70, 70, 70])).toEqual({ skip: 'one value for every subject' });
    expect(columnForm([70, Number.NaN, 80])).toEqual({ skip: 'a subject has no value' });
  });
});

describe('randomEffectParameters', () => {
  it('maps role names onto the structure and leaves out SDs fixed at 0 and parameters the structure lacks', () => {
    const spec = estDataPreset();
    const pk = { route: 'oral', compartments: 1, lag: false } as const;
    const pd = { family: 'direct', direction: 'increase', sigmoid: false } as const;
    expect(randomEffectParameters({ ...spec.model, randomEffects: ['CL', 'V2', 'BASE', 'IC50'] }, pk, pd)).toEqual(['CL', 'E0', 'EC50']);
    expect(randomEffectParameters({ ...spec.model, randomEffects: { CL: 0.3, V: 0, KA: 0.5 } }, pk, undefined)).toEqual(['CL', 'KA']);
  });
});

describe('covariateCandidates', () => {
  it('EstData: BW (power, its median) and COMED (factor) on CL, V and BASE; DOSE left out as dose-like', () => {
    const dataset = ingest(readEstDataCsv(), 'EstData.csv');
    const spec = estDataPreset();
    const study = bindStudy(dataset, spec);
    const structure = {
      pk: { ...spec.model.pk, compartments: 2 as const },
      pd: { family: 'indirect', type: 'inhibit-production' } as const,
    };
    const choice = covariateCandidates(dataset, study.subjects, spec.model, structure);
    expect(choice.parameters).toEqual(['CL', 'V', 'BASE']);
    expect(choice.candidates.map((c) => [c.name, c.stage])).toEqual([
      ['CL~BW', 'pk'],
      ['V~BW', 'pk'],
      ['BASE~BW', 'pd'],
      ['CL~COMED', 'pk'],
      ['V~COMED', 'pk'],
      ['BASE~COMED', 'pd'],
    ]);
    expect(choice.candidates[0].effect).toEqual({ column: 'BW', on: 'CL', form: 'power', reference: 70.5 });
    expect(choice.candidates[3].effect).toEqual({ column: 'COMED', on: 'CL', form: 'factor' });
    expect(choice.skipped).toEqual([{ column: 'DOSE', reason: 'dose-like: the design, not the subjects (name it to search it)' }]);
    // Named columns: only those; DOSE is then refused not for its name but as 4 dose levels; a name the file lacks is reported.
    const named = covariateCandidates(dataset, study.subjects, spec.model, structure, { columns: ['comed', 'dose', 'AGE'] });
    expect(named.candidates.map((c) => c.name)).toEqual(['CL~COMED', 'V~COMED', 'BASE~COMED']);
    expect(named.skipped).toEqual([
      { column: 'AGE', reason: 'not a numeric covariate column of the file' },
      { column: 'DOSE', reason: 'categorical (4 integer values): recode it into 0/1 columns' },
    ]);
  });

  it('leaves out time-varying and categorical columns, and pairs the spec fixes', () => {
    const rows = ['ID,TIME,AMT,DV,EVID,MDV,CMT,WT,RACE,CRCL,Z'];
    for (let id = 1; id <= 6; id++) {
      const race = (id % 3) + 1;
      rows.push(`${id},0,100,.,1,1,1,${60 + id},${race},${50 + id},${id - 3}`);
      rows.push(`${id},1,0,${5 + id},0,0,2,${60 + id},${race},${55 + id},${id - 3}`);
      rows.push(`${id},4,0,${3 + id},0,0,2,${60 + id},${race},${60 + id},${id - 3}`);
    }
    const dataset = ingest(rows.join('\n'));
    const spec: StudySpec = {
      ...covariateTrialSpec(),
      endpoints: { pk: { cmt: 2 } },
      model: {
        ...covariateTrialSpec().model,
        randomEffects: ['CL', 'V'],
        covariates: [{ column: 'WT', on: 'V', form: 'power', reference: 70, value: 1 }],
      },
    };
    const study = bindStudy(dataset, spec);
    const choice = covariateCandidates(dataset, study.subjects, spec.model, { pk: { route: 'oral', compartments: 1, lag: false } });
    expect(choice.candidates.map((c) => c.name)).toEqual(['CL~WT', 'CL~Z', 'V~Z']);
    expect(choice.candidates[1].effect).toEqual({ column: 'Z', on: 'CL', form: 'linear', reference: 0.5 });
    expect(choice.skipped).toEqual([
      { column: 'CRCL', reason: 'varies within subjects' },
      { column: 'RACE', reason: 'categorical (3 integer values): recode it into 0/1 columns' },
    ]);
  });
});
