import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estDataPreset } from '../../study/estdata-preset';
import type { StudySpec } from '../../study/study-spec';
import { readStudySpecText } from '../../study/study-spec-reader';
import {
  addRegimen,
  addScenario,
  checkDoseForm,
  checkQuestions,
  DEFAULT_MODELS,
  doseFormOf,
  type DoseFormValues,
  offerNetworks,
  problemAt,
  questionsDraftOf,
  removeAt,
} from './dose-form-model';

function specFile(name: string): StudySpec {
  const reading = readStudySpecText(readFileSync(new URL(`../../../test-data/specs/${name}.study.json`, import.meta.url), 'utf8'));
  if (!reading.ok) throw new Error(name);
  return reading.spec;
}

const PRESET = estDataPreset();
const COLUMNS = ['BW', 'COMED', 'DOSE'];
const form = (spec: StudySpec = PRESET, columns = COLUMNS): DoseFormValues => doseFormOf(spec, columns, DEFAULT_MODELS);

describe('the Doses form model', () => {
  it('gives back the spec’s questions unchanged, for EstData and each real file’s spec', () => {
    for (const [spec, columns] of [
      [PRESET, COLUMNS],
      [specFile('theophylline'), ['WT', 'DOSE']],
      [specFile('phenobarbital'), ['WT', 'APGR']],
      [specFile('mavoglurant'), ['WT', 'AGE', 'SEX']],
    ] as const) {
      const values = form(spec, [...columns]);
      const check = checkDoseForm(spec, values);
      expect(check.problems, spec.name).toEqual({});
      expect(check.spec?.questions, spec.name).toEqual(spec.questions);
      expect(check.options).toEqual({ uncertaintyReplicates: 20, method: 'bisection', vpcReplicates: 100 });
    }
  });

  it('shows targets in %, covariates of the file as resampled unless the scenario draws them', () => {
    const q = form().questions;
    expect(q.targets).toEqual(['90', '75']);
    expect(q.threshold).toBe('3.3');
    expect(q.scenarios[0].covariates.BW).toMatchObject({ kind: 'uniform', a: '50', b: '100' });
    expect(q.scenarios[0].covariates.COMED).toMatchObject({ kind: 'share', a: '50' });
    expect(q.scenarios[0].covariates.DOSE.kind).toBe('resample');
    const theo = form(specFile('theophylline'), ['WT']).questions;
    expect(theo.scenarios[0].covariates.WT.kind).toBe('resample');
    expect(theo.rule).toBe('within');
    expect([theo.low, theo.high, theo.window]).toEqual(['10', '20', 'average']);
  });

  it('places each problem the one validator finds at its field, in the form’s terms', () => {
    const values = form();
    const q = values.questions;
    values.questions = {
      ...q,
      virtualSubjects: '5',
      threshold: '',
      targets: ['150', '75'],
      regimens: [
        { ...q.regimens[0], step: '' },
        { ...q.regimens[1], route: 'iv', duration: '500' },
      ],
      scenarios: [
        { ...q.scenarios[0], covariates: { ...q.scenarios[0].covariates, BW: { ...q.scenarios[0].covariates.BW, a: '100', b: '50' } } },
        q.scenarios[1],
        { ...q.scenarios[2], name: 'BASE' },
      ],
    };
    values.run = { ...values.run, vpcReplicates: '2.5' };
    values.mechanistic = false;
    const { problems, spec, options } = checkDoseForm(PRESET, values);
    expect(spec).toBeNull();
    expect(options).toBeNull();
    expect(problems['questions.virtualSubjects']).toMatch(/whole number from 10 to 100000/);
    expect(problems['questions.criterion.threshold']).toMatch(/must be a number/);
    expect(problems['questions.targets[0]']).toBe('must be a share of subjects more than 0 and at most 100 %');
    expect(problems['questions.regimens[0].step']).toMatch(/must be a number > 0/);
    expect(problems['questions.regimens[1].duration']).toMatch(/cannot last longer than the interval 168/);
    expect(problems['questions.scenarios[0].covariates.BW.uniform']).toMatch(/low < high/);
    expect(problems['questions.scenarios[2].name']).toMatch(/used twice/);
    expect(problems['run.vpcReplicates']).toBe('must be a whole number from 0 to 1000');
    expect(problems.models).toBe('Choose at least one model.');
    expect(problemAt(problems, 'questions.scenarios[0]')).toMatch(/low < high/);
    expect(problemAt(problems, 'questions.scenarios[1]')).toBeUndefined();
  });

  it('writes each distribution as the spec does: uniform, normal with a range, share from %, values, or resampled', () => {
    const values = form();
    const s = values.questions.scenarios[0];
    const none = { a: '', b: '', low: '', high: '', values: '' };
    values.questions.scenarios = [
      {
        ...s,
        covariates: {
          BW: { ...none, kind: 'normal', a: '75', b: '15', low: '45', high: '120' },
          COMED: { ...none, kind: 'share', a: '25' },
          DOSE: { ...none, kind: 'values', values: '1, 3; 10' },
        },
      },
      {
        ...s,
        name: 'trial',
        covariates: { BW: { ...none, kind: 'resample' }, COMED: { ...none, kind: 'resample' }, DOSE: { ...none, kind: 'resample' } },
      },
    ];
    const { spec } = checkQuestions(PRESET, values.questions);
    expect(spec?.questions?.scenarios).toEqual([
      { name: 'base', covariates: { BW: { normal: [75, 15], range: [45, 120] }, COMED: { share: 0.25 }, DOSE: { values: [1, 3, 10] } } },
      { name: 'trial', covariates: 'resample' },
    ]);
  });

  it('adds regimens and scenarios with names not used yet, and removes them', () => {
    const q = form().questions;
    const more = addScenario(addRegimen(q));
    expect(more.regimens.map((r) => r.name)).toEqual(['daily', 'weekly', 'regimen 3']);
    expect(more.regimens[2]).toMatchObject({ interval: '168', step: '5', route: 'oral' });
    expect(more.scenarios.map((s) => s.name)).toEqual(['base', 'bw70_140', 'no_comed', 'scenario 4']);
    expect(Object.values(more.scenarios[3].covariates).every((d) => d.kind === 'resample')).toBe(true);
    expect(new Set(more.regimens.map((r) => r.key)).size).toBe(3);
    const spec = checkQuestions(PRESET, more).spec;
    expect(spec?.questions?.scenarios[3]).toEqual({ name: 'scenario 4', covariates: 'resample' });
    expect(removeAt(more.regimens, 0).map((r) => r.name)).toEqual(['weekly', 'regimen 3']);
  });

  it('starts a study without questions from its endpoint and route, with the threshold left to fill in', () => {
    const theo = specFile('theophylline');
    const bare: StudySpec = { ...theo };
    delete bare.questions;
    const values = form(bare, ['WT']);
    expect(values.questions).toMatchObject({ endpoint: 'pk', rule: 'above', threshold: '', window: 'trough' });
    expect(values.questions.regimens[0]).toMatchObject({ name: 'daily', interval: '24', route: 'oral' });
    expect(Object.keys(checkDoseForm(bare, values).problems)).toEqual(['questions.criterion.threshold']);
    values.questions.threshold = '5';
    expect(checkDoseForm(bare, values).spec?.questions?.criterion).toEqual({ rule: 'above', threshold: 5, window: 'trough' });
  });

  it('refuses an ensemble of fewer than two networks', () => {
    expect(checkDoseForm(PRESET, { ...form(), networkIds: ['a'], ensemble: true }).problems.models).toBe(
      'An ensemble needs two or more networks.',
    );
    expect(checkDoseForm(PRESET, { ...form(), mechanistic: false, networkIds: ['a'] }).problems).toEqual({});
  });

  it('drafts the same questions whatever the case of the file’s column names', () => {
    const q = questionsDraftOf(PRESET.questions!, ['bw', 'comed']);
    expect(Object.keys(q.scenarios[0].covariates)).toEqual(['BW', 'COMED']);
  });
});

