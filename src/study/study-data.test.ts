import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { readEstDataCsv, readEstDataStudyText, readRealDatasetCsv, type RealDatasetName } from '../testing/fixture-files';
import { bindStudy, regimenLabel, StudyDataError, type StudyData } from './study-data';
import type { StudySpec } from './study-spec';
import { describeSpecProblems, readStudySpec, readStudySpecText } from './study-spec-reader';

function dataset(text: string, name = 'test.csv'): Dataset {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}

const estData = (): Dataset => dataset(readEstDataCsv(), 'EstData.csv');
const real = (name: RealDatasetName): Dataset => dataset(readRealDatasetCsv(name), `${name}.csv`);

function estSpec(): StudySpec {
  const reading = readStudySpecText(readEstDataStudyText());
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

/** A spec document with `edit` applied, read (it must be valid). */
function spec(base: Record<string, unknown>, edit: (doc: Record<string, any>) => void = () => {}): StudySpec {
  const doc = structuredClone(base) as Record<string, any>;
  edit(doc);
  const reading = readStudySpec(doc);
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

const IV_DOC = {
  format: 'qpkpd-study',
  version: 1,
  name: 'iv',
  units: { time: 'h', amount: 'mg', concentration: 'ng/mL' },
  endpoints: { pk: { cmt: 2 } },
  groupBy: 'DOSE',
  model: {
    pk: { route: 'iv', compartments: 2 },
    covariates: [{ column: 'wt', on: 'CL', form: 'power', reference: 70 }],
    randomEffects: ['CL', 'V'],
  },
};

function failure(run: () => unknown): StudyDataError {
  try {
    run();
  } catch (error) {
    if (error instanceof StudyDataError) return error;
    throw error;
  }
  throw new Error('expected a StudyDataError');
}

describe('EstData through its preset', () => {
  const data = estData();
  const study: StudyData = bindStudy(data, estSpec());

  it('keeps every subject with their covariates, group, doses and observations', () => {
    expect(study.subjects).toHaveLength(48);
    expect(study.effectColumns).toEqual(['BW', 'COMED']);
    expect(study.groups).toEqual(['DOSE 0', 'DOSE 1', 'DOSE 3', 'DOSE 10']);
    study.subjects.forEach((s) => {
      const source = data.subjects[s.index];
      expect(s.id).toBe(source.id);
      expect(s.covariates.BW).toBe(source.baseline.BW);
      expect(s.covariates.COMED).toBe(source.baseline.COMED);
      expect(s.segments).toHaveLength(1);
      expect(s.segments[0].doses).toHaveLength(source.doseCount);
      expect(s.segments[0].doses.every((d) => d.route === 'oral' && d.duration === undefined && !d.steadyState)).toBe(true);
      expect(s.pk.times.length).toBe(source.pkCount);
      expect(s.pd.times.length).toBe(source.pdCount);
      expect(s.group).toBe(`DOSE ${source.armDose}`);
    });
    expect(study.notes).toEqual([]);
  });

  it('labels regimens when grouping by "regimen"', () => {
    const byRegimen = bindStudy(data, { ...estSpec(), groupBy: 'regimen' });
    expect(byRegimen.groups).toEqual([
      'no doses',
      '1 mg oral, 21 doses every 24 h',
      '3 mg oral, 21 doses every 24 h',
      '10 mg oral, 21 doses every 24 h',
    ]);
    expect(regimenLabel([{ time: 0, amount: 25, route: 'infusion', duration: 0.5 }], { amount: 'mg', time: 'h' })).toBe(
      '25 mg IV infusion',
    );
    expect(
      regimenLabel(
        [
          { time: 0, amount: 25, route: 'bolus' },
          { time: 11, amount: 3.5, route: 'bolus' },
          { time: 24, amount: 3.5, route: 'bolus' },
        ],
        { amount: 'mg', time: 'h' },
      ),
    ).toBe('3.5/25 mg IV bolus, 3 doses every ~12 h');
  });
});

describe('real files', () => {
  it('theophylline: rxode2 EVID 101 doses are oral doses, the endpoint is CMT 2', () => {
    const study = bindStudy(
      real('theo_sd'),
      spec(IV_DOC, (d) => {
        d.model.pk = { route: 'oral', compartments: 1 };
        d.groupBy = 'regimen';
      }),
    );
    expect(study.subjects).toHaveLength(12);
    for (const s of study.subjects) {
      expect(s.segments[0].doses).toEqual([{ time: 0, amount: expect.any(Number), route: 'oral' }]);
      expect(s.pk.times.length).toBe(11);
      expect(s.covariates.WT).toBeGreaterThan(40);
    }
  });

  it('mavoglurant: infusions, and a new segment at each occasion with its own doses', () => {
    const study = bindStudy(real('mavoglurant'), spec(IV_DOC));
    expect(study.subjects).toHaveLength(120);
    const two = study.subjects.filter((s) => s.segments.length === 2);
    expect(two).toHaveLength(78);
    for (const s of two) {
      const [first, second] = s.segments;
      expect(first.doses).toHaveLength(1);
      expect(second.doses).toHaveLength(1);
      expect(second.start).toBeGreaterThan(first.doses[0].time);
      expect(second.doses[0].time).toBeGreaterThanOrEqual(second.start);
      for (const d of [...first.doses, ...second.doses]) {
        expect(d.route).toBe('infusion');
        expect(d.duration).toBeGreaterThan(0);
      }
      // Each observation belongs to the segment whose time span holds it.
      s.pk.times.forEach((t, j) => expect(s.pk.segment[j]).toBe(t >= second.start ? 1 : 0));
    }
    expect(study.notes).toEqual(["DOSE varies within subjects; each subject's first value (its baseline) is used."]);
    expect(study.groups.sort()).toEqual(['DOSE 25', 'DOSE 37.5', 'DOSE 50']);
  });
});

describe('what cannot work is refused, naming the field', () => {
  it('a covariate column the file lacks', () => {
    const e = failure(() =>
      bindStudy(
        estData(),
        spec(IV_DOC, (d) => ((d.endpoints = { pk: { dvid: 1 } }), (d.model.covariates[0].column = 'WT'))),
      ),
    );
    expect(e.field).toBe('model.covariates[0].column');
    expect(e.message).toMatch(/names the column WT, which the file does not have/);
  });

  it('a groupBy column the file lacks', () => {
    const e = failure(() => bindStudy(real('theo_sd'), spec(IV_DOC)));
    expect(e.field).toBe('groupBy');
    expect(e.message).toMatch(/groupBy names the column DOSE/);
  });

  it('a text-only column', () => {
    const text = ['ID,TIME,DV,AMT,EVID,MDV,DVID,SEX', '1,0,.,10,1,1,0,M', '1,1,5,0,0,0,1,M', '2,0,.,10,1,1,0,F', '2,1,4,0,0,0,1,F'].join(
      '\n',
    );
    const e = failure(() =>
      bindStudy(
        dataset(text),
        spec(IV_DOC, (d) => {
          d.endpoints = { pk: { dvid: 1 } };
          d.groupBy = 'regimen';
          d.model.covariates = [{ column: 'sex', on: 'V', form: 'factor' }];
        }),
      ),
    );
    expect(e.field).toBe('model.covariates[0].column');
    expect(e.message).toMatch(/SEX.*holds no numbers/i);
  });

  it('an endpoint with no observations, listing what the file has', () => {
    const e = failure(() =>
      bindStudy(
        real('theo_sd'),
        spec(IV_DOC, (d) => ((d.groupBy = 'regimen'), (d.endpoints.pk = { cmt: 3 }))),
      ),
    );
    expect(e.field).toBe('endpoints.pk');
    expect(e.message).toMatch(/selects CMT 3, but no usable observation .* DVID 1 on CMT 2 \(132\)/);
  });

  it('a covariate an effect needs, missing for some subjects', () => {
    const text = ['ID,TIME,DV,AMT,EVID,MDV,DVID,WT', '1,0,.,10,1,1,0,70', '1,1,5,0,0,0,1,70', '2,0,.,10,1,1,0,.', '2,1,4,0,0,0,1,.'].join(
      '\n',
    );
    const e = failure(() =>
      bindStudy(
        dataset(text),
        spec(IV_DOC, (d) => ((d.endpoints = { pk: { dvid: 1 } }), (d.groupBy = 'regimen'))),
      ),
    );
    expect(e.field).toBe('model.covariates[0].column');
    expect(e.message).toMatch(/WT is missing for 1 subject\(s\) with observations \(2\)/);
  });

  it('a factor effect on a column that is not 0/1', () => {
    const e = failure(() =>
      bindStudy(
        real('mavoglurant'),
        spec(IV_DOC, (d) => d.model.covariates.push({ column: 'SEX', on: 'V', form: 'factor' })),
      ),
    );
    expect(e.field).toBe('model.covariates[1].form');
    expect(e.message).toMatch(/needs a 0\/1 column, but SEX has the values 1, 2\. Recode it as 0\/1 \(e\.g\. SEX − 1/);
  });

  it('a power effect on a column with values ≤ 0', () => {
    const text = ['ID,TIME,DV,AMT,EVID,MDV,DVID,AGE', '1,0,.,10,1,1,0,0', '1,1,5,0,0,0,1,0', '2,0,.,10,1,1,0,30', '2,1,4,0,0,0,1,30'].join(
      '\n',
    );
    const e = failure(() =>
      bindStudy(
        dataset(text),
        spec(IV_DOC, (d) => {
          d.endpoints = { pk: { dvid: 1 } };
          d.groupBy = 'regimen';
          d.model.covariates = [{ column: 'AGE', on: 'CL', form: 'power' }];
        }),
      ),
    );
    expect(e.field).toBe('model.covariates[0].form');
    expect(e.message).toMatch(/needs positive values, but AGE is 0 for subject 1/);
  });

  it('an infusion in an oral study, naming the line', () => {
    const e = failure(() =>
      bindStudy(
        real('mavoglurant'),
        spec(IV_DOC, (d) => (d.model.pk = { route: 'oral', compartments: 1 })),
      ),
    );
    expect(e.field).toBe('model.pk.route');
    expect(e.message).toMatch(/mavoglurant\.csv, line 2: subject 793 has an infusion \(RATE or DUR\), but the study's route is oral/);
  });

  it('a dose with SS = 2', () => {
    const text = ['ID,TIME,DV,AMT,EVID,MDV,DVID,SS,II', '1,0,.,10,1,1,0,2,12', '1,1,5,0,0,0,1,0,0'].join('\n');
    const e = failure(() =>
      bindStudy(
        dataset(text),
        spec(IV_DOC, (d) => ((d.endpoints = { pk: { dvid: 1 } }), (d.groupBy = 'regimen'), (d.model.covariates = []))),
      ),
    );
    expect(e.message).toMatch(/line 2: subject 1 has a dose with SS = 2/);
  });
});

describe('doses in the engine’s form', () => {
  it('SS = 1 marks a steady-state dose; RATE an infusion; EVID 3 starts a new segment', () => {
    const text = [
      'ID,TIME,DV,AMT,RATE,EVID,MDV,DVID,SS,II',
      '1,0,.,10,0,1,1,0,1,12',
      '1,1,5,0,0,0,0,1,0,0',
      '1,24,.,20,40,1,1,0,0,0',
      '1,25,6,0,0,0,0,1,0,0',
      '1,30,.,.,0,3,1,0,0,0',
      '1,31,.,5,0,1,1,0,0,0',
      '1,32,2,0,0,0,0,1,0,0',
    ].join('\n');
    const study = bindStudy(
      dataset(text),
      spec(IV_DOC, (d) => ((d.endpoints = { pk: { dvid: 1 } }), (d.groupBy = 'regimen'), (d.model.covariates = []))),
    );
    const [s] = study.subjects;
    expect(s.segments.map((g) => g.doses)).toEqual([
      [
        { time: 0, amount: 10, route: 'bolus', steadyState: { interval: 12 } },
        { time: 24, amount: 20, route: 'infusion', duration: 0.5 },
      ],
      [{ time: 31, amount: 5, route: 'bolus' }],
    ]);
    expect(Array.from(s.pk.segment)).toEqual([0, 0, 1]);
    expect(Array.from(s.pk.lines)).toEqual([3, 5, 8]);
  });
});
