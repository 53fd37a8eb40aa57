/**
 * Headless model export:
 * - 'export' { csvText, fileName, specText, specName, format }: reads and binds the CSV and the study
 *   spec as 'fit' does, fits the population model, and returns the export's files (`files`: name and
 *   text; src/export/model) with the fit's estimates, Ω and residual errors (`estimates`, `omega`,
 *   `residual`: studyFitReport's, in the spec's units). The Node runner writes the files
 *   (scripts/headless.ts `export --out DIR`).
 * `readExportInputs` is the same reading, for the runner to refuse bad inputs before it starts a browser.
 */
import { exportMrgsolve } from '../../export/model/mrgsolve';
import { exportNlmixr2 } from '../../export/model/nlmixr2';
import { exportNonmem } from '../../export/model/nonmem';
import type { ExportFile } from '../../export/model/exported-model';
import { fileNameOf } from '../../export/file-name';
import { fitStudy } from '../../pkpd/population/fit-study';
import { studyFitReport, type StudyFitReport } from '../../pkpd/population/report';
import type { Dataset } from '../../data/types';
import type { StudySpec } from '../../study/study-spec';
import { registerHeadlessCommand } from '../registry';
import { FitInputError, readFitInputs, type FitArgs } from './fit';

export const EXPORT_FORMATS = ['nonmem', 'nlmixr2', 'mrgsolve'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportArgs extends FitArgs {
  format: string;
}

export interface ExportResult {
  files: ExportFile[];
  estimates: StudyFitReport['estimates'];
  omega: StudyFitReport['omega'];
  residual: StudyFitReport['residual'];
}

const WRITERS = { nonmem: exportNonmem, nlmixr2: exportNlmixr2, mrgsolve: exportMrgsolve } as const;

/** readFitInputs, and a known format; throws a FitInputError saying what is wrong. */
export function readExportInputs(args: ExportArgs): { dataset: Dataset; spec: StudySpec; format: ExportFormat } {
  if (!(EXPORT_FORMATS as readonly string[]).includes(args.format)) {
    throw new FitInputError(`Unknown export format "${args.format}"; choose ${EXPORT_FORMATS.join(', ')}.`);
  }
  return { ...readFitInputs(args), format: args.format as ExportFormat };
}

/** Fits and exports; the files are named after the data file (theo_sd.csv → theo-sd.ctl, theo-sd.csv). */
export function exportFittedModel(args: ExportArgs): ExportResult {
  const { dataset, spec, format } = readExportInputs(args);
  const fit = fitStudy(dataset, spec);
  const baseName = fileNameOf(args.fileName.replace(/\.[^.]*$/, ''));
  const report = studyFitReport(fit);
  return {
    files: WRITERS[format](spec, fit, { baseName }).files,
    estimates: report.estimates,
    omega: report.omega,
    residual: report.residual,
  };
}

registerHeadlessCommand('export', (args) => new Promise((resolve) => resolve(exportFittedModel(args as ExportArgs))));
