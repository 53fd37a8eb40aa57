/** The usual diagnostics of a sequential PK/PD fit in one plain, structured-clone-friendly object. */
import type { PkpdFitResult } from '../pkpd-fit';
import type { PkpdSubject } from '../subject-data';
import { type IndividualCurve, individualCurves } from './individual-curves';
import { diagnosticsInput, observationDiagnostics, type ObservationDiagnostic } from './observation-diagnostics';
import { visualPredictiveCheck, type VpcOptions, type VpcResult } from './vpc';

export interface MechanisticDiagnostics {
  observations: ObservationDiagnostic[];
  curves: IndividualCurve[];
  vpc: VpcResult;
}

export function mechanisticDiagnostics(fit: PkpdFitResult, subjects: readonly PkpdSubject[], vpc: VpcOptions = {}): MechanisticDiagnostics {
  const input = diagnosticsInput(fit, subjects);
  return { observations: observationDiagnostics(input), curves: individualCurves(input), vpc: visualPredictiveCheck(input, vpc) };
}
