import type { Locator, Page, Worker } from '@playwright/test';
import { dropFile, ESTDATA_CSV, estDataWithoutLastSubject, expect, test } from './fixtures/app-test';
import { fillTinyTraining } from './fixtures/tiny-training';

async function openDosesTab(page: Page): Promise<Locator> {
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await page.getByRole('tab', { name: 'Doses' }).click();
  const form = page.locator('qp-dose-form');
  await expect(form).toBeVisible();
  return form;
}

async function fill(form: Locator, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
}

/** The README's mechanistic answers on EstData (N = 1000, seed 1), in the table's row order. */
const README_DOSES: [string, string][] = [
  ['base|0.9|daily', '5.5'],
  ['base|0.9|weekly', '55'],
  ['base|0.75|daily', '4'],
  ['base|0.75|weekly', '40'],
  ['bw70_140|0.9|daily', '7.5'],
  ['bw70_140|0.9|weekly', '80'],
  ['bw70_140|0.75|daily', '5.5'],
  ['bw70_140|0.75|weekly', '55'],
  ['no_comed|0.9|daily', '7'],
  ['no_comed|0.9|weekly', '65'],
  ['no_comed|0.75|daily', '5'],
  ['no_comed|0.75|weekly', '50'],
];

const SMALL = { 'Virtual subjects (N)': '100', 'Uncertainty replicates (0 = no bands)': '0', 'VPC replicates (0 = no VPC)': '20' };

