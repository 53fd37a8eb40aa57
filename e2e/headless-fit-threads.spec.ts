import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { run } from './fixtures/headless-runner';

interface FitOutput {
  threads: number;
  backend: string;
  fingerprint: string;
  ofv: number;
  comparison: unknown[];
  seconds: number;
}

/** The headless `command` ('fit' or 'covariates') on EstData with its preset, on a runner page with `threads`. */
async function estDataOn<T>(page: Page, command: 'fit' | 'covariates', threads: number): Promise<T> {
  await page.goto(`/headless.html?threads=${threads}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return run<T>(page, command, {
    csvText: ESTDATA_CSV,
    fileName: 'EstData.csv',
    specText: readFileSync('public/demo/EstData.study.json', 'utf8'),
    specName: 'EstData.study.json',
  });
}

/** The headless fit of EstData (PK 1 and 2 compartments, then PD). */
const fitOn = (page: Page, threads: number): Promise<FitOutput> => estDataOn<FitOutput>(page, 'fit', threads);

test('the headless fit split across 2 fit workers gives the 1-thread fit bit for bit', async ({ appPage: page, context }) => {
  const one = await fitOn(page, 1);
  const two = await fitOn(await context.newPage(), 2);
  expect(one.threads).toBe(1);
  expect(two.threads).toBe(2);
  expect(two.backend).toContain('2 fit workers');
  // Every number of the fit (estimates, SEs, covariance, EBEs, residuals, traces): the same doubles.
  expect(two.fingerprint).toBe(one.fingerprint);
  expect({ ...two, seconds: 0, threads: 0, backend: '' }).toEqual({ ...one, seconds: 0, threads: 0, backend: '' });
  expect(one.comparison).toHaveLength(3);
  console.log(`EstData fit: ${one.seconds} s on 1 thread, ${two.seconds} s on 2 fit workers`);
});

interface CovariatesOutput {
  fit_workers: number;
  backend: string;
  seconds: number;
  estimates: Record<string, number | null>;
  steps: unknown[];
  [key: string]: unknown;
}

/** The headless covariate search of EstData with its preset. */
const covariatesOn = (page: Page, threads: number): Promise<CovariatesOutput> => estDataOn<CovariatesOutput>(page, 'covariates', threads);

test('the headless covariate search with its fits side by side on 2 fit workers gives the 1-thread search', async ({
  appPage: page,
  context,
}) => {
  const one = await covariatesOn(page, 1);
  const two = await covariatesOn(await context.newPage(), 2);
  expect([one.fit_workers, two.fit_workers]).toEqual([0, 2]);
  expect(two.backend).toContain('side by side on 2 fit workers');
  expect(Object.keys(one.estimates).sort()).toEqual(['BASE~COMED', 'CL~BW', 'V~BW']);
  // Every step's rows (objectives, estimates, choices), the fits counted and the spec written back.
  const same = (o: CovariatesOutput) => ({ ...o, seconds: 0, backend: '', fit_workers: 0 });
  expect(same(two)).toEqual(same(one));
  console.log(`EstData covariate search: ${one.seconds} s on 1 thread, ${two.seconds} s on 2 fit workers`);
});
