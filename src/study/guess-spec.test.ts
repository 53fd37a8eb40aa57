import { describe, expect, it } from 'vitest';
import { datasetFingerprint } from '../data/fingerprint';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { readEstDataCsv, readEstDataStudyText, readRealDatasetCsv, type RealDatasetName } from '../testing/fixture-files';
import { endpointChoices, ESTDATA_FINGERPRINT, guessRoute, guessStudySpec, headerSignature, proposeStudy, studyFacts } from './guess-spec';
import { estDataPreset } from './estdata-preset';
import { studySpecDocument } from '../store/study-file';
import { bindStudy } from './study-data';
import type { StudySpec } from './study-spec';
import { readStudySpec, readStudySpecText } from './study-spec-reader';

function dataset(text: string, name: string): Dataset {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}

const estData = (): Dataset => dataset(readEstDataCsv(), 'EstData.csv');
const real = (name: RealDatasetName): Dataset => dataset(readRealDatasetCsv(name), `${name}.csv`);

/** The guess survives the one validator unchanged, written as a study file is. */
function expectValid(spec: StudySpec): void {
  const reading = readStudySpec(JSON.parse(JSON.stringify(studySpecDocument(spec))));
  expect(reading.ok ? [] : reading.problems).toEqual([]);
  if (reading.ok) expect(reading.spec).toEqual(spec);
}

describe('the demo data get the EstData preset', () => {
  it('recognises the demo by its fingerprint and offers the preset shipped beside it', () => {
    const data = estData();
    expect(datasetFingerprint(data)).toBe(ESTDATA_FINGERPRINT);
    const preset = readStudySpecText(readEstDataStudyText());
    expect(preset.ok && preset.spec).toEqual(estDataPreset());
    expect(proposeStudy(data, ESTDATA_FINGERPRINT)).toEqual({ spec: estDataPreset(), source: 'preset' });
    // Any other content is guessed, even under the demo's name.
    const other = proposeStudy(data, '0000000000000000');
    expect(other.source).toBe('guess');
    expect(other.spec.model.covariates).toEqual([]);
  });

  it('gives a fresh copy each time', () => {
    const a = estDataPreset();
    a.model.covariates.length = 0;
    expect(estDataPreset().model.covariates).toHaveLength(4);
  });
});

