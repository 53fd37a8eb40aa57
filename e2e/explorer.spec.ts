import { dropFile, ESTDATA_CSV, expect, PLOTS, storedDatasetNames, test } from './fixtures/app-test';

test('dropping EstData shows its summary and all six plots, and it is still there after a reload', async ({ appPage: page }) => {
  await page.goto('/');
  await expect(page.getByTestId('no-datasets')).toBeVisible();
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);

  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await expect(page.getByTestId('dataset-summary')).toContainText('48');
  for (const plot of PLOTS) {
    await expect(page.locator(`figure[data-plot="${plot}"] svg`).first(), `plot ${plot}`).toBeVisible();
  }
  await expect(page.locator('figure[data-plot="subject"] svg').first()).toBeVisible();
  // Mean PK curves: one line per dosed group (DOSE 1, 3, 10).
  expect(await page.locator('figure[data-plot="pk-time"] svg [aria-label="line"] path').count()).toBeGreaterThanOrEqual(3);

  await page.reload();
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData']);
  await page.getByRole('button', { name: 'EstData', exact: true }).click();
  await expect(page.locator('figure[data-plot="pd-time"] svg').first()).toBeVisible();
});

test('the demo data load with one click; datasets can be renamed and deleted', async ({ appPage: page }) => {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  // (The demo again would open the stored copy: e2e/dataset-library.spec.ts.) The same file dropped is a second copy.
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData', 'EstData (2)']);

  await page.getByRole('button', { name: 'Rename EstData (2)' }).click();
  await page.getByRole('textbox', { name: 'New name for EstData (2)' }).fill('Second copy');
  await page.getByRole('textbox', { name: 'New name for EstData (2)' }).press('Enter');
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData', 'Second copy']);
  await expect(page.getByTestId('dataset-title')).toHaveText('Second copy');

  await page.getByRole('button', { name: 'Delete EstData' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect.poll(() => storedDatasetNames(page)).toEqual(['Second copy']);
  await page.reload();
  await expect.poll(() => storedDatasetNames(page)).toEqual(['Second copy']);
});

test('plot controls: log scale, individual curves, hysteresis arm and subject are selectable by keyboard', async ({ appPage: page }) => {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  const pk = page.locator('figure[data-plot="pk-time"]');
  const before = await pk.innerHTML();
  await pk.getByLabel(/log/i).check();
  await expect.poll(() => pk.innerHTML()).not.toBe(before);
  await pk.getByLabel(/individual/i).check();
  await expect.poll(async () => pk.locator('svg [aria-label="line"] path').count()).toBeGreaterThan(30);

  const hysteresis = page.locator('figure[data-plot="pkpd-hysteresis"]');
  await hysteresis.locator('select').selectOption({ index: 0 });
  await expect(hysteresis.locator('svg').first()).toBeVisible();
  const subject = page.locator('figure[data-plot="subject"]');
  await subject.locator('select').focus();
  await page.keyboard.press('ArrowDown');
  await expect(subject.locator('svg').first()).toBeVisible();
});
