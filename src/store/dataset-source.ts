/**
 * How the page hands a dataset to a worker for a run (training, dose questions, experiments): a
 * stored dataset goes as its id and the worker reads it from IndexedDB itself, since copying the
 * dataset into the worker costs the page's main thread about 0.17 s for a 50 MB file (its columns are
 * copied in one task) and more for 150,000 subjects; a dataset not stored goes as it is.
 */
import type { Dataset } from '../data/types';
import { loadDataset } from './datasets';

/** A dataset, or the id under which it is stored. */
export type DatasetSource = Dataset | { readonly storedDatasetId: string };

const storedIds = new WeakMap<Dataset, string>();

/** Records that this very dataset object is the one stored under `id` (the page's open dataset). */
export function rememberStoredId(dataset: Dataset, id: string): void {
  storedIds.set(dataset, id);
}

/** What to send a worker for `dataset`: its stored id when it is known, else the dataset. */
export function datasetSource(dataset: Dataset): DatasetSource {
  const id = storedIds.get(dataset);
  return id === undefined ? dataset : { storedDatasetId: id };
}

/** In the worker: the dataset itself (read from IndexedDB when it came as an id). */
export async function resolveDataset(source: DatasetSource): Promise<Dataset> {
  return 'storedDatasetId' in source ? (await loadDataset(source.storedDatasetId)).dataset : source;
}