describe('guesses from the file', () => {
  it('EstData read as any file: DVID 1 PK, DVID 2 PD, oral (doses into CMT 1, observed in CMT 2), grouped by DOSE', () => {
    const facts = studyFacts(estData());
    expect(facts.observations).toEqual([
      { dvid: 1, cmt: 2, count: 864 },
      { dvid: 2, cmt: 3, count: 1200 },
    ]);
    expect(facts.doses).toEqual({ count: 756, infusions: 0, compartments: [1] });
    expect(facts.covariates.map((c) => [c.name, c.integer, c.manyValues, c.values.length])).toEqual([
      ['BW', true, true, 13],
      ['COMED', true, false, 2],
      ['DOSE', true, false, 4],
    ]);
    const spec = guessStudySpec(facts);
    expect(spec).toEqual({
      format: 'qpkpd-study',
      version: 1,
      name: 'EstData.csv',
      units: { time: 'h', amount: 'mg', concentration: 'mg/L', response: '' },
      endpoints: { pk: { dvid: 1 }, pd: { dvid: 2 } },
      groupBy: 'DOSE',
      model: {
        pk: { route: 'oral', compartments: 'auto', lag: false },
        pd: { family: 'auto' },
        covariates: [],
        randomEffects: ['CL', 'V', 'KA', 'BASE'],
      },
    });
    expect(guessRoute(facts, spec.endpoints.pk).reason).toBe('the doses go into CMT 1 and the concentrations are observed in CMT 2');
    expect(endpointChoices(facts)).toEqual([
      { key: 'dvid:1', selector: { dvid: 1 }, label: 'DVID 1', count: 864 },
      { key: 'dvid:2', selector: { dvid: 2 }, label: 'DVID 2', count: 1200 },
    ]);
    expectValid(spec);
  });

  it('theophylline: one observation type (CMT 2, no DVID column), oral doses into CMT 1, one group per regimen', () => {
    const data = real('theo_sd');
    const facts = studyFacts(data);
    const spec = guessStudySpec(facts);
    expect(spec.endpoints).toEqual({ pk: { cmt: 2 } });
    expect(endpointChoices(facts)).toEqual([{ key: 'cmt:2', selector: { cmt: 2 }, label: 'CMT 2', count: 132 }]);
    expect(spec.model.pk.route).toBe('oral');
    expect(spec.model.pd).toBeUndefined();
    expect(spec.model.randomEffects).toEqual(['CL', 'V', 'KA']);
    expect(spec.groupBy).toBe('regimen');
    expect(facts.covariates.map((c) => [c.name, c.manyValues])).toEqual([['WT', false]]);
    expect(facts.regimenGroups).toBe(bindStudy(data, spec).groups.length);
    expectValid(spec);
  });

  it('phenobarbital: no DVID and no CMT — all observations PK, oral assumed (no CMT to tell), WT and APGR', () => {
    const facts = studyFacts(real('pheno_sd'));
    const spec = guessStudySpec(facts);
    expect(spec.endpoints).toEqual({ pk: { dvid: 1 } });
    expect(endpointChoices(facts)).toEqual([{ key: 'dvid:1', selector: { dvid: 1 }, label: 'all observations', count: 155 }]);
    expect(guessRoute(facts, spec.endpoints.pk)).toEqual({ route: 'oral', reason: 'no CMT tells where the doses go; oral is assumed' });
    expect(spec.groupBy).toBe('regimen');
    expect(facts.covariates.map((c) => [c.name, c.integer, c.manyValues])).toEqual([
      ['WT', false, true],
      ['APGR', true, false],
    ]);
    expect(facts.regimenGroups).toBe(56);
    expectValid(spec);
  });

  it('mavoglurant: infusions make the route IV; observations on CMT 2; grouped by DOSE', () => {
    const facts = studyFacts(real('mavoglurant'));
    const spec = guessStudySpec(facts);
    expect(spec.endpoints).toEqual({ pk: { cmt: 2 } });
    expect(guessRoute(facts, spec.endpoints.pk)).toEqual({ route: 'iv', reason: '198 doses are infusions (RATE or DUR)' });
    expect(spec.model).toEqual({ pk: { route: 'iv', compartments: 'auto', lag: false }, covariates: [], randomEffects: ['CL', 'V'] });
    expect(spec.groupBy).toBe('DOSE');
    expect(facts.covariates.map((c) => c.name)).toEqual(['DOSE', 'AGE', 'SEX', 'WT', 'HT']);
    expect(facts.covariates.find((c) => c.name === 'SEX')?.values).toEqual([1, 2]);
    expectValid(spec);
  });

  it('a Monolix-style file without EVID: a row with AMT is a dose, one observation type, oral', () => {
    const rows = ['ID\tTIME\tDV\tAMT\tWT'];
    for (let id = 1; id <= 3; id++)
      rows.push(`${id}\t0\t.\t${id * 5}\t${60 + id}`, `${id}\t1\t${id}.5\t.\t${60 + id}`, `${id}\t4\t${id}\t.\t${60 + id}`);
    const facts = studyFacts(dataset(rows.join('\n'), 'monolix.txt'));
    expect(facts.doses).toEqual({ count: 3, infusions: 0, compartments: [Number.NaN] });
    const spec = guessStudySpec(facts);
    expect(spec.endpoints).toEqual({ pk: { dvid: 1 } });
    expect(spec.model.pk.route).toBe('oral');
    expect(spec.groupBy).toBe('regimen');
    expect(facts.regimenGroups).toBe(3);
    expectValid(spec);
  });

  it('a Monolix-style file with YTYPE 1 and 2 and an ARM column: PK and PD, grouped by ARM', () => {
    const rows = ['ID,TIME,Y,YTYPE,AMT,ARM'];
    for (let id = 1; id <= 4; id++) {
      const arm = id % 2;
      rows.push(`${id},0,.,.,${arm * 10},${arm}`, `${id},1,2.5,1,.,${arm}`, `${id},1,80,2,.,${arm}`);
    }
    const spec = guessStudySpec(studyFacts(dataset(rows.join('\n'), 'ytype.csv')));
    expect(spec.endpoints).toEqual({ pk: { dvid: 1 }, pd: { dvid: 2 } });
    expect(spec.model.pd).toEqual({ family: 'auto' });
    expect(spec.groupBy).toBe('ARM');
    expectValid(spec);
  });

  it('doses into the observed compartment read as IV; a dose-like column with too many values is no grouping', () => {
    const rows = ['ID,TIME,DV,AMT,EVID,CMT,DOSE'];
    for (let id = 1; id <= 14; id++) rows.push(`${id},0,.,${id},1,1,${id}`, `${id},1,${id / 2},.,0,1,${id}`);
    const facts = studyFacts(dataset(rows.join('\n'), 'bolus.csv'));
    expect(guessRoute(facts, { cmt: 1 })).toEqual({
      route: 'iv',
      reason: 'the doses go into the compartment the concentrations are observed in (CMT 1)',
    });
    const spec = guessStudySpec(facts);
    expect(spec.model.pk.route).toBe('iv');
    expect(spec.groupBy).toBe('regimen');
    expectValid(spec);
  });
});

describe('headerSignature', () => {
  it('is the same for the same column names in any order and capitals, and differs otherwise', () => {
    expect(headerSignature(['ID', 'TIME', 'DV', 'WT'])).toBe(headerSignature(['wt', ' dv', 'Time', 'ID']));
    expect(headerSignature(['ID', 'TIME', 'DV', 'WT'])).not.toBe(headerSignature(['ID', 'TIME', 'DV', 'BW']));
    expect(headerSignature(['ID', 'TIME', 'DV'])).toMatch(/^header:[0-9a-f]{16}$/);
  });
});
