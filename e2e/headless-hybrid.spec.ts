import { readFileSync } from 'node:fs';
import { ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { openRunner, run } from './fixtures/headless-runner';

interface Metrics {
  n: number;
  rmse_z: number;
  rmse: number;
  r2: number;
}
type SetMetrics = { pk: Metrics | null; pd: Metrics | null };

function expectMetrics(m: SetMetrics, what: string): void {
  for (const target of ['pk', 'pd'] as const) {
    const t = m[target];
    expect(t, `${what} ${target}`).not.toBeNull();
    expect(t!.n).toBeGreaterThan(0);
    expect(t!.rmse).toBeGreaterThan(0);
    expect(Number.isFinite(t!.rmse_z)).toBe(true);
  }
}

/** EstData's subjects with IDs from `from` to `to`, as a file of the same layout. */
function estDataSubjects(from: number, to: number): string {
  const [header, ...rows] = ESTDATA_CSV.trim().split('\n');
  return `${[header, ...rows.filter((r) => Number(r.split(',')[0]) >= from && Number(r.split(',')[0]) <= to)].join('\n')}\n`;
}

test('the headless train command fits a hybrid model: the encoder as the covariate model of the mechanistic model', async ({
  appPage: page,
}) => {
  test.setTimeout(120_000);
  await openRunner(page, ['train']);
  const result = await run<{
    config: Record<string, unknown>;
    metrics: { val: SetMetrics; test: SetMetrics };
    hybrid: { shifted: string[]; inputs: string[]; ofv: { without_covariates: number; rounds: number[] }; structure: { pd: string } };
    backend: { name: string };
  }>(page, 'train', { csvText: ESTDATA_CSV, fileName: 'EstData.csv', head: 'mechanistic', encoder: 'mlp', epochs: 30, seed: 1 });
  expect(result.config).toMatchObject({ head: 'mechanistic', encoder: 'mlp', epochs: 30, split: 'reference' });
  expectMetrics(result.metrics.val, 'val');
  expectMetrics(result.metrics.test, 'test');
  expect(result.hybrid.shifted).toEqual(['CL', 'V', 'BASE']);
  expect(result.hybrid.inputs).toEqual(['BW', 'COMED', '@PD0']);
  expect(result.hybrid.structure.pd).toBe('indirect (inhibit-production)');
  expect(result.hybrid.ofv.rounds).toHaveLength(3);
  // The network explains covariate variation the model without covariates cannot.
  expect(result.hybrid.ofv.rounds[2]).toBeLessThan(result.hybrid.ofv.without_covariates - 20);
  expect(result.backend.name).toBe('wasm');
});

test('the headless doses command answers all twelve questions with a hybrid quantum model, weekly included', async ({ appPage: page }) => {
  test.setTimeout(150_000);
  await openRunner(page, ['doses-hybrid']);
  const result = await run<{
    head: string;
    answers: { scenario: string; regimen: string; target: number; dose_mg: number | null; reached: boolean; band_90: unknown }[];
    steady_state: { ok: number; checked: number };
    uncertainty: { made: number };
  }>(page, 'doses-hybrid', {
    csvText: ESTDATA_CSV,
    fileName: 'EstData.csv',
    encoder: 'qnn-resmlp-moe',
    qubits: 2,
    layers: 1,
    epochs: 20,
    nVirtual: 200,
    seed: 2,
  });
  expect(result.head).toBe('mechanistic');
  expect(result.answers).toHaveLength(12);
  for (const a of result.answers) {
    expect(a.reached, `${a.scenario} ${a.target} ${a.regimen}`).toBe(true);
    expect(a.dose_mg).not.toBeNull();
  }
  const weekly = result.answers.filter((a) => a.regimen === 'weekly');
  expect(weekly).toHaveLength(6);
  expect(result.steady_state.ok).toBe(result.steady_state.checked);
  expect(result.uncertainty.made).toBeGreaterThan(0);
});

test('the headless evaluate command applies a model to another file of the same layout', async ({ appPage: page }) => {
  test.setTimeout(120_000);
  await openRunner(page, ['evaluate']);
  const external = { csvText: estDataSubjects(25, 48), fileName: 'other.csv' };
  // The files are parts of EstData, not EstData itself: its preset spec is given (covariates BW and COMED).
  const spec = { specText: readFileSync('public/demo/EstData.study.json', 'utf8'), specName: 'EstData.study.json' };
  for (const args of [
    { model: 'mechanistic' },
    { model: 'mlp', head: 'mechanistic', epochs: 20 },
    { model: 'mlp', head: 'direct', mode: 'independent', epochs: 3 },
  ]) {
    const result = await run<{
      model: string;
      head: string | null;
      metrics: { val: SetMetrics; test: SetMetrics };
      external: { csv: string; subjects: number; metrics: SetMetrics };
    }>(page, 'evaluate', { csvText: estDataSubjects(1, 24), fileName: 'first.csv', ...spec, external, ...args });
    expect(result.model).toBe(args.model);
    expect(result.external.csv).toBe('other.csv');
    expect(result.external.subjects).toBe(24);
    expectMetrics(result.external.metrics, `${args.model} ${args.head ?? ''} external`);
  }
});

test('the headless ude command (experimental) fits the mechanistic model with a network in its response and checks periodicity', async ({
  appPage: page,
}) => {
  test.setTimeout(120_000);
  await openRunner(page, ['ude']);
  const spec = { specText: readFileSync('public/demo/EstData.study.json', 'utf8'), specName: 'EstData.study.json' };
  const result = await run<{
    experimental: boolean;
    pd_rmse: { mechanistic: number; ude: number; subjects: string[]; observations: number };
    periodicity: { intervals: number; relative_difference: number; converged: boolean };
    training: { epochs_run: number };
  }>(page, 'ude', { csvText: estDataSubjects(1, 24), fileName: 'first.csv', ...spec, epochs: 3 });
  expect(result.experimental).toBe(true);
  expect(result.pd_rmse.subjects.length).toBeGreaterThan(0);
  expect(result.pd_rmse.observations).toBeGreaterThan(0);
  for (const rmse of [result.pd_rmse.mechanistic, result.pd_rmse.ude]) expect(rmse).toBeGreaterThan(0);
  expect(result.training.epochs_run).toBeLessThanOrEqual(3);
  expect(result.periodicity.intervals).toBeGreaterThan(1);
  expect(Number.isFinite(result.periodicity.relative_difference)).toBe(true);
});
