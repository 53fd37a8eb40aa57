import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import { guessStudySpec, studyFacts } from '../../study/guess-spec';
import { estDataPreset } from '../../study/estdata-preset';
import { readEstDataCsv, readRealDatasetCsv } from '../../testing/fixture-files';
import {
  checkDraft,
  documentOf,
  draftOf,
  endpointOptions,
  groupOptions,
  newEffect,
  parametersOf,
  problemsByField,
  selectorOfKey,
} from './study-draft';

function dataset(text: string, name: string): Dataset {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}

const est = dataset(readEstDataCsv(), 'EstData.csv');
const theo = dataset(readRealDatasetCsv('theo_sd'), 'theo_sd.csv');

describe('the study settings form’s draft', () => {
  it('gives back the spec it started from (the EstData preset, with its questions and random effects)', () => {
    const preset = estDataPreset();
    expect(checkDraft(draftOf(preset), preset, est.format.columns)).toEqual({ ok: true, spec: preset, problems: [] });
    const guess = guessStudySpec(studyFacts(theo));
    expect(checkDraft(draftOf(guess), guess, theo.format.columns)).toEqual({ ok: true, spec: guess, problems: [] });
  });

  it('writes an edited field back: IV drops the lag and the KA random effect; no response drops the PD model', () => {
    const guess = guessStudySpec(studyFacts(theo));
    const iv = checkDraft({ ...draftOf(guess), route: 'iv', lag: true, concentration: 'µg/mL' }, guess, theo.format.columns);
    expect(iv.ok && iv.spec.model).toEqual({
      pk: { route: 'iv', compartments: 'auto', lag: false },
      covariates: [],
      randomEffects: ['CL', 'V'],
    });
    expect(iv.ok && iv.spec.units.concentration).toBe('µg/mL');
    const preset = estDataPreset();
    const noPd = documentOf({ ...draftOf(preset), pd: '', effects: draftOf(preset).effects.slice(0, 3) }, preset) as Record<string, any>;
    expect(noPd.model.pd).toBeUndefined();
    expect(noPd.endpoints).toEqual({ pk: { dvid: 1, name: 'Drug concentration' } });
    expect(noPd.model.randomEffects).toEqual(['CL', 'V']);
  });

  it('places each problem at its field, the others in the general list', () => {
    const guess = guessStudySpec(studyFacts(theo));
    const effect = { column: 'WT', on: 'CL', form: 'power', reference: 'heavy' };
    const check = checkDraft(
      { ...draftOf(guess), groupBy: 'ARM', effects: [effect], amount: 'mmol', name: ' ' },
      guess,
      theo.format.columns,
    );
    expect(check.ok).toBe(false);
    const byField = problemsByField(check.problems, ['name', 'units', 'groupBy', 'model.covariates[0]']);
    expect(Object.fromEntries(byField)).toEqual({
      name: ['must not be empty'],
      units: [expect.stringMatching(/^doses are in mmol \(moles\) but concentrations in mg\/L \(mass\)/)],
      'model.covariates[0]': ['reference: must be a number > 0'],
    });
    // Once those are right, the column the file lacks is found (after the validator, against the file's columns).
    const missing = checkDraft({ ...draftOf(guess), groupBy: 'ARM' }, guess, theo.format.columns);
    expect(Object.fromEntries(problemsByField(missing.problems, ['name']))).toEqual({
      '': [`groupBy: names the column ARM, which the file does not have (its columns: ${theo.format.columns.join(', ')})`],
    });
  });

  it('offers the file’s observation types and groupings with counts, and keeps a choice the file lacks', () => {
    const facts = studyFacts(est);
    expect(endpointOptions(facts, ['dvid:1', 'dvid:7'])).toEqual([
      { value: 'dvid:1', label: 'DVID 1 (864 observations)', count: 864 },
      { value: 'dvid:2', label: 'DVID 2 (1,200 observations)', count: 1200 },
      { value: 'dvid:7', label: 'DVID 7 (0 observations)', count: 0 },
    ]);
    expect(selectorOfKey('dvid:1|cmt:2')).toEqual({ dvid: 1, cmt: 2 });
    expect(groupOptions(facts, 'ARM').map((o) => o.label)).toEqual([
      'Each subject’s dosing (regimen) — 4 groups',
      'BW — more than 12 values',
      'COMED — 2 values',
      'DOSE — 4 values',
      'ARM (not in this file)',
    ]);
  });

  it('knows the parameters of the structure the fields describe, and proposes a new effect on an unused column', () => {
    const preset = estDataPreset();
    const draft = draftOf(preset);
    expect(parametersOf(draft)).toEqual(['CL', 'V', 'KA', 'Q', 'V2', 'BASE', 'KOUT', 'IMAX', 'IC50']);
    expect(parametersOf({ ...draft, route: 'iv', compartments: '1', pd: '' })).toEqual(['CL', 'V']);
    expect(newEffect(studyFacts(est), draft.effects)).toEqual({ column: 'DOSE', on: 'CL', form: 'power', reference: '' });
    // Not the grouping column, while another is free.
    expect(newEffect(studyFacts(est), draft.effects.slice(0, 2), 'DOSE').column).toBe('COMED');
  });
});
