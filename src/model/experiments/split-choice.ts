/**
 * Which split an experiment runs on, as a name (it crosses worker boundaries and the headless
 * runner's JSON): the training form's split names ('reference', 'cv5-fold1' … 'cv5-fold5'); the
 * headless runner's short form 'cv5:K' is read too.
 */
import { createSplitView, type SplitView } from '../../data/splits/view';
import type { Dataset } from '../../data/types';
import type { StudySpec } from '../../study/study-spec';
import { ModelConfigError } from '../errors';
import { splitOf, TRAINING_SPLITS, type TrainingSplit } from '../training-config';

/** 'reference', 'cv5-foldK' or 'cv5:K'. */
export function parseSplitChoice(text: string): TrainingSplit {
  const name = text.replace(/^cv5:(\d+)$/, 'cv5-fold$1');
  if (!(TRAINING_SPLITS as readonly string[]).includes(name)) {
    throw new ModelConfigError(`unknown split "${text}"; valid: reference, or cv5:K with K from 1 to ${TRAINING_SPLITS.length - 1}`);
  }
  return name;
}

/** The split's view, by the study's groups (its spec; null: the arms). */
export const splitView = (dataset: Dataset, split: TrainingSplit, spec: StudySpec | null = null): SplitView =>
  createSplitView(dataset, splitOf(dataset, split, spec));

/** The IDs of the test subjects an experiment on this split reads (its splitView): what the claims panel names before a run. */
export function testSubjectIds(dataset: Dataset, split: TrainingSplit, spec: StudySpec | null): string[] {
  return [...splitView(dataset, split, spec).testIds];
}
