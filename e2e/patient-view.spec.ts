import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { dropFile, ESTDATA_CSV, expect, test } from './fixtures/app-test';

const PATIENT = readFileSync(new URL('../test-data/patients/example.patient.json', import.meta.url), 'utf8');

async function openPatientTab(page: Page): Promise<Locator> {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Patient' }).click();
  const view = page.locator('qp-patient-view');
  await expect(view.getByTestId('patient-privacy')).toContainText('not saved');
  await view.getByRole('button', { name: 'Use this model' }).click();
  await expect(view.getByTestId('patient-model-name')).toContainText('a published model');
  return view;
}

/** Types into a field with the keyboard (focus, clear, key presses). */
async function type(field: Locator, text: string): Promise<void> {
  await field.focus();
  await field.press('ControlOrMeta+a');
  await field.press('Backspace');
  await field.pressSequentially(text);
}

const probabilityOf = async (locator: Locator): Promise<number> => Number(await locator.textContent());

test('a patient entered by keyboard gets a dose, a plot and a what-if; the example file gets 3.5 mg q24h; an invalid entry shows its message', async ({
  appPage: page,
}) => {
  const view = await openPatientTab(page);

  await type(view.locator('#p-cov-BW'), '82');
  await type(view.locator('#p-cov-COMED'), '1');
  await type(view.locator('#p-dose0-amount'), '5');
  await type(view.locator('#p-dose0-every'), '24');
  await type(view.locator('#p-dose0-count'), '14');
  await type(view.locator('#p-level0-time'), '330');
  await type(view.locator('#p-level0-value'), '4.1');

  await expect(view.getByTestId('recommended-dose')).toContainText('every 24 h');
  await expect(view.getByTestId('patient-plot').locator('svg').first()).toBeVisible();
  await expect(view.getByTestId('patient-parameters')).toContainText('CL');

  await type(view.locator('#p-whatif'), '1');
  const low = await probabilityOf(view.getByTestId('whatif-probability'));
  await type(view.locator('#p-whatif'), '8');
  await expect(view.getByTestId('whatif-probability')).not.toHaveText(low.toFixed(2));
  expect(await probabilityOf(view.getByTestId('whatif-probability'))).toBeGreaterThan(low);

  await view
    .getByTestId('patient-file')
    .setInputFiles({ name: 'example.patient.json', mimeType: 'application/json', buffer: Buffer.from(PATIENT) });
  await expect(view.getByTestId('recommended-dose')).toContainText('3.5 mg every 24 h');
  const p = await probabilityOf(view.getByTestId('recommended-probability'));
  expect(p).toBeGreaterThanOrEqual(0.9);
  expect(p).toBeLessThanOrEqual(1);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  if (process.env.PATIENT_SHOT) await page.screenshot({ path: process.env.PATIENT_SHOT, fullPage: true });

  // Another tab and back: the entry is still there (in memory only).
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('tab', { name: 'Patient' }).click();
  await expect(view.getByTestId('recommended-dose')).toContainText('3.5 mg every 24 h');

  await type(view.locator('#p-dose0-amount'), '-5');
  await expect(view.getByTestId('p-dose0-amount-problem')).toContainText('> 0');
  await expect(view.locator('#p-dose0-amount')).toHaveAttribute('aria-invalid', 'true');
  await expect(view.getByTestId('patient-result')).toHaveCount(0);
});

test('a model file without fixed values is refused with its message', async ({ appPage: page }) => {
  const view = await openPatientTab(page);
  await view
    .getByTestId('patient-model-file')
    .setInputFiles({ name: 'broken.study.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "qpkpd-study"') });
  await expect(view.getByTestId('patient-message')).toContainText('broken.study.json is not a usable population model');

  // By hand: the editor starts from the model in use; a model without KOUT is refused, one with half the CL is used.
  await view.getByText('Enter or edit a model by hand').click();
  const editor = view.locator('#p-model-text');
  // The editor is filled when the details element's toggle event comes (after the click returns).
  await expect(editor).toHaveValue(/"CL": 38/);
  const text = await editor.inputValue();
  await editor.fill(text.replace('"KOUT": 0.015', '"KOUTX": 0.015'));
  await view.getByTestId('patient-model-text-use').click();
  await expect(view.getByTestId('patient-message')).toContainText('the model entered by hand is not a usable population model');
  await editor.fill(text.replace('"CL": 38', '"CL": 19'));
  await view.getByTestId('patient-model-text-use').click();
  await expect(view.getByTestId('patient-model-name')).toContainText('entered by hand');
  await view
    .getByTestId('patient-file')
    .setInputFiles({ name: 'example.patient.json', mimeType: 'application/json', buffer: Buffer.from(PATIENT) });
  await expect(view.getByTestId('recommended-dose')).toContainText('mg every 24 h');
  await expect(view.getByTestId('recommended-dose')).not.toContainText('3.5 mg');
});

