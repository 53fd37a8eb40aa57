import { describe, expect, it } from 'vitest';
import { readEstDataStudyText } from '../testing/fixture-files';
import {
  describeSpecProblems,
  readStudySpec,
  readStudySpecText,
  specColumnProblems,
  STUDY_LIMITS,
  type SpecProblem,
} from './study-spec-reader';
import type { StudySpec } from './study-spec';

/** The example of the issue that introduced study specs, verbatim. */
const ISSUE_EXAMPLE = `{ "format": "qpkpd-study", "version": 1, "name": "example",
  "units": { "time": "h", "amount": "mg", "concentration": "mg/L", "response": "%" },
  "endpoints": { "pk": { "dvid": 1 }, "pd": { "dvid": 2, "name": "Inhibition" } },
  "groupBy": "DOSE",
  "model": { "pk": { "route": "oral", "compartments": "auto", "lag": true },
             "pd": { "family": "direct", "direction": "increase" },
             "covariates": [ { "column": "WT", "on": "CL", "form": "power", "reference": 70 },
                             { "column": "EGFR", "on": "CL", "form": "power", "reference": 90 },
                             { "column": "SEX", "on": "V", "form": "factor" } ],
             "randomEffects": ["CL", "V", "EC50"] },
  "questions": { "endpoint": "pd",
    "criterion": { "rule": "above", "threshold": 80, "window": "throughout" },
    "targets": [0.9, 0.75],
    "regimens": [ { "name": "bid", "interval": 12, "route": "oral", "step": 25 },
                  { "name": "qd", "interval": 24, "route": "oral", "step": 50, "loading": 2 } ],
    "scenarios": [ { "name": "trial-like", "covariates": "resample" },
                   { "name": "renal impairment", "covariates": { "EGFR": { "uniform": [15, 45] } } } ],
    "virtualSubjects": 1000, "seed": 1 } }`;

/** The published-model example of the patient issue (fixed values, SDs, residual error). */
const PUBLISHED_MODEL = `{ "format": "qpkpd-study", "version": 1, "name": "a published model",
  "units": { "time": "h", "amount": "mg", "concentration": "ng/mL", "response": "ng/mL" },
  "endpoints": { "pk": { "dvid": 1 }, "pd": { "dvid": 2 } },
  "model": { "pk": { "route": "oral", "compartments": 1, "lag": false },
             "pd": { "family": "indirect", "type": "inhibit-production" },
             "parameters": { "CL": 38, "V": 6900, "KA": 0.8, "BASE": 10, "IMAX": 0.9, "IC50": 1.2, "KOUT": 0.015 },
             "covariates": [ { "column": "BW", "on": "CL", "form": "power", "reference": 70, "value": 1.2 },
                             { "column": "COMED", "on": "BASE", "form": "factor", "value": 0.76 } ],
             "randomEffects": { "CL": 0.25, "V": 0.1, "BASE": 0.2 },
             "error": { "pk": { "exponential": 0.15 }, "pd": { "proportional": 0.1 } } } }`;

