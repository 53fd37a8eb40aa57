/**
 * The stored dataset library's rules: the demo is stored once and told by its content, names are
 * unique in any capitals and at most 200 characters, and a dataset deleted in another tab is closed.
 */
import { dropFile, ESTDATA_CSV, expect, storedDatasetNames, test, watchProblems } from './fixtures/app-test';

/** The demo's content with one value changed and the same size: a user's own file. */
const LOOKALIKE = ESTDATA_CSV.replace('\n1,58,0,0,1,13.7783,', '\n1,58,0,0,1,13.7784,');
const SMALL = 'ID,TIME,DV,EVID,AMT,DVID\n1,0,.,1,5,0\n1,1,2.5,0,0,1\n';

test('"Load demo data" again opens the stored copy instead of storing a second one', async ({ appPage: page }) => {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await page.getByRole('button', { name: 'Rename EstData' }).click();
  await page.getByLabel('New name for EstData').fill('My demo');
  await page.getByLabel('New name for EstData').press('Enter');
  await dropFile(page, 'small.csv', SMALL);
  await expect(page.getByTestId('dataset-title')).toHaveText('small');

  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('My demo');
  await expect.poll(() => storedDatasetNames(page)).toEqual(['My demo', 'small']);
});

test('a #demo link tells the demo by its content, not by a file of the same name and size', async ({ appPage: page }) => {
  expect(LOOKALIKE.length).toBe(ESTDATA_CSV.length);
  await page.goto('/');
  await dropFile(page, 'EstData.csv', LOOKALIKE);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');

  await page.goto('/#demo');
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData (2)');
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData', 'EstData (2)']);
  await page.reload();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData (2)');
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData', 'EstData (2)']);
});

test('a rename to a name in use (in any capitals) or over 200 characters is refused, saying why', async ({ appPage: page }) => {
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await dropFile(page, 'small.csv', SMALL);
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData', 'small']);

  await page.getByRole('button', { name: 'Rename small' }).click();
  const field = page.getByLabel('New name for small');
  await field.fill('ESTDATA');
  await field.press('Enter');
  const problem = page.getByTestId('rename-problem');
  await expect(problem).toHaveText(
    'Another dataset is already named “EstData” (names are compared without regard to capitals). Choose another name.',
  );
  await expect(field).toBeVisible();
  await expect(field).toHaveAttribute('maxlength', '200');
  await field.evaluate((input: HTMLInputElement, value) => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, 'n'.repeat(201));
  await expect(problem).toHaveText('A dataset name can have at most 200 characters; this one has 201. Choose a shorter name.');
  await field.press('Enter');
  await expect(field).toBeVisible();
  await field.fill('Small trial');
  await field.press('Enter');
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData', 'Small trial']);
});

test('a dataset deleted in another tab is closed here, with a notice', async ({ appPage: tabA, baseURL }) => {
  const tabB = await tabA.context().newPage();
  const problemsB = watchProblems(tabB, baseURL);
  await tabA.goto('/');
  await tabB.goto('/');
  await dropFile(tabA, 'small.csv', SMALL);
  await expect.poll(() => storedDatasetNames(tabB)).toEqual(['small']);
  await tabB.getByRole('button', { name: 'small', exact: true }).click();
  await expect(tabB.getByTestId('dataset-title')).toHaveText('small');

  await tabA.getByRole('button', { name: 'Delete small' }).click();
  await tabA.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(tabB.getByTestId('library-notice')).toContainText('The dataset “small” was deleted in another tab, so it was closed here.');
  await expect(tabB.getByTestId('dataset-title')).toHaveCount(0);
  await expect(tabB.getByTestId('welcome')).toBeVisible();
  // The tab that deleted it says nothing of the kind.
  await expect(tabA.getByTestId('library-notice')).toHaveCount(0);
  expect(problemsB, 'tab B: console errors, uncaught exceptions or foreign requests').toEqual([]);
});
