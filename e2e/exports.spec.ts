import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { expect, test } from './fixtures/app-test';
import { trainTiny } from './fixtures/tiny-training';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ file: Download; bytes: Buffer }> {
  const download = page.waitForEvent('download');
  await click();
  const file = await download;
  return { file, bytes: readFileSync(await file.path()) };
}

/** A tiny model on the Model tab (2 qubits × 1 layer, hidden 8, depth 1, batch 512, 3 epochs). */
test('an explorer plot downloads as a standalone SVG with its marks and as a 2× PNG', async ({ appPage: page }) => {
  await page.goto('/#demo');
  const figure = page.locator('figure[data-plot="pk-time"]');
  await expect(figure.locator('svg').first()).toBeVisible();
  const caption = 'PK: Drug concentration over time';

  const svg = await downloaded(page, () => figure.getByRole('button', { name: `Download ${caption} as SVG` }).click());
  expect(svg.file.suggestedFilename()).toBe('pk-drug-concentration-over-time.svg');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      namespace: root.namespaceURI,
      width: Number(root.getAttribute('width')),
      lines: doc.querySelectorAll('[aria-label="line"] path').length,
      dots: doc.querySelectorAll('[aria-label="dot"] circle').length,
      text: root.textContent ?? '',
    };
  }, svg.bytes.toString('utf8'));
  expect(parsed.error).toBeNull();
  expect(parsed.namespace).toBe('http://www.w3.org/2000/svg');
  // Mean PK curves per dosed group (DOSE 1, 3, 10), with their dots, the axis label in the preset's units and the legend.
  expect(parsed.lines).toBeGreaterThanOrEqual(3);
  expect(parsed.dots).toBeGreaterThan(10);
  expect(parsed.text).toContain('Drug concentration (ng/mL)');
  expect(parsed.text).toContain('DOSE 10');

  const png = await downloaded(page, () => figure.getByRole('button', { name: `Download ${caption} as PNG` }).click());
  expect(png.file.suggestedFilename()).toBe('pk-drug-concentration-over-time.png');
  expect(png.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.bytes.readUInt32BE(16)).toBe(2 * parsed.width);
  expect(png.bytes.length).toBeGreaterThan(10_000);
});

test('after training, the predictions download as CSV (a row per observation) and the run prints as a report', async ({
  appPage: page,
}) => {
  await page.goto('/#demo');
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await page.getByRole('tab', { name: 'Model' }).click();
  await trainTiny(page);
  const metrics = page.getByTestId('metrics-table');
  const n = async (target: string): Promise<number> =>
    Number(await metrics.locator(`tr[data-target=${target}][data-set=validation] td`).nth(1).innerText());
  const observations = (await n('pk')) + (await n('pd'));
  expect(observations).toBeGreaterThan(0);

  const csv = await downloaded(page, () =>
    page.getByRole('button', { name: 'Download the PK and PD predictions of the validation subjects (CSV)' }).click(),
  );
  expect(csv.file.suggestedFilename()).toBe('predictions-validation-pk-pd.csv');
  const lines = csv.bytes.toString('utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe('subject,time_h,observed,predicted,sd,residual,target,unit');
  expect(lines.length - 1).toBe(observations);
  expect(lines[1]).toMatch(/^[^,]+,[\d.]+,[-\d.e]+,[-\d.e]+,[-\d.e]*,[-\d.e]+,pk,ng\/mL$/);

  const popup = page.waitForEvent('popup');
  await page.getByTestId('print-report').click();
  const report = await popup;
  await report.waitForLoadState();
  await expect(report.locator('h1')).toContainText('QPKPD Studio model report');
  await expect(report.locator('h2')).toHaveText(['Data', 'Model', 'Metrics', 'Plots']);
  await expect(report.locator('dd').first()).toHaveText('EstData');
  await expect(report.locator('table').nth(1)).toContainText('Validation');
  expect(await report.locator('figure > svg').count()).toBeGreaterThanOrEqual(6);
});

test('after a dose run, the answers download as CSV (a row per question and model) and the run prints as a report', async ({
  appPage: page,
}) => {
  await page.goto('/#demo');
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await page.getByRole('tab', { name: 'Doses' }).click();
  const form = page.locator('qp-dose-form');
  const small = [
    ['Virtual subjects (N)', '100'],
    ['Uncertainty replicates (0 = no bands)', '0'],
    ['VPC replicates (0 = no VPC)', '0'],
  ];
  for (const [label, value] of small) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in', { timeout: 60_000 });

  const csv = await downloaded(page, () => page.getByRole('button', { name: 'Download the dose answers table (CSV)' }).click());
  const lines = csv.bytes.toString('utf8').trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^scenario,target_pct,regimen,model,model_kind,dose_mg,/);
  expect(lines).toHaveLength(1 + 12);
  expect(lines[1]).toMatch(/^base,90,daily,"Population model \(oral 2-compartment, indirect \(inhibit-production\)\)",mechanistic,[\d.]+,/);

  const popup = page.waitForEvent('popup');
  await page.getByTestId('print-report').click();
  const report = await popup;
  await report.waitForLoadState();
  await expect(report.locator('h2')).toHaveText(['Data', 'Dose questions', 'Answers', /^Population model \(oral 2-compartment/, 'Plots']);
  await expect(report.locator('table').first().locator('tbody tr')).toHaveCount(12);
  // The fit: estimates with RSE and 95 % interval, Ω with shrinkage, the residual error.
  await expect(report.locator('table', { hasText: 'PK estimates' })).toContainText('CL');
  await expect(report.locator('table', { hasText: 'between-subject variability' }).first()).toContainText('%');
  await expect(report.locator('table', { hasText: 'Residual error' })).toBeVisible();
  expect(await report.locator('figure > svg').count()).toBeGreaterThanOrEqual(2);
});
