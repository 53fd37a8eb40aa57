/**
 * Headless covariate search:
 * - 'covariates' { csvText, fileName, specText, specName }: reads and binds the CSV and the study spec
 *   as 'fit' does (`readFitInputs`, the same refusals) and runs the stepwise covariate search
 *   (src/pkpd/population/covariate-search.ts), returning `covariateSearchReport`'s JSON — each step's
 *   table and the chosen `covariates` (the spec's new `model.covariates`) — and the whole spec with
 *   them (`spec`, the document a study file holds: src/store/study-file.ts), which the Node runner can
 *   write to a file (--out).
 */
import { covariateSearch } from '../../pkpd/population/covariate-search';
import { covariateSearchReport } from '../../pkpd/population/covariate-search-report';
import { studySpecDocument } from '../../store/study-file';
import { registerHeadlessCommand } from '../registry';
import { readFitInputs, type FitArgs } from './fit';

export type CovariatesArgs = Omit<FitArgs, 'patientModel'>;

registerHeadlessCommand(
  'covariates',
  (args) =>
    new Promise((resolve) => {
      const { dataset, spec } = readFitInputs(args as CovariatesArgs);
      const result = covariateSearch(dataset, spec);
      resolve({
        ...covariateSearchReport(result),
        spec: studySpecDocument(result.spec),
        backend: 'cpu (pure TypeScript, headless Chromium main thread)',
      });
    }),
);
