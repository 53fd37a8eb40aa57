import { readFileSync } from 'node:fs';
import { ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { openRunner, run } from './fixtures/headless-runner';

interface Answer {
  scenario: string;
  target: number;
  regimen: string;
  dose_mg: number | null;
  fraction: number | null;
  ci?: [number, number];
}

interface Curve {
  scenario: string;
  regimen: string;
  doses_evaluated: number;
  highest_dose_mg: number;
  best_fraction: number;
  best_at_mg: number;
}

test('the headless runner answers the five dose questions with the mechanistic model', async ({ appPage: page }) => {
  await openRunner(page, ['doses-mechanistic']);
  const result = await run<{ model: string; answers: Answer[]; curves: Curve[]; seconds: number }>(page, 'doses-mechanistic', {
    csvText: ESTDATA_CSV,
    fileName: 'EstData.csv',
    nVirtual: 200,
    seed: 3,
  });
  expect(result.model).toBe('mechanistic');
  expect(result.answers).toHaveLength(12);
  for (const answer of result.answers) {
    const step = answer.regimen === 'daily' ? 0.5 : 5;
    expect(answer.dose_mg, `${answer.scenario} ${answer.target} ${answer.regimen}`).not.toBeNull();
    expect(Math.abs((answer.dose_mg ?? 0) / step - Math.round((answer.dose_mg ?? 0) / step))).toBeLessThan(1e-9);
    expect(answer.fraction ?? 0).toBeGreaterThanOrEqual(answer.target);
    expect(answer.ci?.[0]).toBeLessThanOrEqual(answer.fraction ?? 0);
    const curve = result.curves.find((c) => c.scenario === answer.scenario && c.regimen === answer.regimen);
    expect(curve?.highest_dose_mg).toBeGreaterThanOrEqual(answer.dose_mg ?? Infinity);
    expect(curve?.best_fraction).toBeGreaterThanOrEqual(answer.fraction ?? Infinity);
  }
  expect(result.curves).toHaveLength(6);
  const dose = (scenario: string, target: number, regimen: string): number =>
    result.answers.find((a) => a.scenario === scenario && a.target === target && a.regimen === regimen)?.dose_mg ?? NaN;
  for (const regimen of ['daily', 'weekly']) {
    // Heavier subjects and no concomitant medication need more drug; a lower target needs less.
    expect(dose('bw70_140', 0.9, regimen)).toBeGreaterThan(dose('base', 0.9, regimen));
    expect(dose('no_comed', 0.9, regimen)).toBeGreaterThan(dose('base', 0.9, regimen));
    expect(dose('base', 0.75, regimen)).toBeLessThan(dose('base', 0.9, regimen));
  }
});

test('the headless runner answers the five dose questions with a network trained on the file', async ({ appPage: page }) => {
  await openRunner(page, ['doses-network']);
  const result = await run<{
    model: string;
    answers: Answer[];
    seconds: number;
    timing_seconds: { train: number; questions: number };
    metrics: { val: { pd: { n: number } | null } };
    settings: { n_virtual: number; grid_step: number };
    plans: { interval: number; intervals: number }[];
    steady_state: { method: string; checked: number };
  }>(page, 'doses-network', { csvText: ESTDATA_CSV, fileName: 'EstData.csv', encoder: 'mlp', epochs: 3, nVirtual: 50, seed: 3 });
  expect(result.model).toBe('mlp');
  expect(result.settings).toMatchObject({ n_virtual: 50, grid_step: 0.5 });
  expect(result.answers).toHaveLength(12);
  expect(new Set(result.answers.map((a) => `${a.scenario}|${a.target}|${a.regimen}`)).size).toBe(12);
  for (const answer of result.answers) {
    expect(Number.isFinite(answer.fraction), `${answer.scenario} ${answer.target} ${answer.regimen}`).toBe(true);
    expect(answer.fraction ?? 0).toBeGreaterThanOrEqual(answer.target);
    const step = answer.regimen === 'daily' ? 0.5 : 5;
    expect(Math.abs((answer.dose_mg ?? 0) / step - Math.round((answer.dose_mg ?? 0) / step))).toBeLessThan(1e-9);
  }
  expect(result.metrics.val.pd?.n).toBeGreaterThan(0);
  expect(result.plans.map((p) => p.interval)).toEqual([24, 168]);
  expect(result.steady_state).toMatchObject({ method: 'network: last two intervals', checked: 12 });
  expect(result.timing_seconds.train).toBeGreaterThan(0);
  expect(result.seconds).toBeGreaterThanOrEqual(result.timing_seconds.questions);
});

test("a network trained through another study's spec answers that spec's question, in its names and units", async ({ appPage: page }) => {
  const read = (path: string): string => readFileSync(new URL(`../test-data/${path}`, import.meta.url), 'utf8');
  await openRunner(page, ['doses-network']);
  const result = await run<{ model: string; study: string; answers: (Answer & { unit: string })[]; question: string }>(
    page,
    'doses-network',
    {
      csvText: read('real/theo_sd.csv'),
      fileName: 'theo_sd.csv',
      specText: read('specs/theophylline.study.json'),
      specName: 'theophylline.study.json',
      encoder: 'mlp',
      epochs: 3,
      nVirtual: 30,
      seed: 3,
    },
  );
  expect(result.study).toMatch(/^Theophylline/);
  expect(result.question).toMatch(/within 10–20 mg\/L on average/);
  const regimens = new Set(result.answers.map((a) => a.regimen));
  expect([...regimens].sort()).toEqual(['every 12 h', 'every 8 h']);
  expect(new Set(result.answers.map((a) => a.scenario))).toEqual(new Set(['trial', 'WT 70–86 kg']));
  for (const a of result.answers) expect(a.unit).toBe('mg');
});

test('a file with errors is refused by the doses command with its message', async ({ appPage: page }) => {
  await openRunner(page, ['doses-mechanistic']);
  const error = await page.evaluate(() =>
    window.qpkpdHeadless.run('doses-mechanistic', { csvText: 'ID,DV\n1,2\n', fileName: 'bad.csv' }).then(
      () => 'accepted',
      (e: Error) => e.message,
    ),
  );
  expect(error).toContain('bad.csv was not accepted');
  expect(error).toContain('the required column TIME is missing');
});
