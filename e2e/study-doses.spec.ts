/**
 * The Doses tab on any study (issue 12): each real public file of test-data/ (theophylline,
 * phenobarbital, mavoglurant) dropped, given its study spec (test-data/specs, imported in the mapping
 * step), and answered on the Doses tab — the fit shown with named estimates in the spec's units, the
 * spec's question asked in words and answered in its scenario and regimen names. Kept fast: 50 virtual
 * subjects, no uncertainty draws, 5 VPC replicates, set through the form. The questions edited in the
 * form are saved back to the dataset's study and are there after a reload.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { readRealDatasetCsv, type RealDatasetName } from '../src/testing/fixture-files';
import { dropFile, expect, test } from './fixtures/app-test';

interface RealStudy {
  data: RealDatasetName;
  spec: string;
  question: string;
  /** A row of the answers table (scenario|target|regimen) and the scenario's description. */
  row: string;
  scenario: [string, string];
  /** θ names in the fit's PK estimates, and CL's unit. */
  estimates: string[];
  clUnit: string;
  /** The guidance diagnostics checked drawn: the file's covariate columns drawn against η, the η with high shrinkage. */
  guidance?: { covariates: string[]; shrunk: string };
}

const STUDIES: RealStudy[] = [
  {
    data: 'theo_sd',
    spec: 'theophylline',
    question: 'PK (Theophylline) within 10–20 mg/L on average over the dosing interval at steady state',
    row: 'WT 70–86 kg|0.75|every 8 h',
    scenario: ['WT 70–86 kg', 'WT uniform 70–86'],
    estimates: ['CL', 'V', 'KA', 'CL~WT'],
    clUnit: 'L/h',
  },
  {
    data: 'pheno_sd',
    spec: 'phenobarbital',
    question: 'PK (Phenobarbital) within 15–40 mg/L at the trough (just before the next dose) at steady state',
    row: 'preterm (0.5–1.5 kg)|0.9|every 24 h',
    scenario: ['trial', 'covariates resampled from the trial'],
    estimates: ['CL', 'V', 'CL~WT', 'V~WT'],
    clUnit: 'L/h',
    guidance: { covariates: ['WT', 'APGR'], shrunk: 'CL' },
  },
  {
    data: 'mavoglurant',
    spec: 'mavoglurant',
    question: 'PK (Mavoglurant) above 20 ng/mL at the trough (just before the next dose) at steady state',
    row: 'trial|0.9|20-min infusion every 12 h',
    scenario: ['WT 90–115 kg', 'WT uniform 90–115'],
    estimates: ['CL', 'V', 'Q', 'V2', 'CL~WT', 'V~WT'],
    clUnit: 'L/h',
  },
];

const specText = (name: string): string => readFileSync(new URL(`../test-data/specs/${name}.study.json`, import.meta.url), 'utf8');

/** Drops the file, imports its spec in the mapping step and opens the Doses tab. */
async function openStudy(page: Page, study: RealStudy): Promise<void> {
  await dropFile(page, `${study.data}.csv`, readRealDatasetCsv(study.data));
  await expect(page.getByTestId('dataset-title')).toHaveText(study.data);
  await page
    .getByTestId('study-file-input')
    .setInputFiles({ name: `${study.spec}.qpkpd-study.json`, mimeType: 'application/json', buffer: Buffer.from(specText(study.spec)) });
  await expect(page.getByTestId('study-notice')).toContainText('Study settings imported');
  await page.getByRole('tab', { name: 'Doses' }).click();
  await expect(page.locator('qp-dose-form')).toBeVisible();
}