function valid(text: string): StudySpec {
  const reading = readStudySpecText(text);
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

function problems(value: unknown): SpecProblem[] {
  const reading = typeof value === 'string' ? readStudySpecText(value) : readStudySpec(value);
  if (reading.ok) throw new Error('expected the spec to be refused');
  return reading.problems;
}

/** A copy of the issue example with one change applied. */
function changed(edit: (doc: Record<string, any>) => void): Record<string, unknown> {
  const doc = JSON.parse(ISSUE_EXAMPLE) as Record<string, any>;
  edit(doc);
  return doc;
}

describe('study spec reader', () => {
  it('reads the example form with defaults filled in', () => {
    const spec = valid(ISSUE_EXAMPLE);
    expect(spec.units).toEqual({ time: 'h', amount: 'mg', concentration: 'mg/L', response: '%' });
    expect(spec.model.pk).toEqual({ route: 'oral', compartments: 'auto', lag: true });
    expect(spec.model.pd).toEqual({ family: 'direct', direction: 'increase', sigmoid: false });
    expect(spec.model.covariates.map((c) => `${c.column}~${c.on}:${c.form}`)).toEqual(['WT~CL:power', 'EGFR~CL:power', 'SEX~V:factor']);
    expect(spec.questions?.criterion).toEqual({ rule: 'above', threshold: 80, window: 'throughout' });
    expect(spec.questions?.regimens[1]).toEqual({ name: 'qd', interval: 24, route: 'oral', step: 50, loading: 2 });
    expect(spec.questions?.scenarios[1].covariates).toEqual({ EGFR: { uniform: [15, 45] } });
  });

  it('reads a published model with fixed values, SDs and residual error', () => {
    const spec = valid(PUBLISHED_MODEL);
    expect(spec.groupBy).toBe('regimen');
    expect(spec.model.parameters).toMatchObject({ CL: 38, V: 6900, IMAX: 0.9 });
    expect(spec.model.randomEffects).toEqual({ CL: 0.25, V: 0.1, BASE: 0.2 });
    expect(spec.model.error).toEqual({ pk: { exponential: 0.15 }, pd: { proportional: 0.1 } });
    expect(spec.questions).toBeUndefined();
  });

  it('reads the EstData preset shipped beside the demo data', () => {
    const spec = valid(readEstDataStudyText());
    expect(spec.groupBy).toBe('DOSE');
    expect(spec.questions?.scenarios.map((s) => s.name)).toEqual(['base', 'bw70_140', 'no_comed']);
    expect(specColumnProblems(spec, ['ID', 'BW', 'COMED', 'DOSE', 'TIME', 'DV', 'EVID', 'MDV', 'AMT', 'CMT', 'DVID'])).toEqual([]);
  });

  it('writes units the usual other ways as the canonical unit', () => {
    const spec = valid(JSON.stringify(changed((d) => (d.units = { time: 'hours', amount: 'ug', concentration: 'ug/ml', response: '%' }))));
    expect(spec.units).toMatchObject({ time: 'h', amount: 'µg', concentration: 'µg/mL' });
  });

  it('names the field of every problem, and finds them all at once', () => {
    const found = problems(
      changed((d) => {
        d.questions.targets = [0.9, 1.5];
        d.questions.regimens[0].step = -1;
        d.model.covariates[0].on = 'CLEARANCE';
      }),
    );
    expect(found.map((p) => p.path).sort()).toEqual(['model.covariates[0].on', 'questions.regimens[0].step', 'questions.targets[1]']);
  });

  it('refuses an impossible distribution, naming the field', () => {
    const found = problems(changed((d) => (d.questions.scenarios[1].covariates.EGFR = { uniform: [45, 15] })));
    expect(found).toEqual([{ path: 'questions.scenarios[1].covariates.EGFR.uniform', message: expect.stringContaining('low < high') }]);
    const normal = problems(changed((d) => (d.questions.scenarios[1].covariates.EGFR = { normal: [60, -3] })));
    expect(normal[0].path).toBe('questions.scenarios[1].covariates.EGFR.normal');
    expect(normal[0].message).toContain('sd > 0');
  });

  it('refuses a PD family without a PD endpoint', () => {
    const found = problems(changed((d) => delete d.endpoints.pd));
    expect(found.map((p) => p.path)).toContain('model.pd');
    expect(found.find((p) => p.path === 'model.pd')?.message).toContain('endpoints.pd');
    expect(found.map((p) => p.path)).toContain('questions.endpoint');
  });

  it('refuses parameters the model does not have', () => {
    const lagOnIv = problems(changed((d) => (d.model.pk.route = 'iv')));
    expect(lagOnIv.map((p) => p.path)).toContain('model.pk.lag');
    const q = problems(changed((d) => ((d.model.pk.compartments = 1), (d.model.covariates[0].on = 'Q'))));
    expect(q[0]).toEqual({ path: 'model.covariates[0].on', message: expect.stringContaining('Q is not a parameter of this model') });
    const ke0 = problems(changed((d) => d.model.randomEffects.push('KE0')));
    expect(ke0[0].path).toBe('model.randomEffects[3]');
  });

  it('refuses misspelt fields rather than ignoring them', () => {
    const found = problems(changed((d) => (d.questions.criterion = { rule: 'above', threshhold: 80 })));
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(['questions.criterion.threshhold', 'questions.criterion.threshold']));
  });

  it('refuses units that do not fit together', () => {
    const found = problems(changed((d) => (d.units.concentration = 'nmol/L')));
    expect(found).toEqual([{ path: 'units', message: expect.stringContaining('both by mass or both in moles') }]);
  });

  it('checks the columns a spec names against the file, without regard to case', () => {
    const spec = valid(ISSUE_EXAMPLE);
    expect(specColumnProblems(spec, ['id', 'time', 'dv', 'wt', 'egfr', 'sex', 'dose'])).toEqual([]);
    const missing = specColumnProblems(spec, ['ID', 'TIME', 'DV', 'WT', 'SEX', 'DOSE']);
    expect(missing.map((p) => p.path)).toEqual(['model.covariates[1].column', 'questions.scenarios[1].covariates.EGFR']);
    expect(missing[0].message).toContain('EGFR');
  });

  it('checks explicit limits before reading what a document claims', () => {
    const long = problems('x'.repeat(STUDY_LIMITS.textLength + 1));
    expect(long[0].message).toContain('at most');
    const many = problems(changed((d) => (d.questions.regimens = Array.from({ length: 1e5 }, () => d.questions.regimens[0]))));
    expect(many).toEqual([{ path: 'questions.regimens', message: expect.stringContaining('at most 12') }]);
    const grid = problems(changed((d) => (d.questions.regimens[0].max = 1e9)));
    expect(grid[0].path).toBe('questions.regimens[0].max');
    const subjects = problems(changed((d) => (d.questions.virtualSubjects = 1e9)));
    expect(subjects[0].path).toBe('questions.virtualSubjects');
  });

  it('refuses names that could reach Object.prototype, and leaves it untouched', () => {
    const text = ISSUE_EXAMPLE.replace('"EGFR": { "uniform"', '"__proto__": { "uniform"');
    const found = problems(text);
    expect(found.some((p) => p.message.includes('not allowed'))).toBe(true);
    const covariate = problems(changed((d) => (d.model.covariates[0].column = 'constructor')));
    expect(covariate[0].path).toBe('model.covariates[0].column');
    expect(({} as Record<string, unknown>).uniform).toBeUndefined();
  });

  it('reads the sigmoid flag of an indirect response, which brings HILL', () => {
    const indirect = (sigmoid?: unknown) =>
      changed((d) => {
        d.model.pd =
          sigmoid === undefined ? { family: 'indirect', type: 'stimulate-loss' } : { family: 'indirect', type: 'stimulate-loss', sigmoid };
        d.model.covariates = [];
        d.model.randomEffects = ['CL', 'HILL'];
      });
    const spec = readStudySpec(indirect(true));
    if (!spec.ok) throw new Error(describeSpecProblems(spec.problems));
    expect(spec.spec.model.pd).toEqual({ family: 'indirect', type: 'stimulate-loss', sigmoid: true });
    expect(problems(indirect())[0]).toEqual({
      path: 'model.randomEffects[1]',
      message: 'HILL is not a parameter of this model (it has CL, V, KA, TLAG, Q, V2, BASE, KOUT, EMAX, EC50)',
    });
    expect(problems(indirect('yes'))[0]).toEqual({ path: 'model.pd.sigmoid', message: 'must be true or false' });
    const plain = readStudySpec({ ...indirect(false), model: { ...(indirect(false).model as object), randomEffects: ['CL'] } });
    expect(plain.ok && plain.spec.model.pd).toEqual({ family: 'indirect', type: 'stimulate-loss' });
  });

  it('says what a file is when it is not a spec, or from a newer app', () => {
    expect(problems('not json')[0].message).toContain('not JSON');
    expect(problems({ format: 'other' })[0].message).toContain('qpkpd-study');
    expect(problems(changed((d) => (d.version = 2)))[0].message).toContain('newer version');
  });

  it('reads the covariate ranges of the model’s data for the columns its effects use, and refuses bad ones by path', () => {
    const withRanges = (ranges: unknown): Record<string, unknown> => {
      const doc = JSON.parse(PUBLISHED_MODEL) as Record<string, any>;
      doc.model.covariateRanges = ranges;
      return doc;
    };
    const reading = readStudySpec(withRanges({ bw: [40, 120], COMED: [0, 1] }));
    expect(reading.ok && reading.spec.model.covariateRanges).toEqual({ BW: [40, 120], COMED: [0, 1] });
    expect(valid(PUBLISHED_MODEL).model.covariateRanges).toBeUndefined();
    expect(problems(withRanges({ BW: [120, 40], WT: [40, 120], COMED: [0] }))).toEqual([
      { path: 'model.covariateRanges.BW', message: 'must be [low, high] with low < high, got [120, 40]' },
      { path: 'model.covariateRanges.WT', message: 'no covariate effect of the model uses WT (they use BW, COMED)' },
      { path: 'model.covariateRanges.COMED', message: 'needs at least 2 items' },
    ]);
    expect(problems(withRanges([40, 120]))).toEqual([{ path: 'model.covariateRanges', message: 'must be an object { … }' }]);
  });

  it('reads how additive and proportional error combine (absent: the variances add), and refuses bad forms by path', () => {
    const withError = (pd: unknown): Record<string, unknown> => {
      const doc = JSON.parse(PUBLISHED_MODEL) as Record<string, any>;
      doc.model.error.pd = pd;
      return doc;
    };
    for (const combined of ['sum-of-sds', 'sum-of-variances'] as const) {
      const reading = readStudySpec(withError({ additive: 3.4, proportional: 0.227, combined }));
      expect(reading.ok && reading.spec.model.error?.pd).toEqual({ additive: 3.4, proportional: 0.227, combined });
    }
    expect(valid(PUBLISHED_MODEL).model.error?.pd?.combined).toBeUndefined();
    expect(problems(withError({ additive: 1, proportional: 0.1, combined: 'combined1' }))).toEqual([
      { path: 'model.error.pd.combined', message: 'must be one of "sum-of-variances", "sum-of-sds"' },
    ]);
    expect(problems(withError({ exponential: 0.1, combined: 'sum-of-sds' }))).toEqual([
      { path: 'model.error.pd.combined', message: 'applies to additive and proportional error, not to exponential' },
    ]);
    expect(problems(withError({ combined: 'sum-of-sds' }))).toEqual([
      { path: 'model.error.pd', message: 'needs at least one of additive, proportional, exponential > 0' },
    ]);
  });
});
