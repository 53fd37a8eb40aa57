import type { Page } from '@playwright/test';
import type { ModelReportDemo } from '../src/headless/commands/model-report';
import { ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { openRunner, run } from './fixtures/headless-runner';

/** Mounts the five result plots of a report into the headless page, in a two-column grid. */
async function mountPlots(page: Page, demo: ModelReportDemo): Promise<void> {
  await page.evaluate((demo) => {
    const grid = document.createElement('main');
    grid.style.cssText = 'display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,30rem),1fr));gap:1rem;padding:1rem';
    const add = (tag: string, props: Record<string, unknown>, id: string): void => {
      const el = Object.assign(document.createElement(tag), props);
      el.id = id;
      grid.append(el);
    };
    add('qp-pred-vs-obs-plot', { report: demo.report.targets.pk }, 'pk-pred-vs-obs');
    add('qp-pred-vs-obs-plot', { report: demo.report.targets.pd }, 'pd-pred-vs-obs');
    add('qp-subject-fit-plot', { report: demo.report.targets.pd, levels: demo.report.criterion?.levels ?? null }, 'pd-subject-fit');
    add('qp-residual-plot', { report: demo.report.targets.pk }, 'pk-residuals');
    add('qp-training-curve-plot', { points: demo.trainingCurve }, 'training-curve');
    add('qp-expert-usage-plot', { usage: demo.expertUsage }, 'expert-usage');
    document.body.append(grid);
  }, demo);
}

test('the model result plots draw a tiny trained model’s validation report', async ({ appPage: page }) => {
  test.setTimeout(90_000);
  await openRunner(page, ['model-report-demo']);
  const demo = await run<ModelReportDemo>(page, 'model-report-demo', { csvText: ESTDATA_CSV, fileName: 'EstData.csv' });
  const pk = demo.report.targets.pk!;
  const pd = demo.report.targets.pd!;
  expect(demo.report).toMatchObject({ subjectSet: 'validation', mcSamples: 5, criterion: { target: 'pd', levels: [3.3] } });
  expect(pk.points.length).toBeGreaterThan(20);
  await mountPlots(page, demo);

  // predicted vs observed: one dot and one ±1.96 SD bar per observation, the identity line, metrics in the caption
  const pkScatter = page.locator('#pk-pred-vs-obs');
  await expect(pkScatter.locator('g[aria-description="observations"] circle')).toHaveCount(pk.points.length);
  await expect(pkScatter.locator('g[aria-description="error bars"] line')).toHaveCount(pk.points.length);
  await expect(pkScatter.locator('g[aria-description="identity line"] path')).toHaveCount(1);
  await expect(pkScatter.locator('figcaption')).toContainText(`n = ${pk.points.length}`);
  await expect(pkScatter.locator('figcaption')).toContainText('log axes');
  await expect(page.locator('#pd-pred-vs-obs g[aria-description="observations"] circle')).toHaveCount(pd.points.length);
  await pkScatter.getByLabel('Colour by').selectOption('subject');
  await expect(pkScatter.locator('g[aria-description="observations"] circle')).toHaveCount(pk.points.length);

  // subject fit: the chooser lists the validation subjects; each choice redraws curve, band and observations
  const fit = page.locator('#pd-subject-fit');
  const chooser = fit.getByRole('combobox', { name: 'Subject' });
  const ids = pd.curves.map((c) => c.subject);
  await expect(chooser.locator('option')).toHaveText([...ids.map((id, i) => `ID ${id} · ${pd.curves[i].arm}`), 'All subjects (grid)']);
  for (const curve of [pd.curves[0], pd.curves.at(-1)!]) {
    await chooser.selectOption(curve.subject);
    await expect(fit.locator(`svg[aria-label$="for subject ${curve.subject}"]`)).toHaveCount(1);
    await expect(fit.locator('g[aria-description="observations"] circle')).toHaveCount(curve.observed.length);
    await expect(fit.locator('g[aria-description="MC-dropout band"] path')).toHaveCount(1);
    await expect(fit.locator('g[aria-description="prediction"] path')).toHaveCount(1);
  }
  await chooser.focus();
  await page.keyboard.press('End'); // the last option: every subject as small multiples
  await expect(fit.locator('g[aria-description="MC-dropout band"] path')).toHaveCount(ids.length);
  await expect(fit.locator('g[aria-description="observations"] circle')).toHaveCount(pd.points.length);

  // residuals: one dot per observation, a binned-mean line
  const residuals = page.locator('#pk-residuals');
  await expect(residuals.locator('g[aria-description="residuals"] circle')).toHaveCount(pk.points.length);
  await expect(residuals.locator('g[aria-description="binned mean"] path')).toHaveCount(1);

  // training curves: a line per branch and set; appending an epoch redraws
  const curves = page.locator('#training-curve');
  await expect(curves.locator('g[aria-description="training loss"] path')).toHaveCount(2);
  await expect(curves.locator('g[aria-description="validation loss"] path')).toHaveCount(2);
  const dots = curves.locator('g[aria-label="dot"] circle');
  await expect(dots).toHaveCount(demo.trainingCurve.length * 2);
  await page.evaluate(() => {
    const el = document.querySelector('qp-training-curve-plot')!;
    el.points = [...el.points, { branch: 'pd', epoch: 3, trainLoss: 0.5, valLoss: 0.6 }];
  });
  await expect(dots).toHaveCount(demo.trainingCurve.length * 2 + 2);

  // expert usage: one bar per expert of each branch's MoE block, an even-share rule per block
  const usage = page.locator('#expert-usage');
  const experts = Object.values(demo.expertUsage)
    .flat()
    .reduce((n, block) => n + block.length, 0);
  expect(experts).toBe(8);
  await expect(usage.locator('g[aria-description="expert shares"] rect')).toHaveCount(experts);
  await expect(usage.locator('g[aria-description="even share"] line')).toHaveCount(2);
  await page.evaluate(() => {
    document.querySelector('qp-expert-usage-plot')!.usage = { pk: [], pd: [] };
  });
  await expect(usage.getByRole('note')).toContainText('no mixture-of-experts blocks');
});
