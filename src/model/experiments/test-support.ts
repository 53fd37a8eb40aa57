/** Helpers shared by the experiment tests (not used by the app). */
import { estDataSpec, loadEstData } from '../../data/features/test-support';
import type { SplitView } from '../../data/splits/view';
import type { Dataset } from '../../data/types';
import type { StudySpec } from '../../study/study-spec';
import { NONLINEAR_SPEC, nonlinearTrial } from '../mechanistic/testing/nonlinear-truth';
import type { ExperimentSettings } from './experiment-run';
import { splitView } from './split-choice';

/** Tiny networks and two epochs on EstData's preset: fast, and enough to exercise every path. */
export const TINY: ExperimentSettings = Object.freeze({
  mode: 'independent',
  study: estDataSpec(),
  seed: 1,
  architecture: { hidden: 8, depth: 1 },
  training: { epochs: 2, batchSize: 512 },
});

/**
 * The mechanistic head on a small simulated trial of the nonlinear-clearance truth (its spec: a
 * population model with covariate effects of WT and AGE): tiny networks, a few epochs per round.
 */
export const TINY_HYBRID: ExperimentSettings = Object.freeze({
  mode: 'independent',
  head: 'mechanistic',
  study: NONLINEAR_SPEC,
  seed: 1,
  architecture: { hidden: 8, depth: 1 },
  training: { epochs: 4 },
});

/** A trial of the nonlinear-clearance truth for TINY_HYBRID: 40 subjects. */
export const hybridTrial = (): Dataset => nonlinearTrial(40, 3);

/** The reference split of a dataset (by its study's groups), counting (and logging) every request for the test subjects. */
export function watchedView(
  data: Dataset,
  spec: StudySpec,
  log: string[] = [],
): { view: SplitView; finalEvaluations: () => number; log: string[] } {
  const inner = splitView(data, 'reference', spec);
  let calls = 0;
  const view: SplitView = {
    ...inner,
    finalEvaluation(purpose) {
      calls++;
      log.push('final-evaluation');
      return inner.finalEvaluation(purpose);
    },
  };
  return { view, finalEvaluations: () => calls, log };
}

/** The reference split of EstData, counting (and logging) every request for the test subjects. */
export const watchedReferenceView = (log: string[] = []): ReturnType<typeof watchedView> => watchedView(loadEstData(), estDataSpec(), log);
