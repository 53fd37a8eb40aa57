/**
 * A hybrid model trained on a split, as the direct head is (train-pkpd.ts `trainPkPd` and
 * `evaluateFinal`): fitted to the split view's development subjects (training subjects teach the
 * network, validation subjects stop it early and are fitted by FOCE-I like every subject), evaluated
 * on the validation subjects, and once, at the end, on the withheld test subjects — the only place
 * that asks the split view for them. Metrics are the typical predictions' (hybrid-evaluation.ts).
 */
import type { Dataset } from '../../data/types';
import { FINAL_EVALUATION, type SplitView } from '../../data/splits/view';
import type { StudySpec } from '../../study/study-spec';
import type { TargetMetrics } from '../metrics';
import { fitHybrid, type HybridFitControl, type HybridFitOptions, type HybridFitResult } from './hybrid-fit';
import { hybridMetrics, hybridSubjects, predictHybrid } from './hybrid-evaluation';
import type { HybridModel } from './hybrid-model';

export interface HybridMetrics {
  pk: TargetMetrics | null;
  pd: TargetMetrics | null;
}

export interface HybridTraining {
  fit: HybridFitResult;
  /** Metrics on the validation subjects. */
  validation: HybridMetrics;
}

const idsOf = (dataset: Dataset, indices: readonly number[]): Set<string> => new Set(indices.map((i) => dataset.subjects[i].id));

/** Fits a hybrid model on the view's training and validation subjects; metrics on the validation subjects. */
export async function trainHybrid(
  view: SplitView,
  spec: StudySpec,
  options: Omit<HybridFitOptions, 'trainIds'>,
  control: HybridFitControl = {},
): Promise<HybridTraining> {
  const data = view.development;
  const fit = await fitHybrid(data, spec, { ...options, trainIds: [...idsOf(data, view.train)] }, control);
  return { fit, validation: evaluateHybrid(fit.model, data, idsOf(data, view.val)) };
}

/** Metrics of a hybrid model's typical predictions on a file of the study's layout (some subjects, or all). */
export function evaluateHybrid(model: HybridModel, dataset: Dataset, ids?: ReadonlySet<string>): HybridMetrics {
  return hybridMetrics(predictHybrid(model, hybridSubjects(model, dataset, ids)), model.scalers);
}

/** The final evaluation of a chosen hybrid model on the withheld test subjects. */
export function evaluateHybridFinal(model: HybridModel, view: SplitView): HybridMetrics {
  const { dataset, test } = view.finalEvaluation(FINAL_EVALUATION);
  return evaluateHybrid(model, dataset, idsOf(dataset, test));
}
