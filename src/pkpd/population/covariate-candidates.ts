/**
 * The candidates of a covariate search (covariate-search.ts): every covariate column of the study on
 * every parameter with a random effect, each in one form chosen from the column's values.
 *
 * Columns: the file's numeric columns that are not standard NONMEM columns (the Dataset's
 * `covariates`, as the study binding reads them: one baseline value per subject), or the ones
 * `columns` names. Left out, each with the reason (`SkippedColumn`):
 * - dose-like columns (DOSE, ARM, TRT, … as guess-spec.ts recognises them) unless named: they describe
 *   the design, not the subjects;
 * - columns that vary within subjects (a search on baseline values of a time-varying covariate would
 *   answer another question), with a missing value for a subject, or one value for all;
 * - categorical columns other than 0/1: two values other than 0 and 1, or integers with 3 to
 *   `CATEGORY_LIMIT` values (the factor form needs 0/1 columns: recode them, e.g. SEX − 1, or one
 *   0/1 column per category).
 * Forms: `factor` for a 0/1 column; `power` for a continuous column with positive values, `linear`
 * otherwise, both centred on the column's median over the study's subjects (written into the
 * effect, so every fit of the search and a refit of the chosen spec use the same centre).
 *
 * Parameters: those with a random effect (`model.randomEffects`; an SD fixed at 0 is none) that the
 * resolved structure has (E0/BASE, EMAX/IMAX, EC50/IC50 mapped as parameter-model.ts maps them).
 * Pairs the spec already fixes (an effect with a `value`) are not candidates: they stay as they are.
 */
import { findCovariate } from '../../data/explore/covariate-lookup';
import type { Dataset } from '../../data/types';
import { modelParameters } from '../../study/model-parameters';
import type { StudySubject } from '../../study/study-data';
import { DOSE_LIKE } from '../../study/guess-spec';
import {
  type CovariateEffect,
  type ModelParameter,
  type PdModelSpec,
  type PkModelSpec,
  PK_PARAMETERS,
  randomEffectNames,
  type StudyModelSpec,
} from '../../study/study-spec';
import { effectName, mapParameter, median, type Stage } from './parameter-model';

/** Integer columns with at most this many values (and more than two) are categorical. */
export const CATEGORY_LIMIT = 5;

export interface CovariateCandidate {
  /** θ name, e.g. "CL~WT". */
  name: string;
  /** The effect as a spec holds it (column in upper case; power and linear with their reference; no value: estimated). */
  effect: CovariateEffect;
  /** The stage of the sequential fit whose objective tests it. */
  stage: Stage;
}

export interface SkippedColumn {
  column: string;
  reason: string;
}

export interface CandidateChoice {
  candidates: CovariateCandidate[];
  /** Columns considered and left out, with the reason. */
  skipped: SkippedColumn[];
  /** Parameters the candidates act on, in the structure's order. */
  parameters: ModelParameter[];
}

export interface CandidateOptions {
  /** Columns to search (any case); absent: every covariate column of the file except dose-like ones. */
  columns?: readonly string[];
}

/** How a column enters the search, or why it does not. */
export type ColumnForm = { form: 'power' | 'linear'; reference: number } | { form: 'factor' } | { skip: string };

/** The form of a column from its subjects' values (see the header). */
export function columnForm(values: readonly number[]): ColumnForm {
  if (values.some((v) => !Number.isFinite(v))) return { skip: 'a subject has no value' };
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length < 2) return { skip: 'one value for every subject' };
  if (distinct.length === 2) {
    if (distinct[0] === 0 && distinct[1] === 1) return { form: 'factor' };
    return { skip: `two values (${distinct.join(', ')}), not 0/1: recode it as a 0/1 column` };
  }
  if (distinct.length <= CATEGORY_LIMIT && distinct.every(Number.isInteger)) {
    return { skip: `categorical (${distinct.length} integer values): recode it into 0/1 columns` };
  }
  return { form: distinct[0] > 0 ? 'power' : 'linear', reference: median(values) };
}

/** The parameters with a random effect that the structure has, in its parameter order. */
export function randomEffectParameters(
  model: StudyModelSpec,
  pk: PkModelSpec & { compartments: 1 | 2 },
  pd: Exclude<PdModelSpec, { family: 'auto' }> | undefined,
): ModelParameter[] {
  const available = modelParameters(pk, pd);
  const fixedSds = Array.isArray(model.randomEffects) ? {} : model.randomEffects;
  const named = new Set<ModelParameter>();
  for (const name of randomEffectNames(model)) {
    if (fixedSds[name] === 0) continue;
    const mapped = mapParameter(name, available);
    if (mapped !== undefined) named.add(mapped);
  }
  return available.filter((p) => named.has(p));
}

/** The search's candidates for a study (subjects as bound through its spec) and a resolved structure. */
export function covariateCandidates(
  dataset: Dataset,
  subjects: readonly StudySubject[],
  model: StudyModelSpec,
  structure: { pk: PkModelSpec & { compartments: 1 | 2 }; pd?: Exclude<PdModelSpec, { family: 'auto' }> },
  options: CandidateOptions = {},
): CandidateChoice {
  const skipped: SkippedColumn[] = [];
  const named = options.columns?.map((c) => c.toUpperCase());
  const columns: string[] = [];
  for (const column of named ?? dataset.covariates.map((c) => c.name.toUpperCase())) {
    if (columns.includes(column)) continue;
    const covariate = findCovariate(dataset, column);
    if (!covariate) skipped.push({ column, reason: 'not a numeric covariate column of the file' });
    else if (!named && DOSE_LIKE.test(column))
      skipped.push({ column, reason: 'dose-like: the design, not the subjects (name it to search it)' });
    else if (covariate.kind !== 'subject') skipped.push({ column, reason: 'varies within subjects' });
    else columns.push(column);
  }
  const parameters = randomEffectParameters(model, structure.pk, structure.pd);
  const fixedPairs = new Set(model.covariates.filter((c) => c.value !== undefined).map((c) => effectName(c.on, c.column)));
  const candidates: CovariateCandidate[] = [];
  for (const column of columns) {
    const form = columnForm(subjects.map((s) => s.covariates[column]));
    if ('skip' in form) {
      skipped.push({ column, reason: form.skip });
      continue;
    }
    for (const on of parameters) {
      const name = effectName(on, column);
      if (fixedPairs.has(name)) continue;
      const effect: CovariateEffect = form.form === 'factor' ? { column, on, form: 'factor' } : { column, on, ...form };
      candidates.push({ name, effect, stage: (PK_PARAMETERS as readonly string[]).includes(on) ? 'pk' : 'pd' });
    }
  }
  return { candidates, skipped, parameters };
}
