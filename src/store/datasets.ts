import type { DataIssue, Dataset } from '../data/types';
import { openStudioDatabase } from './database';
import { isQuotaError, StorageQuotaError, StoredItemMissingError } from './errors';
import type { DatasetMeta, StoredDataset } from './schema';
import { announceStoreChange } from './store-changes';

export type { DatasetMeta, StoredDataset };

export interface NewDataset {
  name: string;
  fileSize: number;
  dataset: Dataset;
  warnings: DataIssue[];
}

/** Stores a dataset and its metadata in one transaction: either both are written or neither. */
export async function saveDataset(item: NewDataset): Promise<DatasetMeta> {
  const db = await openStudioDatabase();
  const now = Date.now();
  const meta: DatasetMeta = {
    id: crypto.randomUUID(),
    name: item.name,
    fileName: item.dataset.fileName,
    fileSize: item.fileSize,
    rowCount: item.dataset.rowCount,
    subjectCount: item.dataset.subjects.length,
    observationTypes: item.dataset.observationTypes,
    warningCount: item.warnings.length,
    createdAt: now,
    updatedAt: now,
  };
  try {
    const tx = db.transaction(['dataset-meta', 'dataset-data'], 'readwrite');
    await Promise.all([
      tx.objectStore('dataset-data').add({ id: meta.id, dataset: item.dataset, warnings: item.warnings }),
      tx.objectStore('dataset-meta').add(meta),
      tx.done,
    ]);
  } catch (error) {
    if (isQuotaError(error)) throw new StorageQuotaError(`"${item.name}"`, await describeFreeSpace(item.fileSize));
    throw error;
  }
  announceStoreChange('datasets');
  return meta;
}

/** All stored datasets, oldest first. */
export async function listDatasets(): Promise<DatasetMeta[]> {
  const db = await openStudioDatabase();
  return db.getAllFromIndex('dataset-meta', 'by-created');
}

export async function loadDataset(id: string): Promise<StoredDataset> {
  const db = await openStudioDatabase();
  const stored = await db.get('dataset-data', id);
  if (!stored) throw new StoredItemMissingError('dataset', id);
  return stored;
}

export async function renameDataset(id: string, name: string): Promise<DatasetMeta> {
  const trimmed = name.trim();
  if (trimmed === '') throw new Error('A dataset name cannot be empty.');
  const db = await openStudioDatabase();
  const tx = db.transaction('dataset-meta', 'readwrite');
  const meta = await tx.store.get(id);
  if (!meta) throw new StoredItemMissingError('dataset', id);
  const renamed = { ...meta, name: trimmed, updatedAt: Date.now() };
  await Promise.all([tx.store.put(renamed), tx.done]);
  announceStoreChange('datasets');
  return renamed;
}

export async function deleteDataset(id: string): Promise<void> {
  const db = await openStudioDatabase();
  const tx = db.transaction(['dataset-meta', 'dataset-data'], 'readwrite');
  await Promise.all([tx.objectStore('dataset-meta').delete(id), tx.objectStore('dataset-data').delete(id), tx.done]);
  announceStoreChange('datasets');
}

async function describeFreeSpace(needed: number): Promise<string> {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => undefined);
  if (!estimate?.quota || estimate.usage === undefined) return '';
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
  return ` (about ${mb(needed)} MB needed, ${mb(Math.max(0, estimate.quota - estimate.usage))} MB free)`;
}
