/**
 * Any study, not only EstData (issue 12): a file dropped is mapped (the guesses shown, a field changed,
 * confirmed), then explored through its study spec (groups from groupBy, every covariate, axes in the
 * spec's units); a spec is exported, imported on another dataset and reused; a spec file that cannot
 * describe the open dataset is refused with a message naming the field, and nothing is stored; the
 * demo skips the step with its preset.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { readRealDatasetCsv } from '../src/testing/fixture-files';
import { confirmStudy, dropFile, expect, storedDatasetNames, test } from './fixtures/app-test';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function field(page: Page, label: string): Locator {
  return page.getByTestId('study-mapping').getByLabel(label, { exact: true });
}

async function expectPlot(page: Page, name: string): Promise<Locator> {
  const figure = page.locator(`figure[data-plot="${name}"]`);
  await expect(figure.locator('svg').first(), `plot ${name}`).toBeVisible();
  return figure;
}

async function downloadedText(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const download = page.waitForEvent('download');
  await click();
  const file = await download;
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

test('theophylline: dropped, the guesses shown, a name changed, confirmed and explored in its units', async ({ appPage: page }) => {
  await page.goto('/');
  await dropFile(page, 'theo_sd.csv', readRealDatasetCsv('theo_sd'));
  await expect(page.getByTestId('dataset-title')).toHaveText('theo_sd');
  await expect(page.getByTestId('dataset-item')).toContainText('study settings to confirm');
  const mapping = page.getByTestId('study-mapping');
  await expect(mapping.getByRole('heading', { name: 'Check the study settings' })).toBeVisible();
  // No plots before the settings are confirmed.
  await expect(page.locator('qp-explorer')).toHaveCount(0);

  const pk = field(page, 'Drug concentration (PK)');
  await expect(pk).toHaveValue('cmt:2');
  await expect(pk.locator('option:checked')).toHaveText('CMT 2 (132 observations)');
  await expect(field(page, 'Response (PD)')).toHaveValue('');
  await expect(field(page, 'Route of the doses')).toHaveValue('oral');
  await expect(mapping).toContainText('What the file shows: the doses go into CMT 1 and the concentrations are observed in CMT 2.');
  await expect(field(page, 'Concentrations (DV of PK)')).toHaveValue('mg/L');
  await expect(field(page, 'Group subjects by')).toHaveValue('regimen');
  await field(page, 'PK name on plots').fill('Theophylline');
  await confirmStudy(page);

  await expect(page.getByTestId('study-summary')).toContainText('PK: Theophylline — CMT 2, mg/L');
  await expect(page.getByTestId('dataset-item')).not.toContainText('study settings to confirm');
  await expectPlot(page, 'group-sizes');
  await expectPlot(page, 'covariate-WT');
  const pkTime = await expectPlot(page, 'pk-time');
  await expect(pkTime.locator('figcaption')).toContainText('PK: Theophylline over time');
  await expect(pkTime.locator('svg[aria-label]').first()).toContainText('Theophylline (mg/L)');
  await expect(pkTime.locator('svg[aria-label]').first()).toContainText('Time (h)');
  // Groups by regimen: the legend names each subject's dosing.
  await expect(pkTime).toContainText('319.992 mg oral');
  await expect(page.locator('[data-note="no-pd"]')).toContainText('The study has no PD (response) endpoint');
  await expect(page.locator('figure[data-plot="pkpd-hysteresis"]')).toHaveCount(0);
  await expect(page.locator('figure[data-plot="subject"] svg').first()).toBeVisible();

  // Confirmed and stored: after a reload the dataset opens on its explorer.
  await page.reload();
  await page.getByRole('button', { name: 'theo_sd', exact: true }).click();
  await expect(page.getByTestId('study-summary')).toContainText('PK: Theophylline');
  await expectPlot(page, 'pk-time');
});

test('phenobarbital: IV chosen and grouped by Apgar score; mavoglurant: DOSE groups in ng/mL; each explored', async ({ appPage: page }) => {
  await page.goto('/');
  await dropFile(page, 'pheno_sd.csv', readRealDatasetCsv('pheno_sd'));
  await expect(page.getByTestId('dataset-title')).toHaveText('pheno_sd');
  await expect(field(page, 'Drug concentration (PK)').locator('option:checked')).toHaveText('all observations (155 observations)');
  await expect(field(page, 'Route of the doses')).toHaveValue('oral');
  await expect(field(page, 'Group subjects by').locator('option:checked')).toHaveText('Each subject’s dosing (regimen) — 56 groups');
  await field(page, 'Route of the doses').selectOption('iv');
  await field(page, 'Group subjects by').selectOption('APGR');
  await confirmStudy(page);
  await expect(page.getByTestId('study-summary')).toContainText('Doses: intravenous, mg');
  const groups = await expectPlot(page, 'group-sizes');
  await expect(groups.locator('figcaption')).toContainText('Grouped by APGR');
  const pheno = await expectPlot(page, 'pk-time');
  await expect(pheno).toContainText('APGR 1');
  await expect(pheno.locator('svg[aria-label]').first()).toContainText('Concentration (mg/L)');
  await expectPlot(page, 'covariate-WT');

  await dropFile(page, 'mavoglurant.csv', readRealDatasetCsv('mavoglurant'));
  await expect(page.getByTestId('dataset-title')).toHaveText('mavoglurant');
  await expect(field(page, 'Drug concentration (PK)').locator('option:checked')).toHaveText('CMT 2 (2,427 observations)');
  await expect(field(page, 'Route of the doses')).toHaveValue('iv');
  await expect(page.getByTestId('study-mapping')).toContainText('What the file shows: 198 doses are infusions (RATE or DUR).');
  await expect(field(page, 'Group subjects by')).toHaveValue('DOSE');
  await field(page, 'Concentrations (DV of PK)').selectOption('ng/mL');
  await confirmStudy(page);
  const mavo = await expectPlot(page, 'pk-time');
  for (const group of ['DOSE 25', 'DOSE 37.5', 'DOSE 50']) await expect(mavo).toContainText(group);
  await expect(mavo.locator('svg[aria-label]').first()).toContainText('Concentration (ng/mL)');
  for (const covariate of ['AGE', 'SEX', 'WT', 'HT']) await expectPlot(page, `covariate-${covariate}`);
  // SEX (1/2) is drawn as shares per group, AGE as a box with dots.
  await expect(page.locator('figure[data-plot="covariate-SEX"]')).toContainText('SEX 2');
  await expect(page.locator('figure[data-plot="covariate-AGE"] figcaption')).toContainText('Box: median and quartiles');
  await expect.poll(() => storedDatasetNames(page)).toEqual(['pheno_sd', 'mavoglurant']);
});

test('a problem shows at its field, the data are checked on confirming, and the step passes the WCAG 2.1 AA checks', async ({
  appPage: page,
}) => {
  await page.goto('/');
  await dropFile(page, 'mavoglurant.csv', readRealDatasetCsv('mavoglurant'));
  await expect(field(page, 'Route of the doses')).toHaveValue('iv');
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // Moles for doses with concentrations by mass: refused at the units.
  await field(page, 'Doses (AMT)').selectOption('mmol');
  const mapping = page.getByTestId('study-mapping');
  await expect(mapping.locator('[data-field="units"]')).toContainText('doses are in mmol (moles) but concentrations in mg/L (mass)');
  await field(page, 'Doses (AMT)').selectOption('mg');
  // Oral doses for a file of infusions: the data check names the route and the line.
  await field(page, 'Route of the doses').selectOption('oral');
  await page.getByTestId('study-confirm').click();
  await expect(mapping.locator('[data-field="model.pk.route"] .problem')).toContainText(
    "mavoglurant.csv, line 2: subject 793 has an infusion (RATE or DUR), but the study's route is oral",
  );
  await expect(field(page, 'Route of the doses')).toBeFocused();
  await expect(page.locator('qp-explorer')).toHaveCount(0);
  // A covariate effect, added and chosen by keyboard, then confirmed.
  await field(page, 'Route of the doses').selectOption('iv');
  await mapping.getByText('Model (compartments, PD family, covariate effects)').click();
  await mapping.getByTestId('add-effect').click();
  const effect = mapping.getByTestId('effect-row');
  await effect.getByLabel('Column').selectOption('WT');
  await effect.getByLabel('Reference').fill('70');
  const open = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(open.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await mapping.getByTestId('study-confirm').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('study-summary')).toBeVisible();
  await page.getByTestId('study-settings').click();
  await mapping.getByText('Model (compartments, PD family, covariate effects)').click();
  await expect(mapping.getByTestId('effect-row').getByLabel('Reference')).toHaveValue('70');
  await mapping.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('study-summary')).toBeVisible();
});

test('a study spec exported, remembered for files with the same header, imported on another dataset and reused', async ({
  appPage: page,
}) => {
  await page.goto('/');
  const csv = readRealDatasetCsv('mavoglurant');
  await dropFile(page, 'mavoglurant.csv', csv);
  await field(page, 'Concentrations (DV of PK)').selectOption('ng/mL');
  await field(page, 'PK name on plots').fill('Mavoglurant');
  await confirmStudy(page);
  const exported = await downloadedText(page, () => page.getByTestId('study-export').click());
  expect(exported.name).toBe('mavoglurant.qpkpd-study.json');
  const spec = JSON.parse(exported.text) as Record<string, any>;
  expect(spec).toMatchObject({
    format: 'qpkpd-study',
    groupBy: 'DOSE',
    units: { concentration: 'ng/mL' },
    endpoints: { pk: { cmt: 2, name: 'Mavoglurant' } },
  });

  // Another file with the same columns (the first 40 subjects): the spec confirmed for the header is offered.
  const lines = csv.trimEnd().split('\n');
  const ids = [...new Set(lines.slice(1).map((l) => l.split(',')[0]))].slice(0, 40);
  const part = [lines[0], ...lines.slice(1).filter((l) => ids.includes(l.split(',')[0]))].join('\n');
  await dropFile(page, 'mavo-part.csv', part);
  await expect(page.getByTestId('dataset-title')).toHaveText('mavo-part');
  await expect(page.getByTestId('study-mapping')).toContainText(
    'These are the settings you confirmed for another file with the same columns.',
  );
  await expect(field(page, 'PK name on plots')).toHaveValue('Mavoglurant');
  // A file of other columns is guessed afresh.
  await dropFile(page, 'theo_sd.csv', readRealDatasetCsv('theo_sd'));
  await expect(field(page, 'PK name on plots')).toHaveValue('');

  // The exported file imported on the part file, from its mapping step: stored, confirmed and used.
  await page.getByRole('button', { name: 'mavo-part', exact: true }).click();
  // Wait for mavo-part's own mapping step (theo_sd's is also a mapping step): its title and remembered settings.
  await expect(page.getByTestId('dataset-title')).toHaveText('mavo-part');
  await expect(field(page, 'PK name on plots')).toHaveValue('Mavoglurant');
  await page
    .getByTestId('study-file-input')
    .setInputFiles({ name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.text) });
  await expect(page.getByTestId('study-notice')).toHaveText('Study settings imported from mavoglurant.qpkpd-study.json.');
  const pkTime = await expectPlot(page, 'pk-time');
  await expect(pkTime.locator('svg[aria-label]').first()).toContainText('Mavoglurant (ng/mL)');
  await page.reload();
  await page.getByRole('button', { name: 'mavo-part', exact: true }).click();
  await expect(page.getByTestId('study-summary')).toContainText('PK: Mavoglurant — CMT 2, ng/mL');
});

test('a spec naming a missing column, an impossible distribution or a PD family without a PD endpoint is refused, naming the field; nothing is stored', async ({
  appPage: page,
}) => {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  // The demo skips the step with its preset; the settings stay one click away.
  await expect(page.getByTestId('study-mapping')).toHaveCount(0);
  const summary = page.getByTestId('study-summary');
  await expect(summary).toContainText('Study: EstData (Quantum Innovation Challenge 2025)');
  await expect(summary).toContainText('Dose questions: PD below 3.3 ng/mL');
  const pdTime = await expectPlot(page, 'pd-time');
  await expect(pdTime.locator('figcaption')).toContainText('dashed: the dose questions’ target: below 3.3 ng/mL');
  await expect(pdTime.locator('svg[aria-label]').first()).toContainText('Biomarker (ng/mL)');

  const preset = (await downloadedText(page, () => page.getByTestId('study-export').click())).text;
  const variant = (edit: (doc: Record<string, any>) => void): Buffer => {
    const doc = JSON.parse(preset) as Record<string, any>;
    edit(doc);
    return Buffer.from(JSON.stringify(doc));
  };
  const cases: [string, Buffer, string][] = [
    [
      'missing-column.qpkpd-study.json',
      variant((d) => (d.model.covariates[0].column = 'WT')),
      'model.covariates[0].column: names the column WT, which the file does not have',
    ],
    [
      'impossible.qpkpd-study.json',
      variant((d) => (d.questions.scenarios[1].covariates.BW = { normal: [80, -5] })),
      'questions.scenarios[1].covariates.BW.normal: must be [mean, sd] with sd > 0, got sd -5',
    ],
    [
      'no-pd.qpkpd-study.json',
      variant((d) => {
        delete d.endpoints.pd;
        delete d.questions;
      }),
      'model.pd: a PD model needs a response endpoint',
    ],
  ];
  const problem = page.getByTestId('study-problem');
  for (const [name, content, message] of cases) {
    await page.getByTestId('study-file-input').setInputFiles({ name, mimeType: 'application/json', buffer: content });
    await expect(problem).toContainText(`${name} was not used, and nothing was stored: ${message}`);
  }
  await expect(summary).toContainText('Groups: by DOSE');
  await expect(summary).toContainText('Dose questions: PD below 3.3 ng/mL');
  await page.reload();
  await page.getByRole('button', { name: 'EstData', exact: true }).click();
  await expect(page.getByTestId('study-summary')).toContainText('Dose questions: PD below 3.3 ng/mL');
  await expect(page.getByTestId('study-summary')).toContainText('PD: Biomarker — DVID 2, ng/mL');
});
