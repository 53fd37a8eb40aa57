import type { Page, Worker } from '@playwright/test';
import { ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { openRunner, run } from './fixtures/headless-runner';

const FILE = { csvText: ESTDATA_CSV, fileName: 'EstData.csv' };
const TINY = { mode: 'independent', epochs: 2, hidden: 8, depth: 1 };

interface Rmse {
  rmseZ: number;
  rmse: number;
}

interface AblationOutput {
  config: Record<string, unknown>;
  cells: {
    qubits: number;
    layers: number;
    valPdRmseZ: number;
    valPkRmseZ: number;
    valPdRmse: number;
    parameters: Record<string, number>;
    epochs: number;
    seconds: number;
  }[];
  cancelled: boolean;
  backend: { name: string; reason: string };
  seconds: number;
}

interface ClaimsOutput {
  config: Record<string, unknown>;
  rows: {
    label: string;
    quantumBlocks: string;
    parameters: Record<string, number>;
    epochsToControlBest: number | null;
    inferenceMicroseconds: number;
    validation: Record<string, Rmse>;
    test: Record<string, Rmse>;
  }[];
  verdicts: { encoder: string; claim: string; holds: boolean | null; text: string }[];
  cancelled: boolean;
  backend: { name: string };
  seconds: number;
}

const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

test('the headless ablation command trains the qubits × layers grid and reports validation metrics', async ({ appPage: page }) => {
  test.setTimeout(60_000);
  await openRunner(page, ['ablation']);
  const out = await run<AblationOutput>(page, 'ablation', {
    ...FILE,
    ...TINY,
    encoder: 'qnn-mlp',
    qubits: [2],
    layers: [1, 2],
    split: 'cv5:2',
  });
  expect(out.config).toMatchObject({ encoder: 'qnn-mlp', mode: 'independent', qubits: [2], layers: [1, 2], split: 'cv5:2' });
  expect(out.cancelled).toBe(false);
  expect(out.cells.map((c) => [c.qubits, c.layers])).toEqual([
    [2, 1],
    [2, 2],
  ]);
  for (const c of out.cells) {
    for (const v of [c.valPdRmseZ, c.valPkRmseZ, c.valPdRmse, c.seconds]) expect(finite(v) && v > 0).toBe(true);
    expect(c.parameters.quantum).toBe(2 * 3 * c.qubits * c.layers);
    expect(c.epochs).toBe(2);
  }
  expect(out.backend.name).toBe('wasm');
  expect(out.seconds).toBeGreaterThan(0);
});

test('the headless claims command puts a quantum model beside its control, with verdicts', async ({ appPage: page }) => {
  test.setTimeout(60_000);
  await openRunner(page, ['claims']);
  const out = await run<ClaimsOutput>(page, 'claims', { ...FILE, ...TINY, encoders: ['qnn-mlp'], qubits: 2, layers: 1 });
  expect(out.config).toMatchObject({ encoders: ['qnn-mlp'], qubits: 2, layers: 1, split: 'reference' });
  expect(out.rows.map((r) => [r.label, r.quantumBlocks])).toEqual([
    ['QNN-MLP', 'circuit'],
    ['QNN-MLP control', 'width-matched-control'],
  ]);
  const [quantum, control] = out.rows;
  expect(control.parameters.quantum).toBe(0);
  expect(control.parameters.total - quantum.parameters.total).toBe(48 - 12);
  for (const r of out.rows) {
    expect(finite(r.inferenceMicroseconds)).toBe(true);
    for (const set of [r.validation, r.test])
      for (const target of ['pk', 'pd']) expect(finite(set[target].rmseZ) && finite(set[target].rmse)).toBe(true);
  }
  expect(out.verdicts.map((v) => v.claim)).toEqual(['fewer-parameters', 'faster-convergence', 'faster-inference', 'better-generalisation']);
  expect(out.verdicts.every((v) => v.text.length > 20)).toBe(true);
});

test('the headless experiment commands name a wrong encoder or split', async ({ appPage: page }) => {
  await openRunner(page, ['ablation', 'claims']);
  const failure = (command: string, args: object): Promise<string> =>
    page.evaluate(
      ({ command, args }) =>
        window.qpkpdHeadless.run(command, args).then(
          () => 'accepted',
          (e: Error) => e.message,
        ),
      { command, args: { ...FILE, ...args } },
    );
  expect(await failure('ablation', { encoder: 'resmlp-moe' })).toContain('not a quantum encoder');
  expect(await failure('claims', { split: 'cv5:9' })).toContain('unknown split "cv5:9"');
});

async function mountPanels(page: Page): Promise<void> {
  await openRunner(page, ['mount-experiment-panels']);
  await run(page, 'mount-experiment-panels', FILE);
}

async function chooseTinyGrid(page: Page): Promise<void> {
  const panel = page.locator('qp-ablation-panel');
  await panel.getByLabel('Encoder').selectOption('qnn-mlp');
  // (by its control: the output head's options name a "model", which a label search for "Mode" also finds)
  await panel.locator('select[data-control="mode"]').selectOption('independent');
  for (const n of ['4', '8']) await panel.locator('fieldset[data-control="qubits"]').getByLabel(n, { exact: true }).uncheck();
  await panel.locator('fieldset[data-control="layers"]').getByLabel('3', { exact: true }).uncheck();
  await panel.getByText('Advanced: network size').click();
  await panel.getByLabel('Hidden width').fill('8');
  await panel.getByLabel('Depth (blocks)').fill('1');
}

test('the ablation panel runs a tiny grid in a worker and draws the heatmap with a label per cell', async ({ appPage: page }) => {
  test.setTimeout(60_000);
  await mountPanels(page);
  const panel = page.locator('qp-ablation-panel');
  await chooseTinyGrid(page);
  await panel.getByLabel('Max epochs').fill('2');
  await expect(panel.getByText('2 models to train')).toBeVisible();
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(panel.getByTestId('experiment-progress').getByRole('status')).toContainText(/Model \d of 2/);
  await expect(panel.getByRole('status').filter({ hasText: 'Finished: 2 models' })).toBeVisible({ timeout: 45_000 });

  const heatmap = panel.locator('qp-heatmap-plot');
  await expect(heatmap.locator('svg g[aria-label="cell"]:not([aria-hidden]) rect')).toHaveCount(2);
  const labels = await heatmap.locator('svg g[aria-label="text"] text').allTextContents();
  expect(labels).toHaveLength(2);
  for (const label of labels) expect(Number(label)).toBeGreaterThan(0);
  await expect(heatmap.locator('svg[aria-label*="lower is better"]').first()).toBeAttached();
  const rows = panel.getByTestId('ablation-cells').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first().locator('th')).toHaveText('2 × 1');
});

