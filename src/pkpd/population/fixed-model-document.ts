/**
 * A fitted population model written as a study spec with every value fixed — the form a published
 * model takes (src/patient/population-model.ts `fixedPopulationModel` reads it back), so that any model
 * fitted in the app can be a patient's population model (issue 14):
 *
 * - the structure resolved: compartments 1 or 2 and the PD family the fit kept, never "auto";
 * - `parameters`: the typical values θ in the spec's display units (units.ts `shownUnit`, the factor
 *   `fixedTypicalValues` divides by);
 * - `covariates`: each effect the model uses, in the spec's order, with its estimated `value` and,
 *   for power and linear effects, the `reference` the fit used (the data's median where the spec gave
 *   none); effects acting on a parameter the fitted structure does not have are left out, as the fit
 *   left them out;
 * - `randomEffects`: the SD of each η;
 * - `error`: exponential (the SD of ln DV) for a log-scale residual, else additive and/or proportional,
 *   as stage.ts `residualChoice` reads them;
 * - `covariateRanges`, given the fitted subjects: the range of each covariate the effects use;
 * - units, endpoints, groupBy and questions as the spec has them.
 *
 * A model whose covariate model a fixed spec cannot express — a covariate network's shift or its
 * linear part (hybrid models, src/model/mechanistic), covariates the engine derives — is refused with
 * a FixedModelExportError naming what cannot be exported.
 */
import type { CovariateEffect, CovariateForm, ModelParameter, ResidualErrorSpec, StudyModelSpec, StudySpec } from '../../study/study-spec';
import { STUDY_LIMITS } from '../../study/study-spec-reader';
import { shownUnit } from '../../study/units';
import type { ResidualValues, StudyPopulationModel } from './fit-study';
import { populationStages } from './parameter-model';

/** The model cannot be written as a fixed study spec: what cannot be exported, and why. */
export class FixedModelExportError extends Error {
  override readonly name = 'FixedModelExportError';
}

export interface FixedModelDocumentOptions {
  /** The document's name (default: the spec's name with "fitted population model"). */
  name?: string;
  /**
   * The fitted subjects (StudyFitResult `study.subjects`): with them the document gives the range
   * [min, max] of each covariate its effects use (`model.covariateRanges`; a column whose subjects
   * all share one value has no range).
   */
  subjects?: readonly { covariates: Readonly<Record<string, number>> }[];
}

/** [min, max] of each column among the subjects, where they differ. */
function covariateRanges(
  columns: readonly string[],
  subjects: readonly { covariates: Readonly<Record<string, number>> }[],
): Record<string, [number, number]> {
  const ranges: Record<string, [number, number]> = {};
  for (const column of new Set(columns)) {
    const values = subjects.map((s) => s.covariates[column.toUpperCase()]).filter((x) => Number.isFinite(x));
    if (values.length === 0) continue;
    const low = Math.min(...values);
    const high = Math.max(...values);
    if (low < high) ranges[column] = [low, high];
  }
  return ranges;
}

function residualSpec(endpoint: 'pk' | 'pd', values: ResidualValues | undefined): ResidualErrorSpec {
  const label = endpoint.toUpperCase();
  if (!values)
    throw new FixedModelExportError(
      `The model has no ${label} residual error (the ${label} stage was not fitted), so it cannot be written as a fixed model.`,
    );
  if (values.scale === 'log') return { exponential: values.additive };
  const out: ResidualErrorSpec = {};
  if (values.additive > 0) out.additive = values.additive;
  if (values.proportional > 0) out.proportional = values.proportional;
  if (out.additive === undefined && out.proportional === undefined)
    throw new FixedModelExportError(`The model's ${label} residual error is zero; a fixed model needs one above zero.`);
  // How additive and proportional combine, where the model says (a form beside the default sum of variances).
  if (values.combined !== undefined) out.combined = values.combined;
  return out;
}

/**
 * The fitted `model` of `spec` (the spec the fit read: its covariate effects are the model's) as a
 * study spec with fixed values; see the header. Throws a FixedModelExportError naming what a fixed
 * spec cannot hold.
 */
export function fixedModelDocument(spec: StudySpec, model: StudyPopulationModel, options: FixedModelDocumentOptions = {}): StudySpec {
  const derived = model.effects.filter((e) => e.form === 'network' || e.specIndex < 0 || e.column.startsWith('@'));
  if (derived.length > 0)
    throw new FixedModelExportError(
      `The model cannot be written as a fixed study spec: ${derived.map((e) => e.name).join(', ')} ${
        derived.length === 1 ? 'is a covariate effect' : 'are covariate effects'
      } computed by a covariate network or derived by the engine, which a study spec cannot express.`,
    );
  const stages = populationStages(spec, model);
  const parameters: Partial<Record<ModelParameter, number>> = {};
  const effects: { index: number; effect: CovariateEffect }[] = [];
  const randomEffects: Partial<Record<ModelParameter, number>> = {};
  for (const stage of [stages.pk, stages.pd]) {
    if (!stage) continue;
    for (const t of stage.thetas) {
      const value = model.theta[t.name];
      if (value === undefined || !Number.isFinite(value))
        throw new FixedModelExportError(`The model has no finite value of ${t.name}, so it cannot be written as a fixed model.`);
      const e = t.effect;
      if (!e) {
        parameters[t.parameter] = value * shownUnit(t.parameter, spec.units).factor;
        continue;
      }
      const effect: CovariateEffect = {
        column: spec.model.covariates[e.specIndex]?.column ?? e.column,
        on: e.on,
        form: e.form as CovariateForm,
      };
      if (e.form !== 'factor') effect.reference = e.reference;
      effect.value = value;
      effects.push({ index: e.specIndex, effect });
    }
    for (const name of stage.etas) {
      const sd = model.omega[name];
      if (sd === undefined || !Number.isFinite(sd))
        throw new FixedModelExportError(`The model has no SD of the random effect of ${name}, so it cannot be written as a fixed model.`);
      randomEffects[name] = sd;
    }
  }
  const error: NonNullable<StudyModelSpec['error']> = { pk: residualSpec('pk', model.residual.pk) };
  if (model.pd) error.pd = residualSpec('pd', model.residual.pd);
  else if (spec.questions?.endpoint === 'pd')
    throw new FixedModelExportError(
      'The spec asks about the response (questions.endpoint "pd"), but the model has no fitted PD part ' +
        '(no response observations were used).',
    );
  const fixed: StudyModelSpec = {
    pk: { route: model.pk.route, compartments: model.pk.compartments, lag: model.pk.lag },
    covariates: effects.sort((a, b) => a.index - b.index).map((x) => x.effect),
    randomEffects,
    parameters,
    error,
  };
  if (model.pd) fixed.pd = { ...model.pd };
  if (options.subjects) {
    const ranges = covariateRanges(
      fixed.covariates.map((c) => c.column),
      options.subjects,
    );
    if (Object.keys(ranges).length > 0) fixed.covariateRanges = ranges;
  }
  const name = (options.name ?? `${spec.name} — fitted population model`).slice(0, STUDY_LIMITS.nameLength);
  return { ...spec, name, model: fixed };
}