/** NPDE, the prediction-corrected VPC, the η plots, the convergence trace and the correlation matrix, drawn. */
async function expectGuidancePlots(page: Page, guidance: NonNullable<RealStudy['guidance']>): Promise<void> {
  const diagnostics = page.locator('qp-mechanistic-diagnostics');
  for (const plot of ['npde-time', 'npde-pred', 'pc-vpc', 'eta-hist', 'eta-qq', 'shrinkage', 'eta-cov', 'convergence', 'correlation'])
    await expect(diagnostics.locator(`figure[data-plot=${plot}] svg[aria-label]`).first(), plot).toBeVisible();
  await diagnostics.getByTestId('diagnostics-eta').selectOption({ label: `η(${guidance.shrunk})` });
  await expect(diagnostics.locator('figure[data-plot=eta-hist] figcaption')).toContainText('above 30 %');
  for (const column of guidance.covariates)
    await expect(diagnostics.locator(`figure[data-plot=eta-cov] svg[aria-label^="η(${guidance.shrunk}) against ${column}"]`)).toBeVisible();
  await expect(diagnostics.getByTestId('condition-number')).toContainText(/Condition number \d[\d.,]* \(at most 1,000/);
}

async function runSmall(page: Page): Promise<void> {
  const form = page.locator('qp-dose-form');
  const small = { 'Virtual subjects (N)': '50', 'Uncertainty replicates (0 = no bands)': '0', 'VPC replicates (0 = no VPC)': '5' };
  for (const [label, value] of Object.entries(small)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in', { timeout: 60_000 });
}

test('each real file: the fit with named estimates and units, the spec’s question asked and answered in its names', async ({
  appPage: page,
}) => {
  await page.goto('/');
  for (const study of STUDIES) {
    await openStudy(page, study);
    await expect(page.getByTestId('dose-question')).toContainText(study.question);
    await runSmall(page);

    await expect(page.getByTestId('answers-question')).toContainText(study.question);
    const table = page.getByTestId('answers-table');
    await expect(table.locator('thead')).toContainText(`Dose (mg)`);
    await expect(table.locator(`tr[data-row="${study.row}"] td[data-cell=dose]`)).toHaveText(/^(\d+(\.\d+)?|not reached)$/);
    const [name, description] = study.scenario;
    await expect(table.locator('th[scope=rowgroup]', { hasText: name }).first()).toContainText(description);

    const fit = page.locator('qp-mechanistic-fit');
    for (const theta of study.estimates)
      await expect(fit.locator(`[data-testid=pk-estimates] tr[data-parameter="${theta}"]`), theta).toBeVisible();
    await expect(fit.locator('[data-testid=pk-estimates] tr[data-parameter=CL]')).toContainText(study.clUnit);
    await expect(page.locator('qp-mechanistic-diagnostics figure[data-plot=vpc] svg').first()).toBeVisible();
    if (study.guidance) await expectGuidancePlots(page, study.guidance);
    await expect(page.locator('qp-dose-response-plots figure svg[aria-label]').first()).toBeVisible();
    await page.getByRole('tab', { name: 'Data' }).click();
  }
});

test('the questions edited in the form are saved to the dataset’s study and come back after a reload', async ({ appPage: page }) => {
  await page.goto('/');
  const theophylline = STUDIES[0];
  await openStudy(page, theophylline);
  const form = page.locator('qp-dose-form');
  await form.getByRole('button', { name: 'Add a regimen' }).click();
  const added = form.getByRole('group', { name: 'Regimen 3: regimen 3' });
  await added.getByLabel('Name', { exact: true }).fill('every 6 h');
  await form.getByRole('group', { name: 'Regimen 3: every 6 h' }).getByLabel('Dosing interval (h)').fill('6');
  await form.getByLabel('Range high (mg/L)').fill('25');
  await expect(page.getByTestId('dose-question')).toContainText('within 10–25 mg/L');
  await form.getByRole('button', { name: 'Save to study' }).click();
  await expect(page.getByTestId('save-questions-notice')).toContainText('The questions were saved to the study');

  await page.reload();
  await page.getByRole('button', { name: theophylline.data, exact: true }).click();
  await page.getByRole('tab', { name: 'Doses' }).click();
  await expect(page.getByTestId('dose-question')).toContainText('PK (Theophylline) within 10–25 mg/L');
  await expect(form.getByRole('group', { name: 'Regimen 3: every 6 h' }).getByLabel('Dosing interval (h)')).toHaveValue('6');
  await runSmall(page);
  await expect(page.getByTestId('answers-table').locator('tr[data-row="trial|0.9|every 6 h"]')).toBeVisible();
});
