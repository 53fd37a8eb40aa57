/**
 * The network features of a study, from its spec (src/study/study-spec.ts) — nothing about a
 * particular drug is assumed:
 * - covariates: every column a covariate effect of the spec's model uses that is a subject-level
 *   numeric covariate of the file (by name, any case, in the spec's order, each once), then those the
 *   user adds; a column that varies within subjects is left out with a note (the networks take one
 *   value per subject for a virtual subject);
 * - body weight (per-kg features): the column of the spec's first power effect on CL or V — the
 *   allometric covariate, which scales exposure — when there is one; otherwise no per-kg features;
 * - observations: the spec's PK and PD endpoints (DVID and/or CMT), not DVID 1/2;
 * - windows, decays and the terminal phase: on the study's dosing scale (dosing-scale.ts);
 * - time unit: the spec's.
 * For EstData's preset (its body weight a power effect on CL and V, a comedication factor; daily
 * doses) this gives exactly the features of the reference pipeline with our fixes: those two
 * covariates, per-kg exposure by the body weight, windows 24 … 168 h and decays 24/48/72 h
 * (study-features.test.ts, estdata.test.ts).
 */
import { findCovariate } from '../explore/covariate-lookup';
import type { Dataset } from '../types';
import type { StudySpec } from '../../study/study-spec';
import type { FeatureSpec } from './spec';

export interface StudyFeatureOptions {
  /** Options of the PK network's features. */
  pk: Omit<FeatureSpec, 'dvid'>;
  /** Options of the PD network's features; null when the study has no response endpoint. */
  pd: Omit<FeatureSpec, 'dvid'> | null;
  notes: string[];
}

/** Parameters whose power effect is the body-size (allometric) covariate. */
const SIZE_PARAMETERS = new Set(['CL', 'V']);

/** The covariate columns the spec's model uses, as the dataset names them (subject-level only; notes for the rest). */
export function studyFeatureCovariates(
  spec: StudySpec,
  dataset: Dataset,
  added: readonly string[] = [],
): { covariates: string[]; notes: string[] } {
  const covariates: string[] = [];
  const notes: string[] = [];
  for (const column of [...spec.model.covariates.map((c) => c.column), ...added]) {
    const found = findCovariate(dataset, column);
    if (!found) {
      notes.push(
        `covariate ${column.toUpperCase()} is not a numeric column of ${dataset.fileName} and was left out of the network features`,
      );
      continue;
    }
    if (covariates.includes(found.name)) continue;
    if (found.kind !== 'subject') {
      notes.push(`covariate ${found.name} varies within subjects and was left out of the network features`);
      continue;
    }
    covariates.push(found.name);
  }
  return { covariates, notes: [...new Set(notes)] };
}

/** The column of the spec's body-size covariate (its first power effect on CL or V), as the spec names it; null when none. */
export function studySizeColumn(spec: StudySpec): string | null {
  return spec.model.covariates.find((c) => c.form === 'power' && SIZE_PARAMETERS.has(c.on))?.column ?? null;
}

/** The column of the spec's body-size covariate (studySizeColumn), as the dataset names it; null when none. */
export function studyBodyWeight(spec: StudySpec, dataset: Dataset): string | null {
  const column = studySizeColumn(spec);
  if (column === null) return null;
  const found = findCovariate(dataset, column);
  return found && found.kind === 'subject' ? found.name : null;
}

/** The feature options of a study's PK and PD networks (see the file comment); `added` are covariates the user adds. */
export function studyFeatureOptions(spec: StudySpec, dataset: Dataset, added: readonly string[] = []): StudyFeatureOptions {
  const { covariates, notes } = studyFeatureCovariates(spec, dataset, added);
  const endpoints = {
    ...(spec.endpoints.pk ? { pk: { ...spec.endpoints.pk } } : {}),
    ...(spec.endpoints.pd ? { pd: { ...spec.endpoints.pd } } : {}),
  };
  const common: Omit<FeatureSpec, 'dvid'> = {
    covariates,
    bodyWeight: studyBodyWeight(spec, dataset),
    endpoints,
    timeUnit: spec.units.time,
    dosingScale: 'estimate',
  };
  const hasPd = spec.endpoints.pd !== undefined && spec.model.pd !== undefined;
  // Without a response endpoint there is no baseline PD to read.
  return { pk: { ...common, ...(hasPd ? {} : { baselinePd: false }) }, pd: hasPd ? { ...common } : null, notes };
}
