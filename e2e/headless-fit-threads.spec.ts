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

/** The headless fit of EstData (PK 1 and 2 compartments, then PD) on a runner page with `threads`. */
async function fitOn(page: Page, threads: number): Promise<FitOutput> {
  await page.goto(`/headless.html?threads=${threads}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return run<FitOutput>(page, 'fit', {
    csvText: ESTDATA_CSV,
    fileName: 'EstData.csv',
    specText: readFileSync('public/demo/EstData.study.json', 'utf8'),
    specName: 'EstData.study.json',
  });
}

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