test('the ablation panel runs a cell with the mechanistic head: a hybrid model, no mode, the head named', async ({ appPage: page }) => {
  test.setTimeout(60_000);
  await mountPanels(page);
  const panel = page.locator('qp-ablation-panel');
  await chooseTinyGrid(page);
  await panel.locator('fieldset[data-control="layers"]').getByLabel('2', { exact: true }).uncheck();
  await panel.getByLabel('Output head').selectOption('mechanistic');
  await expect(panel.locator('select[data-control="mode"]')).toBeDisabled();
  await panel.getByLabel('Max epochs').fill('2');
  await expect(panel.getByText('1 model to train, each a hybrid model')).toBeVisible();
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Finished: 1 model' })).toBeVisible({ timeout: 45_000 });
  await expect(panel.getByTestId('experiment-head')).toContainText('Mechanistic: covariate model of the population model (hybrid)');
  const row = panel.getByTestId('ablation-cells').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.locator('th')).toHaveText('2 × 1');
  // validation PD RMSE (z) and in ng/mL: numbers
  for (const cell of [1, 2])
    expect(
      Number(
        await row
          .locator('td')
          .nth(cell - 1)
          .textContent(),
      ),
    ).toBeGreaterThan(0);
});

test('the ablation can be cancelled; the claims panel warns about the test subjects before a run', async ({ appPage: page }) => {
  test.setTimeout(60_000);
  await mountPanels(page);
  const panel = page.locator('qp-ablation-panel');
  await chooseTinyGrid(page);
  await panel.getByLabel('Max epochs').fill('500');
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(panel.getByTestId('experiment-progress').getByRole('status')).toContainText('epoch', { timeout: 20_000 });
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel.getByRole('status').filter({ hasText: /^\s*Cancelled: \d models? finished/ })).toBeVisible({ timeout: 20_000 });
  await expect(panel.getByRole('button', { name: 'Run' })).toBeEnabled();
  await expect(panel.getByTestId('experiment-progress')).toHaveCount(0);

  const claims = page.locator('qp-claims-panel');
  await expect(claims.getByTestId('test-subjects-note')).toContainText('IDs 19, 32, 48');
  await expect(claims.getByTestId('test-subjects-note')).toContainText('6 models');
  await claims.getByLabel('QNN-MLP').uncheck();
  await expect(claims.getByTestId('test-subjects-note')).toContainText('4 models');
  await claims.getByLabel('Split').selectOption('cv5-fold1');
  await expect(claims.getByTestId('test-subjects-note')).not.toContainText('IDs 19, 32, 48');
});

test('an ablation whose worker crashes shows why, with Retry, which runs the same grid to the end', async ({ appPage: page }) => {
  test.setTimeout(90_000);
  await mountPanels(page);
  const panel = page.locator('qp-ablation-panel');
  await chooseTinyGrid(page);
  await panel.getByLabel('Max epochs').fill('6');
  const experimentsWorker = page.waitForEvent('worker', (w: Worker) => w.url().includes('experiments'));
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(panel.getByTestId('experiment-progress').getByRole('status')).toContainText('epoch', { timeout: 20_000 });
  // A real uncaught exception in the real worker (Playwright evaluates there; no test hook in the app).
  await (
    await experimentsWorker
  ).evaluate(() => {
    setTimeout(() => {
      throw new Error('Deliberate crash from the experiments test');
    });
  });

  const notice = panel.getByTestId('ablation-notice');
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText(
    'The ablation failed: The experiment stopped unexpectedly (Uncaught Error: Deliberate crash from the experiments test).',
  );
  await expect(panel.getByTestId('experiment-progress')).toHaveCount(0);
  // No GPU here ('auto' is the WebAssembly path), so no "Retry on CPU (WebAssembly)".
  await expect(panel.getByRole('button', { name: 'Retry on CPU (WebAssembly)' })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Finished: 2 models' })).toBeVisible({ timeout: 60_000 });
  await expect(notice).toHaveCount(0);
});
