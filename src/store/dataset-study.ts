import type { Dataset } from '../data/types';
import { proposeStudy } from '../study/guess-spec';
import type { DatasetStudy } from './schema';

/** The study a newly read dataset is stored with: the demo's preset (confirmed), else a guess (not yet confirmed). */
export function proposedStudy(dataset: Dataset, fingerprint: string): DatasetStudy {
  const { spec, source } = proposeStudy(dataset, fingerprint);
  return { spec, source, confirmed: source === 'preset', updatedAt: Date.now() };
}
