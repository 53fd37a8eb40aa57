/** Helpers shared by the experiment tests (not used by the app). */
import { estDataSpec, loadEstData } from '../../data/features/test-support';
import { referenceSplit } from '../../data/splits/split';
import { createSplitView, type SplitView } from '../../data/splits/view';
import type { ExperimentSettings } from './experiment-run';

/** Tiny networks and two epochs on EstData's preset: fast, and enough to exercise every path. */
export const TINY: ExperimentSettings = Object.freeze({
  mode: 'independent',
  study: estDataSpec(),
  seed: 1,
  architecture: { hidden: 8, depth: 1 },
  training: { epochs: 2, batchSize: 512 },
});

/** The reference split of EstData, counting (and logging) every request for the test subjects. */
export function watchedReferenceView(log: string[] = []): { view: SplitView; finalEvaluations: () => number; log: string[] } {
  const data = loadEstData();
  const inner = createSplitView(data, referenceSplit(data));
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
