/**
 * The population model a patient's doses are individualised with: a study spec whose `model` section
 * fixes every value (a published model: typical values in the spec's display units, covariate
 * effects with `value`, Ω as SDs of log-normal η, residual error), made into the StudyPopulationModel
 * a fit produces (../pkpd/population/fit-study.ts), so that a fitted model and a published one take the
 * same path.
 *
 * The study spec reader (../study/study-spec-reader.ts) already reads fixed values; what it needs
 * besides the short form is a full `questions` section (targets, regimens, scenarios).
 * `readPatientModel` fills those in when absent (targets [0.9], a regimen with the model's route every
 * 24 time units, step 1, and a "resample" scenario: none of them is used for one patient) and then
 * reads the document with the study spec reader unchanged.
 */
import type { StudyPopulationModel, ResidualValues } from '../pkpd/population/fit-study';
import { populationStages, resolveEffects } from '../pkpd/population/parameter-model';
import { residualChoice } from '../pkpd/population/stage';
import type { ModelParameter, StudySpec } from '../study/study-spec';
import { describeSpecProblems, readStudySpec, type SpecProblem } from '../study/study-spec-reader';

export type PatientModelReading = { ok: true; spec: StudySpec } | { ok: false; problems: SpecProblem[] };

/** The population model's study spec, the short `questions` form of issue 14 accepted (see the header). */
export function readPatientModel(value: unknown): PatientModelReading {
  let doc = value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const q = v.questions;
    if (typeof q === 'object' && q !== null && !Array.isArray(q)) {
      const questions = { ...(q as Record<string, unknown>) };
      const route = ((v.model as { pk?: { route?: unknown } } | undefined)?.pk?.route as string | undefined) ?? 'oral';
      questions.targets ??= [0.9];
      questions.regimens ??= [{ name: 'patient', interval: 24, route: route === 'iv' ? 'iv' : 'oral', step: 1 }];
      questions.scenarios ??= [{ name: 'patient', covariates: 'resample' }];
      doc = { ...v, questions };
    }
  }
  const reading = readStudySpec(doc);
  return reading.ok ? { ok: true, spec: reading.spec } : { ok: false, problems: reading.problems };
}

export function readPatientModelText(text: string): PatientModelReading {
  try {
    return readPatientModel(JSON.parse(text));
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `is not valid JSON (${(error as Error).message})` }] };
  }
}

export { describeSpecProblems };

/** A spec that cannot be a fixed population model: which value is missing. */
export class PatientModelError extends Error {
  override readonly name = 'PatientModelError';
}

/**
 * The StudyPopulationModel of a spec whose values are all fixed (data units, as a fit's): θ from
 * `model.parameters` and the effects' `value`, ω from `model.randomEffects` (SDs), the residual error
 * from `model.error` (exponential: the log scale; additive/proportional: natural, with `combined`), as the fit would
 * read them (stage.ts `residualChoice`). Throws a PatientModelError naming what is missing.
 */
export function fixedPopulationModel(spec: StudySpec): StudyPopulationModel {
  const m = spec.model;
  if (m.pk.compartments === 'auto') throw new PatientModelError('model.pk.compartments: a fixed model needs 1 or 2, not "auto".');
  if (m.pd?.family === 'auto') throw new PatientModelError('model.pd.family: a fixed model needs its family, not "auto".');
  const pk = { ...m.pk, compartments: m.pk.compartments };
  const pd = m.pd;
  m.covariates.forEach((c, i) => {
    if (c.value === undefined) throw new PatientModelError(`model.covariates[${i}].value: a fixed model needs the effect's value.`);
    if (c.form !== 'factor' && c.reference === undefined)
      throw new PatientModelError(`model.covariates[${i}].reference: a fixed model needs the reference of a ${c.form} effect.`);
  });
  const effects = resolveEffects(m.covariates, () => []);
  const stages = populationStages(spec, { pk, pd, effects });
  const theta: Record<string, number> = {};
  const omega: Partial<Record<ModelParameter, number>> = {};
  if (Array.isArray(m.randomEffects) && m.randomEffects.length > 0)
    throw new PatientModelError('model.randomEffects: a fixed model gives the SD of each η, e.g. { "CL": 0.25 }.');
  for (const stage of [stages.pk, stages.pd]) {
    if (!stage) continue;
    for (const t of stage.thetas) {
      if (t.fixedValue === undefined) throw new PatientModelError(`model.parameters.${t.parameter}: a fixed model needs its value.`);
      theta[t.name] = t.fixedValue;
    }
    for (const name of stage.etas) omega[name] = stage.fixedOmega[name];
  }
  const residual: StudyPopulationModel['residual'] = {};
  const endpoints: ('pk' | 'pd')[] = pd ? ['pk', 'pd'] : ['pk'];
  for (const endpoint of endpoints) {
    const given = m.error?.[endpoint];
    if (!given) throw new PatientModelError(`model.error.${endpoint}: a fixed model needs its residual error.`);
    const choice = residualChoice(endpoint, given, []);
    const values: ResidualValues = { scale: choice.scale, additive: choice.additive ?? 0, proportional: choice.proportional ?? 0 };
    if (choice.combined) values.combined = choice.combined;
    residual[endpoint] = values;
  }
  const model: StudyPopulationModel = { pk, effects, theta, omega, residual };
  if (pd) model.pd = pd;
  return model;
}