test('a library model (phenobarbital, IV) takes its own covariates, infusions and a below-LOQ level', async ({ appPage: page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Patient' }).click();
  const view = page.locator('qp-patient-view');
  await view.getByTestId('patient-library').selectOption('library:phenobarbital-grasela1985');
  await view.getByRole('button', { name: 'Use this model' }).click();
  await expect(view.getByTestId('patient-model-name')).toContainText('Phenobarbital in neonates');
  await expect(view.getByTestId('patient-model-name')).toContainText('Grasela');
  await expect(view.locator('#p-cov-BW')).toHaveCount(0);
  await expect(view.locator('#p-level0-endpoint option')).toHaveText(['concentration']);

  await type(view.locator('#p-cov-WT'), '1.4');
  await type(view.locator('#p-cov-APGRLT5'), '0');
  await type(view.locator('#p-dose0-amount'), '25');
  await type(view.locator('#p-dose0-duration'), '0.5');
  await view.getByRole('button', { name: 'Add a dose' }).click();
  await type(view.locator('#p-dose1-time'), '12');
  await type(view.locator('#p-dose1-amount'), '3.5');
  await type(view.locator('#p-dose1-every'), '12');
  await type(view.locator('#p-dose1-count'), '9');
  await type(view.locator('#p-level0-time'), '112.5');
  await type(view.locator('#p-level0-value'), '31');
  await type(view.locator('#p-interval'), '12');
  await expect(view.getByTestId('recommended-dose')).toContainText('mg every 12 h (iv)');
  const before = await view.getByTestId('patient-parameters').textContent();

  // A second level, below the LOQ of 5 µg/mL at 2 h after the loading dose: impossible for this
  // patient's levels, so the estimate moves (and the result stays).
  await view.getByRole('button', { name: 'Add a level' }).click();
  await type(view.locator('#p-level1-time'), '2');
  await type(view.locator('#p-level1-value'), '5');
  await view.locator('#p-level1-blq').check();
  await expect(view.getByTestId('patient-parameters')).not.toHaveText(before ?? '');
  await expect(view.getByTestId('recommended-dose')).toContainText('every 12 h (iv)');

  // A weight far outside the model's data (0.6–3.6 kg): warned at the field, the result still shown.
  await type(view.locator('#p-cov-WT'), '9');
  await expect(view.getByTestId('p-cov-WT-warning')).toContainText('far outside');
  await expect(view.getByTestId('recommended-dose')).toContainText('every 12 h (iv)');
  // Two more intervals to consider: a table of the three, one recommended.
  await type(view.locator('#p-intervals'), '8, 24');
  await expect(view.getByTestId('interval-options').locator('tbody tr')).toHaveCount(3);
  await expect(view.getByTestId('interval-options')).toContainText('(recommended)');
  if (process.env.PATIENT_SHOT) await page.screenshot({ path: process.env.PATIENT_SHOT, fullPage: true });
});

test('the population model fitted in the Doses tab individualises a patient', async ({ appPage: page }) => {
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await page.getByRole('tab', { name: 'Doses' }).click();
  const form = page.locator('qp-dose-form');
  for (const [label, value] of Object.entries({
    'Virtual subjects (N)': '100',
    'Uncertainty replicates (0 = no bands)': '0',
    'VPC replicates (0 = no VPC)': '0',
  }))
    await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in', { timeout: 60_000 });
  // The fit for other tools: NONMEM, nlmixr2, mrgsolve, each with its data file.
  const exports = page.getByTestId('mechanistic-fit').getByTestId('model-exports');
  await expect(exports.locator('li')).toHaveCount(3);
  const control = page.waitForEvent('download');
  await exports
    .locator('li[data-format=nonmem]')
    .getByRole('button', { name: /\.ctl$/ })
    .click();
  const stream = readFileSync(await (await control).path(), 'utf8');
  expect(stream).toContain('$EST METHOD=COND INTER');
  expect(stream).toContain('$THETA');
  const estimates = page.waitForEvent('download');
  await page.getByTestId('mechanistic-fit').getByTestId('download-estimates').click();
  const table = readFileSync(await (await estimates).path(), 'utf8').split('\r\n');
  expect(table[0]).toBe('kind,stage,name,value,unit,rse,ci_low,ci_high,shrinkage,fixed');
  expect(table.some((line) => line.startsWith('theta,pk,CL,'))).toBe(true);

  await page.getByRole('tab', { name: 'Patient' }).click();
  const view = page.locator('qp-patient-view');
  await view.getByTestId('patient-library').selectOption('fitted');
  await view.getByRole('button', { name: 'Use this model' }).click();
  await expect(view.getByTestId('patient-model-name')).toContainText('FOCE-I fit in the Doses tab to EstData');
  // The fitted model as a file: fixed values, read back by the reader as a usable patient model.
  const download = page.waitForEvent('download');
  await view.getByTestId('patient-model-download').click();
  const file = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as {
    format: string;
    model: { parameters: Record<string, number>; covariateRanges: Record<string, number[]> };
  };
  expect(file.format).toBe('qpkpd-study');
  expect(file.model.parameters.CL).toBeGreaterThan(0);
  expect(file.model.covariateRanges.BW).toHaveLength(2);
  await view
    .getByTestId('patient-file')
    .setInputFiles({ name: 'example.patient.json', mimeType: 'application/json', buffer: Buffer.from(PATIENT) });
  await expect(view.getByTestId('recommended-dose')).toContainText('mg every 24 h (oral)');
  // The fitted model states its data's covariate range: BW 82 is inside it, so no warning.
  await expect(view.getByTestId('p-cov-BW-warning')).toHaveCount(0);
  await type(view.locator('#p-cov-BW'), '300');
  await expect(view.getByTestId('p-cov-BW-warning')).toContainText('outside the model');
});
