import { ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { openRunner, run } from './fixtures/headless-runner';

interface Metrics {
  n: number;
  rmse_z: number;
  mae_z: number;
  r2_z: number;
  rmse: number;
  mae: number;
  r2: number;
}

interface TrainResult {
  config: Record<string, unknown>;
  metrics: { val: { pk: Metrics | null; pd: Metrics | null }; test: { pk: Metrics | null; pd: Metrics | null } };
  seconds: number;
  backend: { name: string; adapter: string; reason: string };
}

function expectFiniteMetrics(result: TrainResult): void {
  for (const set of ['val', 'test'] as const) {
    for (const target of ['pk', 'pd'] as const) {
      const m = result.metrics[set][target];
      expect(m, `${set} ${target}`).not.toBeNull();
      for (const key of ['rmse_z', 'rmse', 'mae', 'r2'] as const) {
        expect(Number.isFinite(m?.[key]), `${set} ${target} ${key} = ${m?.[key]}`).toBe(true);
      }
      expect(m?.rmse ?? -1).toBeGreaterThan(0);
      expect(m?.n ?? 0).toBeGreaterThan(0);
    }
  }
}

test('the headless train command trains a classical model and reports validation and test metrics', async ({ appPage: page }) => {
  test.setTimeout(90_000);
  await openRunner(page, ['train']);
  const result = await run<TrainResult>(page, 'train', {
    csvText: ESTDATA_CSV,
    fileName: 'EstData.csv',
    encoder: 'mlp',
    mode: 'independent',
    epochs: 3,
    seed: 1,
    backend: 'auto',
  });
  expect(result.config).toMatchObject({
    csv: 'EstData.csv',
    encoder: 'mlp',
    mode: 'independent',
    epochs: 3,
    seed: 1,
    split: 'reference',
    qubits: 8,
    layers: 3,
  });
  expect(Object.keys(result).sort()).toEqual(expect.arrayContaining(['backend', 'config', 'metrics', 'seconds']));
  expectFiniteMetrics(result);
  expect(result.seconds).toBeGreaterThan(0);
  expect(result.backend.name).toBe('wasm');
  expect(result.backend.reason.length).toBeGreaterThan(0);
});

test('the headless train command trains a small quantum cascade model', async ({ appPage: page }) => {
  test.setTimeout(90_000);
  await openRunner(page, ['train']);
  const result = await run<TrainResult>(page, 'train', {
    csvText: ESTDATA_CSV,
    fileName: 'EstData.csv',
    encoder: 'qnn-mlp',
    mode: 'cascade',
    qubits: 2,
    layers: 1,
    epochs: 2,
    backend: 'cpu',
  });
  expect(result.config).toMatchObject({ encoder: 'qnn-mlp', mode: 'cascade', qubits: 2, layers: 1, epochs: 2, seed: 0, backend: 'cpu' });
  expectFiniteMetrics(result);
  expect(result.backend.name).toBe('cpu');
});

test('the headless train command rejects an unknown encoder and lists the valid ones', async ({ appPage: page }) => {
  await openRunner(page, ['train']);
  const error = await page.evaluate(
    (csvText) =>
      window.qpkpdHeadless.run('train', { csvText, fileName: 'EstData.csv', encoder: 'transformer' }).then(
        () => 'accepted',
        (e: Error) => e.message,
      ),
    ESTDATA_CSV,
  );
  expect(error).toContain('unknown encoder "transformer"');
  expect(error).toContain('qnn-resmlp-moe');
  const badQubits = await page.evaluate(
    (csvText) =>
      window.qpkpdHeadless.run('train', { csvText, fileName: 'EstData.csv', qubits: 12 }).then(
        () => 'accepted',
        (e: Error) => e.message,
      ),
    ESTDATA_CSV,
  );
  expect(badQubits).toContain('qubits must be an integer from 1 to 9');
});
