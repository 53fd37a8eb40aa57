/**
 * A fitted population model in the three exports' languages at once — NONMEM, nlmixr2, mrgsolve —
 * or the reason it cannot be exported (a hybrid model's covariate network): what a Doses run carries
 * (src/dose/dose-run-report.ts `DoseRunControl.exportModel`; the dose worker passes this function).
 */
import type { MechanisticRunReport } from '../../dose/dose-run-report';
import type { StudyFitResult } from '../../pkpd/population/fit-study';
import { fileNameOf } from '../file-name';
import { ModelExportError } from './exported-model';
import { exportMrgsolve } from './mrgsolve';
import { exportNlmixr2 } from './nlmixr2';
import { exportNonmem } from './nonmem';

export function modelExportsOf(fitted: StudyFitResult): Pick<MechanisticRunReport, 'modelExports' | 'modelExportsProblem'> {
  try {
    const options = { baseName: fileNameOf(fitted.spec.name || 'model') };
    return {
      modelExports: {
        nonmem: exportNonmem(fitted.spec, fitted, options),
        nlmixr2: exportNlmixr2(fitted.spec, fitted, options),
        mrgsolve: exportMrgsolve(fitted.spec, fitted, options),
      },
      modelExportsProblem: null,
    };
  } catch (error) {
    if (error instanceof ModelExportError) return { modelExports: null, modelExportsProblem: error.message };
    throw error;
  }
}
