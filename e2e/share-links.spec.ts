import type { Page } from '@playwright/test';
import { encodeShareState } from '../src/ui/share/share-codec';
import type { ShareState } from '../src/ui/share/share-state';
import { dropFile, ESTDATA_CSV, expect, PLOTS, storedDatasetNames, test } from './fixtures/app-test';

async function expectExplorer(page: Page): Promise<void> {
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  for (const plot of PLOTS) await expect(page.locator(`figure[data-plot="${plot}"] svg`).first(), `plot ${plot}`).toBeVisible();
}

/** The link the Share button offers (the panel's selectable field). */
async function sharedLink(page: Page): Promise<string> {
  await page.getByTestId('share-link').click();
  const field = page.getByTestId('share-url');
  await expect(field).toHaveValue(/#s=/);
  return field.inputValue();
}

const field = (page: Page, form: string, label: string) => page.locator(form).getByLabel(label, { exact: true });

test('/#demo opens the explorer on the demo data, stored once however often it is opened', async ({ appPage: page }) => {
  await page.goto('/#demo');
  await expectExplorer(page);
  await page.reload();
  await expectExplorer(page);
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData']);
});

test('a share link carries the view and the Model and Doses settings to a fresh page', async ({ appPage: page }) => {
  await page.goto('/#demo');
  await expectExplorer(page);
  await page.getByRole('tab', { name: 'Model' }).click();
  await field(page, 'qp-training-form', 'Encoder').selectOption('mlp');
  await field(page, 'qp-training-form', 'Max epochs').fill('40');
  await field(page, 'qp-training-form', 'Seed').fill('3');
  await page.getByRole('tab', { name: 'Doses' }).click();
  await field(page, 'qp-dose-form', 'Virtual subjects (N)').fill('200');
  await field(page, 'qp-dose-form', 'Search method').selectOption('mcts');

  const link = await sharedLink(page);
  expect(new URL(link).search).toBe('');
  await expect(page.getByTestId('share-explanation')).toContainText('holds no data of yours');
  await expect(page.getByTestId('share-status')).not.toHaveText('');

  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByRole('tab', { name: 'Doses' })).toHaveAttribute('aria-selected', 'true');
  await expect(field(page, 'qp-dose-form', 'Virtual subjects (N)')).toHaveValue('200');
  await expect(field(page, 'qp-dose-form', 'Search method')).toHaveValue('mcts');
  await expect(field(page, 'qp-dose-form', 'Seed')).toHaveValue('1');
  await page.getByRole('tab', { name: 'Model' }).click();
  await expect(field(page, 'qp-training-form', 'Encoder')).toHaveValue('mlp');
  await expect(field(page, 'qp-training-form', 'Max epochs')).toHaveValue('40');
  await expect(field(page, 'qp-training-form', 'Seed')).toHaveValue('3');
  await expect(field(page, 'qp-training-form', 'Patience (epochs)')).toHaveValue('30');
  await expect(page.locator('qp-model-view h3#train-title')).toContainText('EstData');
  expect(await storedDatasetNames(page)).toEqual(['EstData']);
});

test('a damaged link and a link from a newer version say so, and the app still works', async ({ appPage: page }) => {
  await page.goto('/#s=garbage');
  const problem = page.getByTestId('share-problem');
  await expect(problem).toHaveAttribute('role', 'alert');
  await expect(problem).toContainText('This link is damaged or incomplete');
  await problem.getByRole('button', { name: 'Dismiss' }).click();
  await expect(problem).toBeHidden();
  await page.getByTestId('load-demo').click();
  await expectExplorer(page);

  const newer = encodeShareState({ v: 3, data: 'demo', view: 'model', lens: 'new' } as unknown as ShareState);
  await page.evaluate((fragment) => (window.location.hash = fragment), newer);
  await expect(problem).toContainText('This link was made by a newer version of QPKPD Studio');
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Model' }).click();
  await expect(page.locator('qp-training-form')).toBeVisible();
});

test('with a user file open, Share explains that links never carry it and offers the demo link', async ({ appPage: page }) => {
  await page.goto('/');
  // The user's own data: one value differs from the demo's (the demo is told by its content).
  await dropFile(page, 'mydata.csv', ESTDATA_CSV.replace('\n1,58,0,0,1,13.7783,', '\n1,58,0,0,1,13.7784,'));
  await expect(page.getByTestId('dataset-title')).toHaveText('mydata');
  const link = await sharedLink(page);
  await expect(page.getByTestId('share-panel')).toContainText('Links never carry your data');
  await expect(page.getByTestId('share-explanation')).toContainText('“mydata” is your own data');
  await expect(page.getByTestId('share-status')).toHaveText('');
  await expect(page.getByTestId('copy-link')).toHaveText('Copy demo link');
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('share-status')).not.toHaveText('');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-panel')).toBeHidden();
  await expect(page.getByTestId('share-link')).toBeFocused();

  await page.goto('about:blank');
  await page.goto(link);
  await expectExplorer(page);
  expect(await storedDatasetNames(page)).toEqual(['mydata', 'EstData']);
});
