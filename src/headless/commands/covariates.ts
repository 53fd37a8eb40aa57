/**
 * Headless covariate search:
 * - 'covariates' { csvText, fileName, specText, specName }: reads and binds the CSV and the study spec
 *   as 'fit' does (`readFitInputs`, the same refusals) and runs the stepwise covariate search
 *   (src/pkpd/population/covariate-search.ts), returning `covariateSearchReport`'s JSON — each step's
 *   table and the chosen `covariates` (the spec's new `model.covariates`) — and the whole spec with
 *   them (`spec`, the document a study file holds: src/store/study-file.ts), which the Node runner can
 *   write to a file (--out). On more than one thread (`--threads N`) each step's fits run side by side
 *   on N fit workers (workers/fit-pool.ts `fitOutcomes`), with the same result.
 */
import { covariateSearch, covariateSearchAsync } from '../../pkpd/population/covariate-search';
import { covariateSearchReport } from '../../pkpd/population/covariate-search-report';
import { studySpecDocument } from '../../store/study-file';
import { sharedFitPool } from '../../../workers/fit-pool';
import { registerHeadlessCommand } from '../registry';
import { readFitInputs, type FitArgs } from './fit';

export type CovariatesArgs = Omit<FitArgs, 'patientModel'>;

registerHeadlessCommand('covariates', async (args) => {
  // More than one thread: each step's fits side by side on the fit workers (started while the inputs are read).
  const pool = sharedFitPool();
  const { dataset, spec } = readFitInputs(args as CovariatesArgs);
  const result = pool
    ? await covariateSearchAsync(dataset, spec, {}, (jobs) => pool.fitOutcomes(dataset, jobs))
    : covariateSearch(dataset, spec);
  return {
    ...covariateSearchReport(result),
    spec: studySpecDocument(result.spec),
    backend: pool
      ? `cpu (pure TypeScript: each step's fits side by side on ${pool.size} fit workers, a lone fit split by subject across them)`
      : 'cpu (pure TypeScript, headless Chromium main thread)',
    fit_workers: pool ? pool.size : 0,
  };
});
