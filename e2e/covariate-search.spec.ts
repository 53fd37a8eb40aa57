import { studySpecDocument } from '../src/store/study-file';
import { covariateTrialCsv, covariateTrialSpec } from '../src/pkpd/population/testing/covariate-trial';
import { dropFile, expect, test } from './fixtures/app-test';

test('the covariate search on a simulated trial finds its two real covariates and not the two distractors; cancel stops it; the result is saved to the study', async ({
  appPage: page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/');
  // 100 subjects: CL~WT (power 0.75) and V~SEX (factor 0.7) are true; AGE and SMOKER are distractors.
  await dropFile(page, 'covariate trial.csv', covariateTrialCsv(100, 1));
  await expect(page.getByTestId('dataset-title')).toHaveText('covariate trial');
  const spec = { ...studySpecDocument(covariateTrialSpec()), name: 'covariate trial' };
  await page
    .getByTestId('study-file-input')
    .setInputFiles({ name: 'trial.qpkpd-study.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(spec)) });
  await expect(page.getByTestId('study-notice')).toContainText('Study settings imported');

  await page.getByRole('tab', { name: 'Doses' }).click();
  const panel = page.locator('qp-covariate-search');
  await panel.getByTestId('covariate-search-run').click();
  await expect(panel.getByTestId('covariate-search-progress')).toContainText('candidate');
  await panel.getByTestId('covariate-search-cancel').click();
  await expect(panel.getByTestId('covariate-search-notice')).toContainText('cancelled');

  await panel.getByTestId('covariate-search-run').click();
  await expect(panel.getByTestId('covariate-chosen')).toBeVisible({ timeout: 200_000 });
  const chosen = await panel.getByTestId('covariate-chosen').locator('strong').textContent();
  expect((chosen ?? '').split(', ').sort()).toEqual(['CL~WT (power)', 'V~SEX (factor)']);
  // Every step is a table; the first forward step tried the distractors too.
  const first = panel.locator('table[data-phase=forward]').first();
  for (const effect of ['CL~AGE', 'CL~SMOKER', 'CL~WT', 'V~SEX']) await expect(first.locator(`tr[data-effect="${effect}"]`)).toHaveCount(1);
  await expect(panel.locator('table[data-phase=backward]').first()).toBeVisible();

  await panel.getByTestId('covariate-search-save').click();
  await expect(panel.getByTestId('covariate-search-notice')).toContainText('saved to the study');
  // The study now estimates them: the Data tab's study summary lists the effects.
  await page.getByRole('tab', { name: 'Data' }).click();
  const summary = page.getByTestId('study-summary');
  await expect(summary).toContainText('CL~WT (power)');
  await expect(summary).toContainText('V~SEX (factor)');
  await expect(summary).not.toContainText('AGE');
});
