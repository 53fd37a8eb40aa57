/**
 * Headless model-informed precision dosing for one patient (issue 14, src/patient):
 * - 'patient' { specText, specName, patientText, patientName }: reads the population model (a study
 *   spec with fixed values) and the patient record, and returns `patientReport`'s JSON — MAP η, the
 *   individual parameters beside the typical ones (display units), the objective, the recommended
 *   dose with its posterior probability and the interval chosen among the regimen's candidates
 *   (`recommendation.options`), `nextDose`, `steadyState`, `covariateWarnings`, `doseUnits`, seconds.
 * `readPatientCommandInputs` is the same reading, for the Node runner to refuse bad inputs before it
 * starts a browser (scripts/headless.ts exits with status 2 on a PatientInputError).
 */
import { PatientInputError, patientReport, readPatientInputs } from '../../patient/patient-report';
import { registerHeadlessCommand } from '../registry';

export interface PatientArgs {
  specText: string;
  specName: string;
  patientText: string;
  patientName: string;
}

export function readPatientCommandInputs(args: PatientArgs): ReturnType<typeof readPatientInputs> {
  const parse = (text: string, name: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new PatientInputError(`${name} is not valid JSON: ${(error as Error).message}.`);
    }
  };
  try {
    return readPatientInputs(parse(args.specText, args.specName), parse(args.patientText, args.patientName));
  } catch (error) {
    if (error instanceof PatientInputError) throw new PatientInputError(`${args.specName} / ${args.patientName}: ${error.message}`);
    throw error;
  }
}

registerHeadlessCommand(
  'patient',
  (args) =>
    new Promise((resolve) => {
      const { spec, model, record } = readPatientCommandInputs(args as PatientArgs);
      resolve(patientReport(spec, model, record));
    }),
);
