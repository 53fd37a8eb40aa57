import { studySpecDocument } from '../src/store/study-file';
import { blqTrialCsv, blqTrialSpec, censConvention } from '../src/pkpd/population/testing/blq-trial';
import { dropFile, expect, test } from './fixtures/app-test';

test('observations below the limit of quantification (CENS = 1) are fitted by M3 and shown as such in the diagnostics', async ({
  appPage: page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await dropFile(page, 'blq trial.csv', censConvention(blqTrialCsv(2024)));
  await expect(page.getByTestId('dataset-title')).toHaveText('blq trial');
  const spec = {
    ...studySpecDocument(blqTrialSpec()),
    questions: {
      endpoint: 'pk',
      criterion: { rule: 'above', threshold: 1, window: 'trough' },
      targets: [0.9],
      regimens: [{ name: 'daily', interval: 24, route: 'oral', step: 10 }],
      scenarios: [{ name: 'trial', covariates: 'resample' }],
      virtualSubjects: 50,
      seed: 1,
    },
  };
  await page
    .getByTestId('study-file-input')
    .setInputFiles({ name: 'blq.qpkpd-study.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(spec)) });
  await expect(page.getByTestId('study-notice')).toContainText('Study settings imported');

  await page.getByRole('tab', { name: 'Doses' }).click();
  const form = page.locator('qp-dose-form');
  await form.getByLabel('Uncertainty replicates (0 = no bands)', { exact: true }).fill('0');
  await form.getByLabel('VPC replicates (0 = no VPC)', { exact: true }).fill('50');
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in', { timeout: 90_000 });

  await expect(page.getByTestId('mechanistic-fit').getByTestId('fit-notes')).toContainText('M3');
  const diagnostics = page.getByTestId('mechanistic-diagnostics');
  await expect(diagnostics.locator('figure[data-plot=dv-pred]')).toContainText('below');
  await expect(diagnostics.locator('figure[data-plot=vpc-blq] svg[aria-label]').first()).toBeVisible();
});
