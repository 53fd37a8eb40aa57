import { expect, test } from './fixtures/app-test';

test('the Model view estimates quantum resources and flags what exceeds the device', async ({ appPage: page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Data' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Model' })).toHaveAttribute('aria-selected', 'true');

  const table = page.getByTestId('quantum-resources');
  await page.getByLabel(/^Encoder/).selectOption('qnn-resmlp-moe');
  await page.getByLabel(/^Qubits/).selectOption('8');
  await page.getByLabel(/^Layers/).selectOption('3');
  await expect(table.locator('tr[data-row="depth"]')).toContainText('39');
  await expect(table.locator('tr[data-row="two-qubit-gates"]')).toContainText('24');
  await expect(page.getByTestId('quantum-feasibility')).toContainText('fits a QV-512 device');

  await page.getByLabel(/^Device quantum volume/).selectOption('64');
  await expect(page.getByTestId('quantum-feasibility')).toContainText(/exceed|beyond/);

  await page.getByLabel(/^Encoder/).selectOption('resmlp-moe');
  await expect(page.getByLabel(/^Qubits/)).toBeDisabled();
});
