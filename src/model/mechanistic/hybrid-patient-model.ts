/**
 * A hybrid model (hybrid-model.ts) as one patient's population model (issue 14: "any model fitted in
 * the app — mechanistic, or hybrid"). The hybrid's covariate model is a network,
 *
 *   P_i = θ_P · e^{s_P(x_i)} · e^{η_P,i}        s_P = linear part + ω_P · network_P(z),
 *
 * and for one patient with known covariates x the shift s_P(x) is a number. The patient's prior is
 * then a fixed model: the typical values θ_P · e^{s_P(x)} of this patient — each shift applied where
 * the engine applies it, so a shift of CL (V) also scales Q (V2) — with the hybrid's Ω, residual
 * error, structure and questions. `hybridPatientDocument` writes it as a fixed-value study spec with
 * no covariate effects (all of them baked in, once), by fixedModelDocument
 * (../../pkpd/population/fixed-model-document.ts: display units, Ω as SDs, residual error), so it is
 * read back as any published model (src/patient/population-model.ts `readPatientModel`,
 * `fixedPopulationModel`).
 *
 * The network runs where the dose simulator runs it: through `hybridDerivedCovariates`, which writes
 * the standardised inputs (`inputColumn`) and the network's part of each shift (`networkColumn`);
 * the parameter model (parameter-model.ts `typicalValues`) then gives the typical values at η = 0.
 * A covariate the network reads must be given — the network would otherwise read the training
 * mean — and one it reads on the log scale must be positive.
 *
 * Baseline PD: where the network reads the subject's pre-dose response (hybrid-baseline.ts,
 * BASELINE_PD_COLUMN), the patient's is its last response level at or before its first dose, the rule
 * of the training subjects' baselines (`patientBaselinePd`; below-LOQ levels are not values and are
 * skipped). Without one the document is refused: a virtual subject's baseline is drawn from the
 * training subjects, but a patient's prior must be the patient's own.
 */
import { fixedModelDocument, FixedModelExportError } from '../../pkpd/population/fixed-model-document';
import type { StudyPopulationModel } from '../../pkpd/population/fit-study';
import { covariateVector, populationStages, stageTheta, typicalValues } from '../../pkpd/population/parameter-model';
import { PatientDataError } from '../../patient/map-estimate';
import type { PatientRecord } from '../../patient/patient-record';
import { PatientModelError } from '../../patient/population-model';
import type { StudySpec } from '../../study/study-spec';
import { formatNumber } from '../../text/format';
import { BASELINE_PD_COLUMN, baselineBeforeFirstDose } from './hybrid-baseline';
import { hybridDerivedCovariates, type HybridModel } from './hybrid-model';

/** The patient's baseline PD: the last response level (not below the LOQ) at or before the first dose; NaN when none. */
export function patientBaselinePd(record: Pick<PatientRecord, 'doses' | 'observations'>): number {
  const pd = record.observations.filter((o) => o.endpoint === 'pd' && !o.blq).sort((a, b) => a.time - b.time);
  return baselineBeforeFirstDose(
    record.doses.map((d) => d.time),
    pd.map((o) => o.time),
    pd.map((o) => o.value),
  );
}

/** The network's input values of the patient, by column (upper case); a PatientDataError naming a missing one. */
function networkInputs(hybrid: HybridModel, covariates: Readonly<Record<string, number>>, baselinePd: number | undefined) {
  const given = Object.fromEntries(Object.entries(covariates).map(([c, x]) => [c.toUpperCase(), x]));
  return hybrid.inputs.columns.map((column, j) => {
    const baseline = column === BASELINE_PD_COLUMN;
    const x = baseline ? baselinePd : given[column];
    const what = baseline ? 'baselinePd' : `covariates.${column}`;
    if (x === undefined || !Number.isFinite(x))
      throw new PatientDataError(
        baseline
          ? "baselinePd: the hybrid model's network reads the patient's baseline response (the last response level at or " +
              'before the first dose); give a response level measured before the first dose.'
          : `${what}: the hybrid model's covariate network needs this covariate; give the patient's value.`,
      );
    if (hybrid.inputs.log[j] && !(x > 0))
      throw new PatientDataError(`${what}: the hybrid model's network reads it on the log scale and needs a positive value, got ${x}.`);
    return { column, x };
  });
}

/**
 * The fixed-value study spec of one patient under a hybrid model (see the header): typical values of
 * this patient (display units), no covariate effects, the hybrid's Ω, residual error, structure and
 * questions; named "<name> — for this patient (WT 82, …)", `name` the hybrid's (default: its study's).
 * Throws a PatientDataError naming a covariate the network needs that is missing (or the baseline PD
 * it reads), a PatientModelError where the model cannot be written as a fixed model.
 */
export function hybridPatientDocument(
  hybrid: HybridModel,
  covariates: Readonly<Record<string, number>>,
  baselinePd?: number,
  name: string = hybrid.spec.name,
): StudySpec {
  const inputs = networkInputs(hybrid, covariates, baselinePd);
  const derived = hybridDerivedCovariates(hybrid).derive(Object.fromEntries(inputs.map((i) => [i.column, Float64Array.of(i.x)])), 1, {});
  const row: Record<string, number> = Object.fromEntries(inputs.map((i) => [i.column, i.x]));
  for (const [column, values] of Object.entries(derived)) row[column] = values[0];
  const population = hybrid.population;
  const stages = populationStages(hybrid.spec, population);
  const theta: Record<string, number> = {};
  for (const stage of [stages.pk, stages.pd]) {
    if (!stage) continue;
    const typical = typicalValues(
      stage,
      stageTheta(population.theta, stage),
      covariateVector(stage, row),
      new Float64Array(stage.parameters.length),
    );
    stage.parameters.forEach((p, k) => {
      if (!Number.isFinite(typical[k]))
        throw new PatientModelError(
          `The hybrid model gives this patient no finite typical value of ${p}, so it cannot be the patient's model.`,
        );
      theta[p] = typical[k];
    });
  }
  const fixed: StudyPopulationModel = { pk: population.pk, effects: [], theta, omega: population.omega, residual: population.residual };
  if (population.pd) fixed.pd = population.pd;
  const shown = inputs.map((i) => `${i.column === BASELINE_PD_COLUMN ? 'baseline PD' : i.column} ${formatNumber(i.x)}`).join(', ');
  try {
    return fixedModelDocument(hybrid.spec, fixed, { name: `${name} — for this patient (${shown})` });
  } catch (error) {
    if (error instanceof FixedModelExportError) throw new PatientModelError(error.message);
    throw error;
  }
}
