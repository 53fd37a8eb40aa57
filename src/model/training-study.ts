/**
 * The study spec a training run reads (features, endpoints, groups, criterion): the one the page
 * sends (the study settings being edited), else the spec stored with the dataset (src/store,
 * dataset-study.ts), else the one proposed for the data — the EstData preset for the demo data, a
 * guess from the file otherwise (src/study/guess-spec.ts).
 */
import { datasetFingerprint } from '../data/fingerprint';
import type { Dataset } from '../data/types';
import type { DatasetSource } from '../store/dataset-source';
import { listDatasets } from '../store/datasets';
import { proposeStudy } from '../study/guess-spec';
import type { StudySpec } from '../study/study-spec';

export async function trainingStudy(source: DatasetSource, dataset: Dataset, sent: StudySpec | null = null): Promise<StudySpec> {
  if (sent) return sent;
  if ('storedDatasetId' in source) {
    const meta = (await listDatasets()).find((m) => m.id === source.storedDatasetId);
    if (meta?.study?.spec) return meta.study.spec;
  }
  return proposeStudy(dataset, datasetFingerprint(dataset)).spec;
}
