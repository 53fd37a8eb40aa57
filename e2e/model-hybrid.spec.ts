import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { dropFile, ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { fillTinyTraining } from './fixtures/tiny-training';

/** EstData's subjects with IDs from `from` to `to`, as a file of the same layout. */
function estDataSubjects(from: number, to: number): string {
  const [header, ...rows] = ESTDATA_CSV.trim().split('\n');
  return `${[header, ...rows.filter((r) => Number(r.split(',')[0]) >= from && Number(r.split(',')[0]) <= to)].join('\n')}\n`;
}

const savedNames = (page: Page): Promise<string[]> =>
  page.locator('[data-testid=saved-model]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));

test('the Model tab trains the mechanistic head (a hybrid model), saves, exports and imports it, and validates it on another file', async ({
  appPage: page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/');
  // Two files of the study: subjects 25–48 (the other file), then 1–24 (trained on), with EstData's study (covariates BW, COMED).
  await dropFile(page, 'other.csv', estDataSubjects(25, 48));
  await expect(page.getByTestId('dataset-title')).toHaveText('other');
  await dropFile(page, 'first.csv', estDataSubjects(1, 24));
  await expect(page.getByTestId('dataset-title')).toHaveText('first');
  const spec = readFileSync('public/demo/EstData.study.json');
  await page
    .getByTestId('study-file-input')
    .setInputFiles({ name: 'EstData.qpkpd-study.json', mimeType: 'application/json', buffer: spec });
  await expect(page.getByTestId('study-notice')).toContainText('Study settings imported');

  await page.getByRole('tab', { name: 'Model' }).click();
  const form = page.locator('qp-training-form');
  await form.getByLabel('Output head').selectOption('mechanistic');
  await expect(form.getByLabel('Mode')).toBeDisabled();
  await fillTinyTraining(page, { encoder: 'mlp', epochs: 5 });
  await form.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('model-notice')).toContainText('Training finished', { timeout: 180_000 });

  const results = page.getByTestId('model-results');
  await expect(results.getByTestId('model-facts')).toContainText('mechanistic head (hybrid model)');
  await expect(results.getByTestId('hybrid-facts')).toContainText('from BW, COMED');
  await expect(results.getByTestId('epochs-table')).toContainText('covariate network, round 1');
  // The covariate network's size on every round's row.
  await expect(results.getByTestId('epochs-table').locator('tbody tr').first()).toContainText(/\d+ \(\d+ \+ 0\)/);
  const metrics = results.getByTestId('metrics-table');
  for (const target of ['pk', 'pd'])
    await expect(metrics.locator(`tr[data-target=${target}][data-set=validation] td[data-metric=rmse]`)).toHaveText(/^\d/);
  for (const target of ['pk', 'pd'])
    for (const plot of ['qp-pred-vs-obs-plot', 'qp-residual-plot', 'qp-subject-fit-plot'])
      await expect(results.locator(`section[data-target=${target}] ${plot} svg`).first(), `${target} ${plot}`).toBeVisible();
  await expect(results).toContainText('Typical predictions of the hybrid model');
  const predictions = await results.getByTestId('predictions').getAttribute('data-first-predictions');

  // External validation on the other file: its 24 subjects, metrics and predictions.
  await expect(results.getByTestId('external-dataset')).toContainText('other (24 subjects)');
  await results.getByTestId('external-evaluate').click();
  await expect(page.getByTestId('model-notice')).toContainText('evaluated on the 24 subjects of “other”');
  for (const target of ['pk', 'pd'])
    await expect(metrics.locator(`tr[data-target=${target}][data-set=external] td[data-metric=rmse]`)).toHaveText(/^\d/);
  await expect(results.getByTestId('predictions')).toHaveAttribute('data-subject-set', 'external');
  await expect(results.locator('section[data-target=pd] qp-subject-fit-plot svg').first()).toBeVisible();

  await results.getByLabel('Model name').fill('Hybrid MLP');
  await results.getByTestId('save-model').click();
  await expect(results.getByTestId('saved-as')).toContainText('Hybrid MLP');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Hybrid MLP' }).click();
  const file = await download;
  const text = readFileSync(await file.path(), 'utf8');
  expect(JSON.parse(text).model.format).toBe('qpkpd-studio/hybrid-model');
  await page
    .getByTestId('import-model')
    .setInputFiles({ name: file.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect.poll(() => savedNames(page)).toEqual(['Hybrid MLP', 'Hybrid MLP (2)']);

  // The imported copy, opened after a reload, predicts the same.
  await page.reload();
  await page.getByRole('button', { name: 'first', exact: true }).click();
  await expect(page.getByTestId('dataset-title')).toHaveText('first');
  await page.getByRole('tab', { name: 'Model' }).click();
  await page.getByRole('button', { name: 'Open Hybrid MLP (2)' }).click();
  await expect(results.getByTestId('saved-as')).toContainText('Hybrid MLP (2)');
  await expect(results.getByTestId('predictions')).toHaveAttribute('data-first-predictions', predictions ?? '');
  await expect(results.getByTestId('hybrid-facts')).toContainText('from BW, COMED');

  // The saved hybrid as one patient's prior (Patient tab): its network evaluated for the patient's covariates.
  await page.getByRole('tab', { name: 'Patient' }).click();
  const patient = page.locator('qp-patient-view');
  await patient.getByTestId('patient-library').selectOption({ label: 'Hybrid MLP' });
  await patient.getByRole('button', { name: 'Use this model' }).click();
  const hybrid = patient.getByTestId('patient-hybrid');
  await hybrid.getByRole('button', { name: "Make this patient's model" }).click();
  await expect(patient.locator('#p-hybrid-BW-problem')).toContainText('give the patient');
  await patient.locator('#p-hybrid-BW').fill('82');
  await patient.locator('#p-hybrid-COMED').fill('1');
  if (await patient.locator('#p-hybrid-baseline').count()) await patient.locator('#p-hybrid-baseline').fill('9.5');
  await hybrid.getByRole('button', { name: "Make this patient's model" }).click();
  await expect(patient.getByTestId('patient-model-name')).toContainText('for this patient (BW 82, COMED 1');
  await patient.getByTestId('patient-file').setInputFiles({
    name: 'example.patient.json',
    mimeType: 'application/json',
    buffer: readFileSync('test-data/patients/example.patient.json'),
  });
  await expect(patient.getByTestId('recommended-dose')).toContainText('every 24 h (oral)');
  await expect(patient.getByTestId('patient-parameters')).toContainText('CL');
});