test('a dose run whose worker ends without a word says so and Retry answers in a fresh worker', async ({ appPage: page }) => {
  const dosesWorker = page.waitForEvent('worker', (w: Worker) => w.url().includes('doses'));
  const form = await openDosesTab(page);
  await fill(form, { ...SMALL, 'VPC replicates (0 = no VPC)': '0' });
  await form.getByRole('button', { name: 'Run' }).click();
  const notice = page.getByTestId('doses-notice');
  await expect(notice).toContainText('Answered in', { timeout: 45_000 });

  // The worker stays for the next run. Inside it (Playwright evaluates in the real worker; no test
  // hook in the app), its next answer to the page is dropped and the worker closes itself instead:
  // the run's call stays pending and no event reaches the page's Worker object.
  await (
    await dosesWorker
  ).evaluate(() => {
    const scope = self as unknown as { postMessage: (message: unknown, transfer?: Transferable[]) => void; close: () => void };
    const post = scope.postMessage.bind(scope);
    scope.postMessage = (message, transfer) => {
      // A Comlink answer carries the call's id; the lifeline message does not.
      if ((message as { id?: unknown } | null)?.id) scope.close();
      else post(message, transfer);
    };
  });
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText(
    'The dose questions could not be answered: The dose questions stopped unexpectedly (its worker ended without reporting an error).',
  );
  await expect(page.getByTestId('dose-progress')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Retry on CPU (WebAssembly)' }), 'no GPU in the mechanistic model').toHaveCount(0);
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect(notice).toContainText('Answered in', { timeout: 45_000 });
  await expect(page.getByTestId('answers-table').locator('tbody tr[data-row]')).toHaveCount(12);
});

test('bad settings are marked inline by the study validator and nothing runs', async ({ appPage: page }) => {
  const form = await openDosesTab(page);
  await fill(form, { 'Virtual subjects (N)': '5', 'Target 2 (% of subjects)': '150', 'VPC replicates (0 = no VPC)': '2.5' });
  const daily = form.getByRole('group', { name: 'Regimen 1: daily' });
  await daily.getByLabel('Dose step (mg)').fill('');
  await form.getByLabel('Population model of the study (fitted to this dataset; the reference)').uncheck();
  await expect(form.getByText('must be a number (a whole number from 10 to 100000), got 5')).toBeVisible();
  await expect(form.getByText('must be a share of subjects more than 0 and at most 100 %')).toBeVisible();
  await expect(daily.getByText('must be a number > 0')).toBeVisible();
  await expect(form.getByText('must be a whole number from 0 to 1000')).toBeVisible();
  await expect(form.getByText('Choose at least one model.')).toBeVisible();
  await expect(form.getByLabel('Virtual subjects (N)')).toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('button', { name: 'Run' }).click();
  // The first marked field in the form's order.
  await expect(form.getByLabel('Target 2 (% of subjects)')).toBeFocused();
  await expect(page.getByTestId('dose-progress')).toHaveCount(0);
  await expect(page.getByTestId('dose-results')).toHaveCount(0);
});

test('a run can be cancelled (button or Escape), then the population model answers the twelve questions with plots, fit and diagnostics', async ({
  appPage: page,
}) => {
  const form = await openDosesTab(page);
  const progress = page.getByTestId('dose-progress');
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(progress.getByTestId('dose-stage')).toContainText('Fitting the population model');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('doses-notice')).toHaveText('Cancelled.');
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('dose-results')).toHaveCount(0);

  await form.getByRole('button', { name: 'Run' }).press('Enter');
  await expect(progress.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('doses-notice')).toHaveText('Cancelled.');
  await expect(progress).toHaveCount(0);

  // The demo's questions as the preset asks them (N = 1000, seed 1): the README's twelve answers.
  await fill(form, { 'Uncertainty replicates (0 = no bands)': '0', 'VPC replicates (0 = no VPC)': '20' });
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in', { timeout: 60_000 });
  const doses = page.getByTestId('answers-table').locator('td[data-cell=dose]');
  await expect(doses).toHaveText(README_DOSES.map(([, dose]) => dose));
  const rowKeys = await page
    .getByTestId('answers-table')
    .locator('tbody tr[data-row]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row')));
  expect(rowKeys).toEqual(README_DOSES.map(([key]) => key));
  await expect(page.locator('tr[data-row="base|0.9|daily"] td[data-cell=fraction]')).toContainText('91.3 %');
  await expect(page.locator('tr[data-row="no_comed|0.9|weekly"] td[data-cell=fraction]')).toContainText('90 %');

  await expect(page.getByTestId('answers-question')).toContainText(
    'PD (Biomarker) below 3.3 ng/mL throughout the last dosing interval at steady state',
  );
  const table = page.getByTestId('answers-table');
  await expect(table.locator('tbody tr[data-row]')).toHaveCount(12);
  await expect(table.locator('thead')).toContainText('Dose (mg)');
  await expect(table.locator('tbody th[scope=rowgroup]').first()).toContainText('base');
  await expect(table.locator('tbody th[scope=rowgroup]').first()).toContainText('BW uniform 50–100, COMED = 1 in 50 %');
  await expect(table.locator('tr[data-row="base|0.9|daily"] td[data-cell=dose]')).toHaveText(/^\d+(\.\d+)?$/);
  await expect(table.locator('tr[data-row="no_comed|0.75|weekly"] td[data-cell=fraction]')).toContainText('%');

  const curves = page.locator('qp-dose-response-plots');
  for (const regimen of ['daily', 'weekly'])
    await expect(curves.locator(`figure[data-plot=dose-response-${regimen}] svg[aria-label]`).first()).toBeVisible();

  const fit = page.locator('qp-mechanistic-fit');
  await expect(page.getByTestId('mechanistic-fit').locator('h3')).toContainText('Population model (oral');
  await expect(fit.locator('[data-testid=model-comparison] tr[data-stage=pk]')).toHaveCount(2);
  await expect(fit.locator('[data-testid=model-comparison] tr[data-stage=pk][data-chosen=true]')).toHaveCount(1);
  await expect(fit.locator('[data-testid=pk-estimates] tr[data-parameter=CL]')).toContainText(/\d/);
  await expect(fit.locator('[data-testid=pk-estimates] tr[data-parameter="CL~BW"]')).toBeVisible();
  await expect(fit.locator('[data-testid=pd-estimates] tr[data-parameter=BASE]')).toContainText('ng/mL');

  const diagnostics = page.locator('qp-mechanistic-diagnostics');
  const plots = ['dv-pred', 'dv-ipred', 'res-time', 'res-pred', 'npde-time', 'npde-pred', 'individual', 'vpc', 'pc-vpc'];
  const guidance = ['eta-hist', 'eta-qq', 'shrinkage', 'eta-cov', 'convergence', 'correlation'];
  for (const target of ['PK', 'PD']) {
    await diagnostics.getByLabel(target, { exact: true }).check();
    for (const plot of [...plots, ...guidance])
      await expect(diagnostics.locator(`figure[data-plot=${plot}] svg[aria-label]`).first(), `${target} ${plot}`).toBeVisible();
    await expect(diagnostics.locator('figure[data-plot=npde-time] figcaption')).toContainText('KS test of N(0, 1): p');
    await expect(diagnostics.getByTestId('condition-number')).toContainText(/Condition number \d/);
  }
  // η against each covariate column of EstData (BW, COMED, DOSE), for the η chosen.
  await diagnostics.getByLabel('PK', { exact: true }).check();
  await diagnostics.getByTestId('diagnostics-eta').selectOption({ label: 'η(V)' });
  const etaCov = diagnostics.locator('figure[data-plot=eta-cov]');
  await expect(etaCov.locator('svg[aria-label^="η(V) against BW, a covariate of the model"]')).toBeVisible();
  await expect(etaCov.locator('svg[aria-label^="η(V) against COMED"]')).toBeVisible();
  await expect(diagnostics.locator('figure[data-plot=pc-vpc] svg[aria-label*="prediction-corrected"]').first()).toBeVisible();
  await diagnostics.getByTestId('diagnostics-subject').selectOption({ index: 3 });
  await expect(diagnostics.locator('figure[data-plot=individual] svg[aria-label]').first()).toBeVisible();
});