describe('networks offered ticked', () => {
  const since = 1_000;
  const net = (id: string, fingerprint: string, createdAt: number) => ({ id, fingerprint, createdAt });
  const start = form();

  it('ticks a network saved during this visit and trained on the open dataset, once', () => {
    const offered = new Set<string>();
    const saved = [net('a', 'data-A', 2_000), net('b', 'data-B', 2_000), net('old', 'data-A', 500)];
    const ticked = offerNetworks(start, saved, 'data-A', since, offered);
    expect(ticked.networkIds).toEqual(['a']);
    expect(ticked.mechanistic).toBe(true);
    // Unticked by the user: offered already, it stays unticked.
    const unticked = { ...ticked, networkIds: [] };
    expect(offerNetworks(unticked, saved, 'data-A', since, offered)).toBe(unticked);
  });

  it('offers a network again when its own dataset is opened later', () => {
    const offered = new Set<string>();
    const saved = [net('a', 'data-A', 2_000)];
    const onB = offerNetworks(start, saved, 'data-B', since, offered);
    expect(onB).toBe(start);
    expect(offerNetworks(onB, saved, 'data-A', since, offered).networkIds).toEqual(['a']);
  });

  it('keeps the networks already chosen and adds newly saved ones after them', () => {
    const offered = new Set<string>();
    const first = offerNetworks(start, [net('a', 'data-A', 2_000)], 'data-A', since, offered);
    const next = offerNetworks(first, [net('a', 'data-A', 2_000), net('c', 'data-A', 3_000)], 'data-A', since, offered);
    expect(next.networkIds).toEqual(['a', 'c']);
  });
});
