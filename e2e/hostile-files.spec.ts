import type { Page } from '@playwright/test';
import { confirmStudy, dropFile, ESTDATA_CSV, expect, storedDatasetNames, test } from './fixtures/app-test';
import {
  encodeUtf32,
  encodeWindows1252,
  formulaInNumberCsv,
  hugeCellCsv,
  latin1Text,
  lineWhere,
  nulByteCsv,
  overflowCsv,
  prototypeKeysCsv,
  randomBytes,
  SCRIPT_COLUMN,
  SCRIPT_ID,
  scriptInjectionCsv,
  splitSubjectsCsv,
  validCsv,
  withCell,
} from '../src/testing/hostile-csv';

/** Elements or attributes a hostile file would need to run script, searched through every shadow root. */
async function injectedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      for (const element of root.querySelectorAll('*')) {
        if (element.tagName === 'SCRIPT' && (element.textContent ?? '').includes('__hostile')) found.push('script');
        if (element.hasAttribute('onerror') || element.hasAttribute('onload') || element.hasAttribute('onclick'))
          found.push(element.outerHTML);
        if (element.shadowRoot) visit(element.shadowRoot);
      }
    };
    visit(document);
    return found;
  });
}

test('hostile files are refused with a message saying what and where; stored data stay unchanged', async ({ appPage: page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');

  const pdLine = lineWhere(ESTDATA_CSV, (c) => c.DVID === '2' && c.EVID === '0' && Number(c.DV) > 1);
  const cases: [string, string | Buffer, string][] = [
    ['overflow.csv', overflowCsv('TIME'), 'overflow.csv, line 4, column TIME: 1e309 is too large to be a number'],
    [
      'pd-1e308.csv',
      withCell(ESTDATA_CSV, pdLine, 'DV', '1e308'),
      `pd-1e308.csv, line ${pdLine}, column DV: DV (PD, DVID 2) 1e+308 is more than a million times`,
    ],
    ['nul.csv', nulByteCsv(1000, 100), 'nul.csv, line 1000, column DV: a NUL byte is in this value, which a text file never holds'],
    ['random.csv', Buffer.from(randomBytes(16_384, 7)), 'random.csv: this is not a text file'],
    ['formula.csv', formulaInNumberCsv(), `formula.csv, line 4, column DV: "=cmd|' /C calc'!A0" is not a number`],
    ['utf32.csv', Buffer.from(encodeUtf32(validCsv())), 'utf32.csv: the file is UTF-32 text, which this app does not read'],
    ['huge-id.csv', hugeCellCsv(1_000_000, 'ID'), 'huge-id.csv, line 4, column ID: the subject ID is 1,000,000 characters long'],
  ];
  for (const [name, content, message] of cases) {
    await dropFile(page, name, content);
    const errors = page.getByTestId('ingest-errors');
    await expect(errors).toContainText(`${name} was not loaded`);
    await expect(errors).toContainText(message);
    await expect(errors).toContainText('Nothing was stored');
    await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData']);
    await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  }

  await page.reload();
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData']);
  expect(dialogs).toEqual([]);
});

test('markup, Latin-1, prototype keys and split subjects are read as plain text with short warning lists', async ({ appPage: page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto('/');

  await dropFile(page, 'xss.csv', scriptInjectionCsv());
  await expect(page.getByTestId('dataset-title')).toHaveText('xss');
  await expect(page.getByTestId('dataset-summary')).toContainText(SCRIPT_COLUMN.toUpperCase());
  await confirmStudy(page);
  const subjects = page.locator('figure[data-plot="subject"] select option');
  await expect(subjects.first()).toBeAttached();
  expect(await subjects.allTextContents()).toContainEqual(expect.stringContaining(`ID ${SCRIPT_ID}`));
  expect(await injectedMarkup(page)).toEqual([]);
  expect(await page.evaluate(() => (window as { __hostile?: unknown }).__hostile)).toBeUndefined();

  await dropFile(page, 'latin1.csv', Buffer.from(encodeWindows1252(latin1Text())));
  await expect(page.getByTestId('dataset-title')).toHaveText('latin1');
  await expect(page.getByTestId('ingest-warnings')).toContainText(
    'latin1.csv, line 1: the file is not UTF-8 text, so it was read as Windows-1252 (Western European)',
  );
  await expect(page.getByTestId('dataset-summary')).toContainText('COMÉD');
  await confirmStudy(page);
  await expect(subjects.first()).toBeAttached();
  expect(await subjects.allTextContents()).toContainEqual(expect.stringContaining('ID José'));

  await dropFile(page, 'proto.csv', prototypeKeysCsv());
  await expect(page.getByTestId('dataset-title')).toHaveText('proto');
  await confirmStudy(page);
  await expect(subjects.first()).toBeAttached();
  expect(await subjects.allTextContents()).toContainEqual(expect.stringContaining('ID __proto__'));
  expect(await page.evaluate(() => Object.getOwnPropertyNames(Object.prototype).filter((k) => /^(1|2|3|polluted)$/.test(k)))).toEqual([]);

  await dropFile(page, 'split.csv', splitSubjectsCsv(3000));
  await expect(page.getByTestId('dataset-title')).toHaveText('split', { timeout: 60_000 });
  const warnings = page.getByTestId('ingest-warnings');
  await expect(warnings).toContainText('split.csv was loaded with 1 warning');
  await expect(warnings.locator('li')).toHaveCount(1);
  await expect(warnings).toContainText('3,000 subjects have records split across the file: subjects 1, 2, 3, 4, 5 …');

  await page.reload();
  await expect.poll(async () => (await storedDatasetNames(page)).sort()).toEqual(['latin1', 'proto', 'split', 'xss']);
  expect(await injectedMarkup(page)).toEqual([]);
  expect(dialogs).toEqual([]);
});