test('after another dataset is opened, the answers say by name which dataset they were computed for', async ({ appPage: page }) => {
  const form = await openDosesTab(page);
  await fill(form, { ...SMALL, 'VPC replicates (0 = no VPC)': '0' });
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in', { timeout: 45_000 });
  const note = page.getByTestId('other-dataset-results');
  await expect(note).toHaveCount(0);

  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'Trial B.csv', estDataWithoutLastSubject());
  await expect(page.getByTestId('dataset-title')).toHaveText('Trial B');
  await page.getByRole('tab', { name: 'Doses' }).click();
  await expect(note).toContainText(
    'The results below were computed for “EstData”, not for “Trial B” open now. Run again to answer for “Trial B”',
  );
  await expect(page.getByTestId('answers-table')).toBeVisible();
});

async function trainAndSave(page: Page, name: string, seed: string): Promise<void> {
  const training = page.locator('qp-training-form');
  await training.getByLabel('Seed').fill(seed);
  await training.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('model-notice')).toContainText('Training finished');
  const results = page.getByTestId('model-results');
  await results.getByLabel('Model name').fill(name);
  await results.getByTestId('save-model').click();
  await expect(results.getByTestId('saved-as')).toContainText(name);
}

test('two saved networks answer as an ensemble beside the mechanistic model, with bands and their distance from it', async ({
  appPage: page,
}) => {
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await page.getByRole('tab', { name: 'Model' }).click();
  await fillTinyTraining(page, { encoder: 'mlp' });
  await trainAndSave(page, 'Tiny net', '1');
  await trainAndSave(page, 'Tiny net B', '2');

  await page.getByRole('tab', { name: 'Doses' }).click();
  const form = page.locator('qp-dose-form');
  // Networks just saved and trained on the open dataset are offered ticked.
  await expect(form.getByLabel('Tiny net', { exact: true })).toBeChecked();
  await expect(form.getByLabel('Tiny net B', { exact: true })).toBeChecked();
  await form.getByLabel('Tiny net B', { exact: true }).uncheck();
  await form.getByLabel('Virtual subjects (N)').fill('200');
  await page.getByRole('tab', { name: 'Model' }).click();
  await page.getByRole('tab', { name: 'Doses' }).click();
  // The user's choice stays.
  await expect(form.getByLabel('Tiny net B', { exact: true })).not.toBeChecked();
  await form.getByLabel('Tiny net B', { exact: true }).check();
  await form.getByLabel(/as one ensemble/).check();
  await fill(form, { ...SMALL, 'VPC replicates (0 = no VPC)': '0' });
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in', { timeout: 50_000 });
  const table = page.getByTestId('answers-table');
  await expect(table.locator('thead th[scope=colgroup]')).toHaveText([/Population model/, 'Tiny net (ensemble of 2)']);
  await expect(table.locator('tbody tr[data-row]')).toHaveCount(12);
  await expect(table.locator('td[data-cell=difference]')).toHaveCount(12);
  await expect(page.getByTestId('network-notes')).toContainText('ensemble of 2 networks');
  const curves = page.locator('qp-dose-response-plots');
  await curves.getByLabel('Model').selectOption({ label: 'Tiny net (ensemble of 2)' });
  await expect(curves.locator('figure[data-plot=dose-response-daily] svg[aria-label*="Regimen daily"]')).toBeVisible();
});

test('a hybrid model — the population model with a covariate network — answers the twelve questions, weekly included, with its fit and diagnostics', async ({
  appPage: page,
}) => {
  test.setTimeout(150_000);
  const form = await openDosesTab(page);
  await fill(form, SMALL);
  await form.getByLabel('Population model of the study (fitted to this dataset; the reference)').uncheck();
  await form.getByLabel('Covariate network', { exact: true }).selectOption('mlp');
  await form.getByLabel('Hybrid model: the population model with a covariate network (fitted to this dataset)').check();
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in', { timeout: 120_000 });
  const table = page.getByTestId('answers-table');
  await expect(table.locator('tbody tr[data-row]')).toHaveCount(12);
  for (const [key] of README_DOSES) await expect(table.locator(`tr[data-row="${key}"] td[data-cell=dose]`)).toHaveText(/^\d+(\.\d+)?$/);
  const fit = page.getByTestId('hybrid-fit');
  await expect(fit.locator('h3')).toContainText('Hybrid: MLP covariate network in the population model (oral');
  await expect(fit.locator('[data-testid=pk-estimates] tr[data-parameter="CL~z(BW)"]')).toContainText(/\d/);
  await expect(page.getByTestId('mechanistic-fit')).toHaveCount(0);
  const diagnostics = page.getByTestId('hybrid-diagnostics').locator('qp-mechanistic-diagnostics');
  await diagnostics.getByLabel('PD', { exact: true }).check();
  for (const plot of ['dv-pred', 'individual', 'vpc'])
    await expect(diagnostics.locator(`figure[data-plot=${plot}] svg[aria-label]`).first(), plot).toBeVisible();
});
