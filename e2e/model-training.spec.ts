import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { dropFile, ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { fillTinyTraining } from './fixtures/tiny-training';

async function openModelTab(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Model' }).click();
  await expect(page.locator('qp-training-form')).toBeVisible();
}

async function startTiny(page: Page, epochs: number, patience = 30): Promise<void> {
  await fillTinyTraining(page, { epochs, patience, mcSamples: 5 });
  await page.locator('qp-training-form').getByRole('button', { name: 'Train' }).click();
}

const savedNames = (page: Page): Promise<string[]> =>
  page.locator('[data-testid=saved-model]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));

const firstPredictions = (results: Locator): Promise<string | null> =>
  results.getByTestId('predictions').getAttribute('data-first-predictions');

test('train a tiny model, see its results, save it, find it after a reload with the same predictions, export and import it, evaluate the test subjects once', async ({
  appPage: page,
}) => {
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await openModelTab(page);

  await startTiny(page, 3);
  await expect(page.getByTestId('model-notice')).toContainText('Training finished');
  const results = page.getByTestId('model-results');
  const metrics = results.getByTestId('metrics-table');
  await expect(metrics.locator('tr[data-target=pk][data-set=validation]')).toBeVisible();
  await expect(metrics.locator('tr[data-target=pd][data-set=validation] td[data-metric=rmse]')).toHaveText(/^\d/);
  await expect(results.getByTestId('epochs-table')).toContainText('PD network');
  await expect(results.getByTestId('model-facts')).toContainText('QNN-ResMLP-MoE');
  for (const plot of ['qp-training-curve-plot', 'qp-expert-usage-plot'])
    await expect(results.locator(`${plot} svg`).first(), plot).toBeVisible();
  for (const target of ['pk', 'pd']) {
    const section = results.locator(`section[data-target=${target}]`);
    for (const plot of ['qp-pred-vs-obs-plot', 'qp-residual-plot', 'qp-subject-fit-plot']) {
      await expect(section.locator(`${plot} svg`).first(), `${target} ${plot}`).toBeVisible();
    }
  }
  const metricsText = await metrics.innerText();
  const predictions = await firstPredictions(results);
  expect(predictions?.split(' ').length).toBe(6);

  await results.getByLabel('Model name').fill('Tiny QNN');
  await results.getByTestId('save-model').click();
  await expect(results.getByTestId('saved-as')).toContainText('Tiny QNN');
  await expect.poll(() => savedNames(page)).toEqual(['Tiny QNN']);

  await page.reload();
  await page.getByRole('button', { name: 'EstData', exact: true }).click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await openModelTab(page);
  await expect.poll(() => savedNames(page)).toEqual(['Tiny QNN']);
  await page.getByRole('button', { name: 'Open Tiny QNN' }).click();
  await expect(results.getByTestId('saved-as')).toContainText('Tiny QNN');
  await expect(results.getByTestId('predictions')).toHaveAttribute('data-first-predictions', predictions ?? '');
  expect(await metrics.innerText()).toBe(metricsText);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Tiny QNN' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Tiny QNN.qpkpd-model.json');
  const text = readFileSync(await file.path(), 'utf8');
  const importer = page.getByTestId('import-model');
  await importer.setInputFiles({ name: file.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect.poll(() => savedNames(page)).toEqual(['Tiny QNN', 'Tiny QNN (2)']);
  await expect(page.getByTestId('model-notice')).toContainText('Imported “Tiny QNN (2)”');

  await importer.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') });
  await expect(page.getByTestId('model-notice')).toContainText('notes.json was not imported: This is not a QPKPD Studio model file');
  await expect(page.getByTestId('model-notice')).toContainText('Nothing was changed');
  expect(await savedNames(page)).toEqual(['Tiny QNN', 'Tiny QNN (2)']);

  await results.getByTestId('final-test').click();
  await expect(results.getByRole('alertdialog')).toContainText('once per model');
  await results.getByTestId('confirm-final-test').click();
  await expect(metrics.locator('tr[data-target=pd][data-set=test]')).toContainText('final');
  await expect(results.getByTestId('final-test')).toBeDisabled();
  await expect(results.getByTestId('test-done')).toContainText('19, 32, 48');
  await expect(results.getByTestId('predictions')).toHaveAttribute('data-subject-set', 'test');
  await expect(page.locator('[data-testid=saved-model][data-name="Tiny QNN"] [data-metric=test-pd-rmse]')).toHaveText(/ng\/mL/);
});

test('a long run shows live progress and Cancel returns to the form with a clear message', async ({ appPage: page }) => {
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await openModelTab(page);

  await startTiny(page, 5000, 5000);
  const progress = page.getByTestId('training-progress');
  await expect(progress.getByTestId('training-epoch')).toHaveText(/^([3-9]|\d{2,}) \/ 5000$/);
  await expect(progress.getByRole('progressbar', { name: 'Training progress' })).toBeVisible();
  await expect(progress.getByTestId('training-status')).toContainText('Training the PK network (1 of 2)');
  await expect(progress.locator('qp-training-curve-plot svg').first()).toBeVisible();
  await expect(page.locator('qp-training-form').getByRole('button', { name: 'Train' })).toBeDisabled();

  await progress.getByTestId('cancel-training').focus();
  await page.keyboard.press('Escape');
  await expect(progress).toBeHidden();
  await expect(page.getByTestId('model-notice')).toContainText('Training was cancelled: the model keeps the PK network');
  await expect(page.getByTestId('model-notice')).toContainText('predicts PK only');
  await expect(page.locator('qp-training-form').getByRole('button', { name: 'Train' })).toBeEnabled();
  await expect(page.getByTestId('model-results').getByTestId('epochs-table')).toContainText('cancelled');
});
