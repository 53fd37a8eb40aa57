import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import { guessStudySpec, studyFacts } from '../study/guess-spec';
import { estDataPreset } from '../study/estdata-preset';
import { readRealDatasetCsv } from '../testing/fixture-files';
import { readStudyFile, readStudyFileText, STUDY_FILE_MAX_BYTES, studyFileName, studyFileText } from './study-file';

const ESTDATA_COLUMNS = ['ID', 'BW', 'COMED', 'DOSE', 'TIME', 'DV', 'EVID', 'MDV', 'AMT', 'CMT', 'DVID'];

describe('study files', () => {
  it('are read back to the same spec (the preset, and a guess without a response unit)', () => {
    const preset = estDataPreset();
    expect(readStudyFileText('x.qpkpd-study.json', studyFileText(preset), ESTDATA_COLUMNS)).toEqual({ ok: true, spec: preset });
    const theo = ingestText(readRealDatasetCsv('theo_sd'), 'theo_sd.csv');
    if (!theo.ok) throw new Error('theophylline must ingest');
    const guess = guessStudySpec(studyFacts(theo.dataset));
    expect(guess.units.response).toBe('');
    expect(studyFileText(guess)).not.toContain('"response"');
    expect(readStudyFileText('theo.qpkpd-study.json', studyFileText(guess), theo.dataset.format.columns)).toEqual({
      ok: true,
      spec: guess,
    });
  });

  it('are named after the dataset, without characters file systems refuse', () => {
    expect(studyFileName('EstData')).toBe('EstData.qpkpd-study.json');
    expect(studyFileName('a/b:c*?"<>|d')).toBe('a-b-c-d.qpkpd-study.json');
    expect(studyFileName('..')).toBe('study.qpkpd-study.json');
    expect(studyFileName('x'.repeat(300))).toBe(`${'x'.repeat(100)}.qpkpd-study.json`);
  });

  it('refuse a spec naming a column the dataset lacks, naming the field', () => {
    const spec = { ...estDataPreset(), groupBy: 'ARM' };
    const reading = readStudyFileText('other.qpkpd-study.json', studyFileText(spec), ESTDATA_COLUMNS);
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.problems.map((p) => p.path)).toEqual(['groupBy']);
    expect(reading.message).toBe(
      `other.qpkpd-study.json was not used, and nothing was stored: groupBy: names the column ARM, which the file does not have (its columns: ${ESTDATA_COLUMNS.join(', ')}).`,
    );
  });

  it('refuse an impossible distribution and a PD family without a PD endpoint, naming the fields', () => {
    const document = JSON.parse(studyFileText(estDataPreset())) as Record<string, any>;
    document.questions.scenarios[0].covariates.BW = { uniform: [100, 50] };
    delete document.endpoints.pd;
    delete document.questions;
    const noPd = readStudyFileText('bad.qpkpd-study.json', JSON.stringify(document), ESTDATA_COLUMNS);
    expect(!noPd.ok && noPd.message).toBe(
      'bad.qpkpd-study.json was not used, and nothing was stored: model.pd: a PD model needs a response endpoint: add endpoints.pd (the DVID or CMT of the response observations).',
    );
    const again = JSON.parse(studyFileText(estDataPreset())) as Record<string, any>;
    again.questions.scenarios[0].covariates.BW = { uniform: [100, 50] };
    const impossible = readStudyFileText('bad.qpkpd-study.json', JSON.stringify(again), ESTDATA_COLUMNS);
    expect(!impossible.ok && impossible.message).toBe(
      'bad.qpkpd-study.json was not used, and nothing was stored: questions.scenarios[0].covariates.BW.uniform: must be [low, high] with low < high, got [100, 50].',
    );
  });

  it('refuse a file too large to be a study spec before reading its text', async () => {
    let read = false;
    const huge = { name: 'huge.json', size: STUDY_FILE_MAX_BYTES + 1, text: () => ((read = true), Promise.resolve('')) } as unknown as File;
    const reading = await readStudyFile(huge, ESTDATA_COLUMNS);
    expect(read).toBe(false);
    expect(!reading.ok && reading.message).toMatch(
      /^huge\.json was not used, and nothing was stored: the file is 1000\.0 KB; a study file holds at most 256,000 characters/,
    );
    const text = new File(['not json'], 'notes.json');
    expect(!(await readStudyFile(text, ESTDATA_COLUMNS)).ok).toBe(true);
  });
});
