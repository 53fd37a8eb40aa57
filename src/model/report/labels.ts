/**
 * What a model report's axes, tables and lines are labelled with: the study's time and amount units,
 * its endpoints' names and units, and the criterion of its questions. Pure (no TF.js), so that the
 * page can label what the training worker sends.
 */
import type { StudySpec } from '../../study/study-spec';
import { type ClassificationHead, legacyClassification } from '../classification';
import { PD_SUPPRESSION_THRESHOLD } from '../training-config';

/** What the report's axes and lines are labelled with: the study's units, endpoint names and criterion. */
export interface ReportLabels {
  readonly time: string;
  readonly amount: string;
  readonly pk: { readonly name: string; readonly unit: string };
  readonly pd: { readonly name: string; readonly unit: string };
  /** The criterion of the study's questions, drawn on its endpoint's plots; null: none. */
  readonly criterion: ClassificationHead | null;
}

/** The labels of a study spec (its units, endpoint names and questions' criterion). */
export function studyReportLabels(spec: StudySpec, criterion: ClassificationHead | null): ReportLabels {
  return {
    time: spec.units.time,
    amount: spec.units.amount,
    pk: { name: spec.endpoints.pk?.name ?? 'PK', unit: spec.units.concentration },
    pd: { name: spec.endpoints.pd?.name ?? 'PD', unit: spec.units.response },
    criterion,
  };
}

/** Units and endpoint names of models saved before study specs: EstData's (h, mg, ng/mL), endpoints PK and PD. */
export const LEGACY_LABELS: Omit<ReportLabels, 'criterion'> = Object.freeze({
  time: 'h',
  amount: 'mg',
  pk: Object.freeze({ name: 'PK', unit: 'ng/mL' }),
  pd: Object.freeze({ name: 'PD', unit: 'ng/mL' }),
});

/** A study with a response endpoint (and a PD model): its networks predict PD; without one, PK alone. */
export function studyHasPd(spec: StudySpec): boolean {
  return spec.endpoints.pd !== undefined && spec.model.pd !== undefined;
}

/** One endpoint as labels name it. */
export interface EndpointLabel {
  readonly target: 'pk' | 'pd';
  readonly name: string;
  readonly unit: string;
}

/** "PD (Biomarker)", "PK (Theophylline)"; "PD" when the endpoint has no name of its own. */
export function endpointTitle({ target, name }: Pick<EndpointLabel, 'target' | 'name'>): string {
  const code = target.toUpperCase();
  return name && name !== code ? `${code} (${name})` : code;
}

/**
 * The endpoint an experiment (ablation, claims check) scores and monitors: the response (PD), or
 * the concentration (PK) in a study without one — named and in the unit of the study; without a
 * study, EstData's PD in ng/mL.
 */
export function experimentEndpoint(spec: StudySpec | null): EndpointLabel {
  const labels = spec ? studyReportLabels(spec, null) : LEGACY_LABELS;
  const target = spec === null || studyHasPd(spec) ? 'pd' : 'pk';
  return { target, ...labels[target] };
}

/**
 * The labels of a trained model: those recorded with it when it was trained; for a model saved
 * without them, `fallback` (the open dataset's study, when that is the model's data), else those of
 * models saved before study specs — EstData's, with its head PD below 3.3 ng/mL when it has one.
 */
export function trainedModelLabels(
  facts: { readonly labels?: ReportLabels; readonly config: { readonly classification: boolean } },
  fallback: ReportLabels | null = null,
): ReportLabels {
  if (facts.labels) return facts.labels;
  if (fallback) return fallback;
  return { ...LEGACY_LABELS, criterion: facts.config.classification ? legacyClassification(PD_SUPPRESSION_THRESHOLD) : null };
}
