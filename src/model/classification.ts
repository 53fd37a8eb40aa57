/**
 * The optional classification head of a model: the probability that an observation of the study's
 * question endpoint meets the question's criterion — "below T", "above T" or "within [a, b]" (the
 * study spec's `questions.criterion`; its window, which concerns a dosing interval at steady state,
 * does not apply to a single observation). A study without questions has no head. Models saved
 * before study specs had one head only, "PD below 3.3 ng/mL", stored as `{ thresholdNgMl }`: they read
 * as that criterion. Pure; the label rule is the dose questions' own (`meets`, src/dose/criterion.ts).
 */
import { meets } from '../dose/criterion';
import type { Criterion, StudySpec } from '../study/study-spec';

export interface ClassificationHead {
  /** The endpoint whose observations are labelled. */
  readonly endpoint: 'pk' | 'pd';
  readonly rule: 'below' | 'above' | 'within';
  /** Below and above. */
  readonly threshold?: number;
  /** Within: [low, high]. */
  readonly range?: readonly [number, number];
  /** Unit of the endpoint, for labels ("ng/mL"). */
  readonly unit: string;
  /** Name of the endpoint, for labels ("PD", "Theophylline"). */
  readonly name: string;
}

/** A saved head: the current shape, or `{ thresholdNgMl }` of models saved before study specs. */
export type SavedClassification = ClassificationHead | { readonly thresholdNgMl: number };

/** The head of models saved before study specs: PD below `thresholdNgMl` ng/mL. */
export function legacyClassification(thresholdNgMl: number): ClassificationHead {
  return { endpoint: 'pd', rule: 'below', threshold: thresholdNgMl, unit: 'ng/mL', name: 'PD' };
}

/** The head a study's questions ask for; null when the spec has no questions. */
export function studyClassification(spec: StudySpec): ClassificationHead | null {
  const q = spec.questions;
  if (!q) return null;
  const endpoint = q.endpoint;
  const unit = endpoint === 'pk' ? spec.units.concentration : spec.units.response;
  const name = spec.endpoints[endpoint]?.name ?? endpoint.toUpperCase();
  const c = q.criterion;
  return c.rule === 'within'
    ? { endpoint, rule: 'within', range: [c.range[0], c.range[1]], unit, name }
    : { endpoint, rule: c.rule, threshold: c.threshold, unit, name };
}

/** The head as a criterion (window: throughout, which a single value meets as itself). */
export function headCriterion(head: ClassificationHead): Criterion {
  return head.rule === 'within'
    ? { rule: 'within', range: [head.range![0], head.range![1]], window: 'throughout' }
    : { rule: head.rule, threshold: head.threshold!, window: 'throughout' };
}

/** 1 when an observed value meets the head's criterion, else 0 (NaN: 0). */
export function classificationLabel(head: ClassificationHead, value: number): 0 | 1 {
  return meets(headCriterion(head), value, value) ? 1 : 0;
}

/** "PD below 3.3 ng/mL", "Theophylline within 10–20 mg/L". */
export function describeClassification(head: ClassificationHead): string {
  const u = head.unit ? ` ${head.unit}` : '';
  return head.rule === 'within'
    ? `${head.name} within ${head.range![0]}–${head.range![1]}${u}`
    : `${head.name} ${head.rule} ${head.threshold}${u}`;
}

/** The levels a plot of the endpoint marks: the threshold, or both ends of the range. */
export function classificationLevels(head: ClassificationHead): number[] {
  return head.rule === 'within' ? [head.range![0], head.range![1]] : [head.threshold!];
}

/** Reads a saved head (already checked as numbers by the model file's reader). */
export function readClassification(saved: SavedClassification): ClassificationHead {
  return 'thresholdNgMl' in saved
    ? legacyClassification(saved.thresholdNgMl)
    : { ...saved, ...(saved.range ? { range: [saved.range[0], saved.range[1]] } : {}) };
}
