import type { Page } from '@playwright/test';
import { ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { run } from './fixtures/headless-runner';

interface DosesOutput {
  answers: unknown[];
  curves: unknown[];
  uncertainty: unknown;
  dose_workers: number;
  fit_workers: number;
  results_digest: string;
  seconds: number;
}

/** The headless dose questions of EstData's preset (N = 200, 20 replicates) on a runner page with `threads`. */
async function dosesOn(page: Page, threads: number): Promise<DosesOutput> {
  await page.goto(`/headless.html?threads=${threads}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return run<DosesOutput>(page, 'doses-mechanistic', { csvText: ESTDATA_CSV, fileName: 'EstData.csv', nVirtual: 200, seed: 1 });
}

test('the fit on 2 fit workers and the dose questions on 2 dose workers give the 1-thread answers, curves and bands bit for bit', async ({
  appPage: page,
  context,
}) => {
  const one = await dosesOn(page, 1);
  const two = await dosesOn(await context.newPage(), 2);
  expect(one.dose_workers).toBe(0);
  expect(two.dose_workers).toBe(2);
  expect([one.fit_workers, two.fit_workers]).toEqual([0, 2]);
  // Every answer's and curve's number at full precision (points, bands, steady-state checks): the same doubles.
  expect(two.results_digest).toBe(one.results_digest);
  expect({ answers: two.answers, curves: two.curves, uncertainty: two.uncertainty }).toEqual({
    answers: one.answers,
    curves: one.curves,
    uncertainty: one.uncertainty,
  });
  console.log(`EstData dose questions (N = 200): ${one.seconds} s on 1 thread, ${two.seconds} s on 2 fit and 2 dose workers`);
});
