import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/app-test';
import { fillTinyTraining } from './fixtures/tiny-training';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe-core over the page (open shadow roots included) and fails with each violation, its rule and the elements it found. */
async function expectNoViolations(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const readable = violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'unknown'}): ${v.help}\n${v.nodes.map((n) => `    at ${n.target.join(' ')}\n      ${n.failureSummary?.replaceAll('\n', '\n      ') ?? ''}`).join('\n')}`,
  );
  expect(readable, `accessibility violations in ${where}`).toEqual([]);
}

/** Whether the element is where keyboard focus is (looking through shadow roots). */
function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((el) => (el.getRootNode() as Document | ShadowRoot).activeElement === el);
}

/** Presses Tab until the target has the focus. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    if (await isFocused(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** Tabs to a text or number field and types over its value. */
async function typeInto(page: Page, field: Locator, value: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(value);
}

test('the Data view with the demo data and the privacy panel pass the WCAG 2.1 AA checks', async ({ appPage: page }) => {
  await page.goto('/');
  await expectNoViolations(page, 'the empty Data view');
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await expect(page.locator('figure[data-plot="subject"] svg').first()).toBeVisible();
  await expectNoViolations(page, 'the Data view with the demo data');

  await page.getByText('Privacy & storage').click();
  await expect(page.getByTestId('storage-persistence')).not.toHaveText('…');
  await page.getByTestId('delete-all').click();
  await expect(page.getByTestId('cancel-delete-all')).toBeFocused();
  await expectNoViolations(page, 'the privacy panel');
});

test('keyboard only: demo data, Model tab, tiny training and its results, with visible focus; Model and Doses views pass the checks', async ({
  appPage: page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/');
  const demo = page.getByTestId('load-demo');
  await tabTo(page, demo);
  const outline = await demo.evaluate((el) => {
    const style = getComputedStyle(el);
    return { outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow };
  });
  expect(
    (outline.outline !== 'none' && outline.width !== '0px') || outline.shadow !== 'none',
    `focus ring ${JSON.stringify(outline)}`,
  ).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');

  // The view tabs: one Tab stop (the selected tab); arrow keys, Home and End move and select.
  await tabTo(page, page.getByRole('tab', { name: 'Data' }));
  for (const [key, view] of [
    ['End', 'Patient'],
    ['Home', 'Data'],
    ['ArrowLeft', 'Patient'],
    ['ArrowRight', 'Data'],
    ['ArrowRight', 'Model'],
  ]) {
    await page.keyboard.press(key);
    const tab = page.getByRole('tab', { name: view });
    await expect(tab, `${key} selects ${view}`).toBeFocused();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { selected: false })).toHaveCount(3);
    await expect(page.locator('qp-view-tabs [role=tab][tabindex="0"]')).toHaveText(view);
    await expect(page.getByRole('tabpanel', { name: view })).toBeVisible();
  }

  const form = page.locator('qp-training-form');
  await tabTo(page, form.getByLabel('Encoder'));
  await page.keyboard.press('Home');
  await expect(form.getByLabel('Encoder')).toHaveValue('mlp');
  await typeInto(page, form.getByLabel('Max epochs'), '3');
  await typeInto(page, form.getByLabel('Patience (epochs)'), '30');
  await tabTo(page, form.getByText('Advanced'));
  await page.keyboard.press('Enter');
  const sizes = { 'Hidden width': '8', 'Depth (blocks)': '1', 'Batch size': '512', 'MC-dropout samples (0 = no bands)': '0' };
  for (const [label, value] of Object.entries(sizes)) await typeInto(page, form.getByLabel(label, { exact: true }), value);
  await tabTo(page, form.getByRole('button', { name: 'Train' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('model-notice')).toContainText('Training finished');
  const results = page.getByTestId('model-results');
  await expect(results).toBeVisible();
  await expectNoViolations(page, 'the Model view with results');

  // A second network, saved beside the first, for the Doses view's widest answers table.
  await typeInto(page, results.getByLabel('Model name'), 'Tiny net');
  await page.keyboard.press('Enter');
  await expect(results.getByTestId('saved-as')).toContainText('Tiny net');
  await fillTinyTraining(page, { encoder: 'mlp' });
  await form.getByLabel('Seed').fill('2');
  await form.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('model-notice')).toContainText('Training finished');
  await results.getByLabel('Model name').fill('Tiny net B');
  await results.getByTestId('save-model').click();
  await expect(results.getByTestId('saved-as')).toContainText('Tiny net B');

  await page.getByRole('tab', { name: 'Doses' }).click();
  const doses = page.locator('qp-dose-form');
  await doses.getByLabel('Tiny net', { exact: true }).check();
  await doses.getByLabel('Tiny net B', { exact: true }).check();
  const small = { 'Virtual subjects (N)': '100', 'Uncertainty replicates (0 = no bands)': '0', 'VPC replicates (0 = no VPC)': '20' };
  for (const [label, value] of Object.entries(small)) await doses.getByLabel(label, { exact: true }).fill(value);
  await doses.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in', { timeout: 90_000 });
  await expect(page.locator('qp-mechanistic-diagnostics figure[data-plot=vpc] svg').first()).toBeVisible();
  // The last plots drawn (NPDE, η, convergence, correlation) are checked too.
  await expect(page.locator('qp-mechanistic-diagnostics figure[data-plot=correlation] svg').first()).toBeVisible();
  await expect(page.locator('qp-mechanistic-diagnostics figure[data-plot=eta-cov] svg').first()).toBeVisible();
  await expectNoViolations(page, 'the Doses view with answers');

  // Three models' answers fit a 1366 px wide window without sideways scrolling.
  const table = page.getByTestId('answers-table');
  await expect(table.locator('thead th[scope=colgroup]')).toHaveCount(3);
  const overflow = await table.evaluate((t) => t.scrollWidth - (t.parentElement as HTMLElement).clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
