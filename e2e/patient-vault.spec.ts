import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/app-test';

const PATIENT = readFileSync(new URL('../test-data/patients/example.patient.json', import.meta.url), 'utf8');
const PASSPHRASE = 'a long clinic passphrase';

async function patientTab(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Patient' }).click();
  return page.locator('qp-patient-view');
}

/** Every stored byte of the patient vault, as text (what a wrong passphrase must leave as it was). */
async function storedVault(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('qpkpd-studio');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = (store: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error);
      });
    const values = [...(await all('patient-vault')), ...(await all('patient-records'))];
    db.close();
    return JSON.stringify(values, (_key, value: unknown) => (value instanceof Uint8Array ? Array.from(value).join(',') : value));
  });
}

/** The number of pages of a PDF (its /Type /Page objects). */
const pageCount = (pdf: Buffer): number => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;

test('a patient saved with a passphrase is there after a reload and unlocking; a wrong passphrase changes nothing; the note prints on one page', async ({
  appPage: page,
}) => {
  await page.goto('/');
  let view = await patientTab(page);
  const vault = view.locator('qp-patient-vault');
  await expect(vault.getByTestId('patient-vault')).toHaveAttribute('data-state', 'none');
  await vault.getByTestId('vault-new-passphrase').fill(PASSPHRASE);
  await vault.getByTestId('vault-repeat-passphrase').fill(`${PASSPHRASE}!`);
  await vault.getByRole('button', { name: 'Keep patients encrypted' }).click();
  await expect(vault.getByTestId('vault-problem')).toContainText('The two passphrases differ');
  await vault.getByTestId('vault-repeat-passphrase').fill(PASSPHRASE);
  await vault.getByTestId('vault-repeat-passphrase').press('Enter');
  await expect(vault.getByTestId('patient-vault')).toHaveAttribute('data-state', 'unlocked');
  await expect(vault.getByTestId('vault-empty')).toBeVisible();

  await view.getByRole('button', { name: 'Use this model' }).click();
  await view
    .getByTestId('patient-file')
    .setInputFiles({ name: 'example.patient.json', mimeType: 'application/json', buffer: Buffer.from(PATIENT) });
  await expect(view.getByTestId('recommended-dose')).toContainText('3.5 mg every 24 h');
  await view.getByTestId('patient-save').click();
  await expect(view.getByTestId('p-name-problem')).toContainText('give a name');
  await view.locator('#p-name').fill('Example Patient 1');
  await view.getByTestId('patient-save').click();
  await expect(vault.getByTestId('vault-status')).toContainText('Saved “Example Patient 1”');
  await expect(vault.getByTestId('vault-list')).toContainText('Example Patient 1');
  await expect(view.getByTestId('patient-privacy')).toContainText('is saved, encrypted');

  // The note: print is asked for, and in print only the note shows, on one page.
  await page.evaluate(() => {
    const w = window as unknown as { printed: number };
    w.printed = 0;
    window.print = () => void w.printed++;
  });
  await view.getByTestId('patient-print').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  const note = view.getByTestId('patient-note');
  await expect(note).toBeVisible();
  await expect(note.getByTestId('note-recommendation')).toContainText('Recommended: 3.5 mg every 24 h');
  await expect(note).toContainText('Example Patient 1');
  await expect(note).toContainText('BW 82');
  await expect(note.locator('svg').first()).toBeVisible();
  await expect(view.locator('#p-cov-BW')).toBeHidden();
  await expect(page.locator('qp-app header, qp-app aside').first()).toBeHidden();
  expect(pageCount(await page.pdf({ format: 'A4' }))).toBe(1);
  await page.emulateMedia({ media: 'screen' });

  // The exported file holds ciphertext only.
  const download = page.waitForEvent('download');
  await vault.getByRole('button', { name: 'Export an encrypted file' }).click();
  const file = readFileSync(await (await download).path(), 'utf8');
  expect(file).toContain('"format": "qpkpd-patient-vault"');
  expect(file).not.toContain('Example Patient');
  expect(file).not.toContain('41.2');

  // Reload: locked; a wrong passphrase gets its message and leaves every stored byte as it was.
  await page.reload();
  view = await patientTab(page);
  await expect(vault.getByTestId('patient-vault')).toHaveAttribute('data-state', 'locked');
  await expect(view.getByTestId('patient-result')).toHaveCount(0);
  const before = await storedVault(page);
  expect(before).not.toContain('Example Patient');
  await vault.getByTestId('vault-passphrase').fill('not the passphrase');
  await vault.getByRole('button', { name: 'Unlock' }).click();
  await expect(vault.getByTestId('vault-problem')).toContainText('The passphrase does not open');
  await expect(vault.getByTestId('patient-vault')).toHaveAttribute('data-state', 'locked');
  expect(await storedVault(page)).toBe(before);

  await vault.getByTestId('vault-passphrase').fill(PASSPHRASE);
  await vault.getByTestId('vault-passphrase').press('Enter');
  await expect(vault.getByTestId('vault-list')).toContainText('Example Patient 1');
  await vault.getByRole('button', { name: 'Open Example Patient 1' }).click();
  await expect(view.getByTestId('patient-model-name')).toContainText('a published model');
  await expect(view.locator('#p-name')).toHaveValue('Example Patient 1');
  await expect(view.locator('#p-cov-BW')).toHaveValue('82');
  await expect(view.getByTestId('recommended-dose')).toContainText('3.5 mg every 24 h');

  // A change saved replaces the record; lock hides the list.
  await view.locator('#p-cov-BW').fill('90');
  await view.getByTestId('patient-save').click();
  await expect(vault.getByTestId('vault-status')).toContainText('Saved “Example Patient 1”');
  await expect(vault.getByTestId('vault-list').locator('tbody tr')).toHaveCount(1);
  await vault.getByTestId('vault-lock').click();
  await expect(vault.getByTestId('patient-vault')).toHaveAttribute('data-state', 'locked');
  await expect(vault.getByTestId('vault-list')).toHaveCount(0);
  await expect(view.getByTestId('patient-save-hint')).toContainText('Unlock');
});
