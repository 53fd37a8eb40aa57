import { describe, expect, it } from 'vitest';
import type { StudySpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../../study/study-spec-reader';
import {
  covariateVector,
  fixedTypicalValues,
  individualFromTypical,
  individualValues,
  mapParameter,
  networkColumn,
  networkEffects,
  resolveEffects,
  stageModel,
  typicalValues,
} from './parameter-model';

function spec(
  model: Record<string, unknown>,
  units: Record<string, string> = { time: 'h', amount: 'mg', concentration: 'ng/mL' },
): StudySpec {
  const reading = readStudySpec({
    format: 'qpkpd-study',
    version: 1,
    name: 'test',
    units,
    endpoints: { pk: { dvid: 1 }, pd: { dvid: 2 } },
    model,
  });
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

const ESTDATA_MODEL = {
  pk: { route: 'oral', compartments: 'auto' },
  pd: { family: 'indirect', type: 'inhibit-production' },
  covariates: [
    { column: 'BW', on: 'CL', form: 'power', reference: 70 },
    { column: 'BW', on: 'V', form: 'power', reference: 70 },
    { column: 'COMED', on: 'CL', form: 'factor' },
    { column: 'COMED', on: 'BASE', form: 'factor' },
  ],
  randomEffects: ['CL', 'V', 'BASE'],
};

describe('θ layout', () => {
  const s = spec(ESTDATA_MODEL);
  const effects = resolveEffects(s.model.covariates, () => []);

  it('mirrors the EstData-only pk-fit.ts: structural parameters, then effects in the spec’s order', () => {
    const pk = stageModel(s, 'pk', { route: 'oral', compartments: 2, lag: false }, undefined, effects);
    expect(pk.thetas.map((t) => [t.name, t.transform])).toEqual([
      ['CL', 'log'],
      ['V', 'log'],
      ['KA', 'log'],
      ['Q', 'log'],
      ['V2', 'log'],
      ['CL~BW', 'identity'],
      ['V~BW', 'identity'],
      ['CL~COMED', 'log'],
    ]);
    expect(pk.etas).toEqual(['CL', 'V']);
  });

  it('mirrors the EstData-only pd-fit.ts: each PD parameter followed by its own effects; IMAX on the logit scale', () => {
    const pd = stageModel(
      s,
      'pd',
      { route: 'oral', compartments: 1, lag: false },
      { family: 'indirect', type: 'inhibit-production' },
      effects,
    );
    expect(pd.thetas.map((t) => [t.name, t.transform])).toEqual([
      ['BASE', 'log'],
      ['BASE~COMED', 'log'],
      ['KOUT', 'log'],
      ['IMAX', 'logit'],
      ['IC50', 'log'],
    ]);
    expect(pd.etas).toEqual(['BASE']);
  });

  it('leaves E0 and a direct EMAX on their own scale, and maps role-mates for another family', () => {
    const pd = stageModel(
      s,
      'pd',
      { route: 'oral', compartments: 1, lag: false },
      { family: 'direct', direction: 'increase', sigmoid: true },
      effects,
    );
    expect(pd.thetas.map((t) => [t.name, t.transform])).toEqual([
      ['E0', 'identity'],
      ['E0~COMED', 'log'],
      ['EMAX', 'identity'],
      ['EC50', 'log'],
      ['HILL', 'log'],
    ]);
    // randomEffects names BASE: a direct family has E0 in that role.
    expect(pd.etas).toEqual(['E0']);
    expect(mapParameter('IMAX', ['E0', 'EMAX', 'EC50'])).toBe('EMAX');
    expect(mapParameter('KOUT', ['E0', 'EMAX', 'EC50'])).toBeUndefined();
  });

  it('lists effects on parameters a candidate structure lacks as unused', () => {
    const withQ = spec({
      ...ESTDATA_MODEL,
      covariates: [...ESTDATA_MODEL.covariates, { column: 'AGE', on: 'Q', form: 'linear', reference: 40 }],
    });
    const one = stageModel(
      withQ,
      'pk',
      { route: 'oral', compartments: 1, lag: false },
      undefined,
      resolveEffects(withQ.model.covariates, () => []),
    );
    expect(one.unused.map((e) => e.name)).toEqual(['Q~AGE']);
    expect(one.thetas.some((t) => t.name === 'Q~AGE')).toBe(false);
  });
});

describe('individual parameters', () => {
  it('computes P = θ Π g(x) e^η with the allometric convention (power effects on CL and V also scale Q and V2)', () => {
    const s = spec({
      pk: { route: 'iv', compartments: 2 },
      covariates: [
        { column: 'WT', on: 'CL', form: 'power', reference: 70 },
        { column: 'WT', on: 'V', form: 'power', reference: 70 },
        { column: 'SEX', on: 'CL', form: 'factor' },
        { column: 'AGE', on: 'V2', form: 'linear', reference: 40 },
      ],
      randomEffects: ['CL', 'V2'],
    });
    const effects = resolveEffects(s.model.covariates, () => []);
    const model = stageModel(s, 'pk', { route: 'iv', compartments: 2, lag: false }, undefined, effects);
    expect(model.thetas.map((t) => t.name)).toEqual(['CL', 'V', 'Q', 'V2', 'CL~WT', 'V~WT', 'CL~SEX', 'V2~AGE']);
    const theta = [2, 10, 3, 20, 0.75, 1.1, 0.8, 0.01];
    const z = covariateVector(model, { WT: 84, SEX: 1, AGE: 50 });
    const out = individualValues(model, theta, [0.1, -0.2], z, {});
    const w = 84 / 70;
    expect(out.CL).toBeCloseTo(2 * w ** 0.75 * 0.8 * Math.exp(0.1), 12);
    expect(out.V).toBeCloseTo(10 * w ** 1.1, 12);
    // Q follows CL's power effect only (not its factor); V2 follows V's power effect and its own linear one.
    expect(out.Q).toBeCloseTo(3 * w ** 0.75, 12);
    expect(out.V2).toBeCloseTo(20 * w ** 1.1 * (1 + 0.01 * 10) * Math.exp(-0.2), 12);
  });

  it('does not scale Q by CL’s power effect when Q has an effect of that column of its own', () => {
    const s = spec({
      pk: { route: 'iv', compartments: 2 },
      covariates: [
        { column: 'WT', on: 'CL', form: 'power', reference: 70 },
        { column: 'WT', on: 'Q', form: 'power', reference: 70, value: 0.5 },
      ],
      randomEffects: [],
    });
    const model = stageModel(
      s,
      'pk',
      { route: 'iv', compartments: 2, lag: false },
      undefined,
      resolveEffects(s.model.covariates, () => []),
    );
    const out = individualValues(model, [2, 10, 3, 20, 0.75, 0.5], [], covariateVector(model, { WT: 140 }), {});
    expect(out.Q).toBeCloseTo(3 * 2 ** 0.5, 12);
    expect(model.thetas.find((t) => t.name === 'Q~WT')).toMatchObject({ fixed: true, fixedValue: 0.5 });
  });

  it('puts η of IMAX on the logit scale, so that IMAX stays below 1', () => {
    const s = spec({ ...ESTDATA_MODEL, covariates: [], randomEffects: ['IMAX'] });
    const model = stageModel(
      s,
      'pd',
      { route: 'oral', compartments: 1, lag: false },
      { family: 'indirect', type: 'inhibit-production' },
      [],
    );
    const out = individualValues(model, [10, 0.01, 0.9, 1], [3], [], {});
    const logit = Math.log(0.9 / 0.1) + 3;
    expect(out.IMAX).toBeCloseTo(1 / (1 + Math.exp(-logit)), 14);
    expect(out.IMAX as number).toBeLessThan(1);
  });

  it('takes references from the data’s median when the spec gives none', () => {
    const effects = resolveEffects([{ column: 'wt', on: 'CL', form: 'power' }], () => [50, 90, 60, 70]);
    expect(effects[0]).toMatchObject({ name: 'CL~WT', column: 'WT', reference: 65 });
  });

  it('reads fixed typical values in display units (CL in L/h of mg and ng/mL data is 1000 × the data’s unit)', () => {
    const s = spec({ ...ESTDATA_MODEL, parameters: { CL: 38, V: 6900, IMAX: 0.9 } });
    expect(fixedTypicalValues(s, ['CL', 'V', 'KA'])).toEqual({ CL: 0.038, V: 6.9 });
    const pd = stageModel(s, 'pd', { route: 'oral', compartments: 1, lag: false }, { family: 'indirect', type: 'inhibit-production' }, []);
    expect(pd.thetas.find((t) => t.name === 'IMAX')).toMatchObject({ fixed: true, fixedValue: 0.9 });
  });
});

describe('individual parameters in two steps (the fitting loop: θ part once per θ, then η)', () => {
  const s = spec({
    pk: { route: 'iv', compartments: 2 },
    pd: { family: 'indirect', type: 'inhibit-production' },
    covariates: [
      { column: 'WT', on: 'CL', form: 'power', reference: 70 },
      { column: 'WT', on: 'V', form: 'power', reference: 70 },
      { column: 'SEX', on: 'CL', form: 'factor' },
      { column: 'AGE', on: 'V2', form: 'linear', reference: 40 },
    ],
    randomEffects: ['CL', 'V2', 'IMAX'],
  });
  const effects = resolveEffects(s.model.covariates, () => []);
  const pk = stageModel(s, 'pk', { route: 'iv', compartments: 2, lag: false }, undefined, effects);
  const theta = [2, 10, 3, 20, 0.75, 1.1, 0.8, 0.01];
  const z = covariateVector(pk, { WT: 84, SEX: 1, AGE: 50 });
  const w = 84 / 70;

  it('typicalValues is θ Π g(x), in parameter order, without η', () => {
    // The products in the order the model takes them: bit for bit.
    expect(Array.from(typicalValues(pk, theta, z, new Float64Array(4)))).toEqual([
      2 * w ** 0.75 * 0.8 ** 1,
      10 * w ** 1.1,
      3 * w ** 0.75,
      20 * w ** 1.1 * (1 + 0.01 * 10),
    ]);
  });

  it('individualFromTypical adds η and writes each parameter to its slot: individualValues, bit for bit', () => {
    const eta = [0.1, -0.2];
    const typical = typicalValues(pk, theta, z, new Float64Array(4));
    const out = individualFromTypical(pk, typical, eta, Int32Array.of(5, 0, 3, 1), new Float64Array(6).fill(-1));
    const record = individualValues(pk, theta, eta, z, {});
    expect(Array.from(out)).toEqual([record.V, record.V2, -1, record.Q, -1, record.CL]);
    expect(out[5]).toBe(2 * w ** 0.75 * 0.8 ** 1 * Math.exp(0.1));
    expect(out[1]).toBe(20 * w ** 1.1 * (1 + 0.01 * 10) * Math.exp(-0.2));
  });

  it('takes η of IMAX on the logit scale as individualValues does', () => {
    const pd = stageModel(s, 'pd', { route: 'iv', compartments: 2, lag: false }, { family: 'indirect', type: 'inhibit-production' }, []);
    const pdTheta = [10, 0.01, 0.9, 1];
    const typical = typicalValues(pd, pdTheta, [], new Float64Array(4));
    const out = individualFromTypical(pd, typical, [-0.7], Int32Array.of(0, 1, 2, 3), new Float64Array(4));
    expect(out[2]).toBe(individualValues(pd, pdTheta, [-0.7], [], {}).IMAX);
    expect(out[2]).toBe(1 / (1 + Math.exp(-(Math.log(0.9 / (1 - 0.9)) + -0.7))));
  });
});

describe('network shifts (a hybrid model’s covariate network)', () => {
  const s = spec({
    pk: { route: 'oral', compartments: 1 },
    pd: { family: 'indirect', type: 'inhibit-production' },
    covariates: [],
    randomEffects: ['CL', 'BASE'],
  });
  const pd = { family: 'indirect' as const, type: 'inhibit-production' as const };
  const effects = [
    ...resolveEffects([{ column: 'WT', on: 'CL', form: 'power', reference: 70 }], () => []),
    ...networkEffects(['CL', 'BASE'], pd),
  ];

  it('multiplies a typical value by e^{shift}, beside the spec’s effects, with θ fixed at 1', () => {
    const pk = stageModel(s, 'pk', { route: 'oral', compartments: 1, lag: false }, undefined, effects);
    expect(pk.thetas.map((t) => [t.name, t.fixed, t.fixedValue ?? null])).toEqual([
      ['CL', false, null],
      ['V', false, null],
      ['KA', false, null],
      ['CL~WT', false, null],
      ['CL~network', true, 1],
    ]);
    const z = covariateVector(pk, { WT: 84, [networkColumn('CL')]: -0.3 });
    const typical = typicalValues(pk, [2, 30, 1, 0.75, 1], z, new Float64Array(3));
    expect(typical[0]).toBeCloseTo(2 * 1.2 ** 0.75 * Math.exp(-0.3), 14);
    expect(Array.from(typical.slice(1))).toEqual([30, 1]);
    const pdStage = stageModel(s, 'pd', { route: 'oral', compartments: 1, lag: false }, pd, effects);
    const values = individualValues(pdStage, [10, 1, 0.05, 0.9, 1], [0.1], covariateVector(pdStage, { [networkColumn('BASE')]: 0.2 }), {});
    expect(values.BASE).toBeCloseTo(10 * Math.exp(0.2 + 0.1), 12);
  });

  it('refuses to shift a parameter not estimated on the log scale', () => {
    expect(() => networkEffects(['IMAX'], pd)).toThrow(/IMAX is not estimated on the log scale/);
    expect(() => networkEffects(['E0'], { family: 'direct', direction: 'decrease', sigmoid: false })).toThrow(/E0/);
  });
});
