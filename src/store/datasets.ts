import { rememberFingerprint } from '../data/fingerprint';
import type { DataIssue, Dataset } from '../data/types';
import type { StudySource } from '../study/guess-spec';
import type { StudySpec } from '../study/study-spec';
import { readStudySpec } from '../study/study-spec-reader';
import { openStudioDatabase } from './database';
import { isQuotaError, StorageQuotaError, StoredItemMissingError } from './errors';
import { joinColumns, splitColumns } from './dataset-columns';
import { checkedName } from './names';
import { packDataset, type PackedDataset, unpackDataset } from './packed-dataset';
import { proposedStudy } from './dataset-study';
import { columnPieceRange, type DatasetMeta, type DatasetStudy, type StoredDataset } from './schema';
import { announceStoreChange } from './store-changes';
import { studySpecDocument } from './study-file';

export type { DatasetMeta, DatasetStudy, StoredDataset };

export interface NewDataset {
  /** At most NAME_MAX_LENGTH characters; names need not be unique here (the import adds " (2)"). */
  name: string;
  fileSize: number;
  dataset: Dataset;
  /** datasetFingerprint(dataset), as the ingest worker computed it (too slow to compute on the page). */
  fingerprint: string;
  warnings: DataIssue[];
  /** The dataset's study spec; by default the one proposed for it (the demo's preset, else a guess), not yet confirmed unless the preset. */
  study?: DatasetStudy;
}

/** A stored dataset in its packed form (see packed-dataset.ts). */
export interface StoredPackedDataset {
  id: string;
  dataset: PackedDataset;
  warnings: DataIssue[];
}

/** A dataset to store in its packed form (as the ingest worker sends it), with its study spec. */
export interface NewPackedDataset extends Omit<NewDataset, 'dataset' | 'study'> {
  dataset: PackedDataset;
  study: DatasetStudy;
}

/** Stores a dataset and its metadata in one transaction: either both are written or neither. */
export async function saveDataset(item: NewDataset): Promise<DatasetMeta> {
  rememberFingerprint(item.dataset, item.fingerprint);
  const study = item.study ?? proposedStudy(item.dataset, item.fingerprint);
  return savePackedDataset({ ...item, study, dataset: packDataset(item.dataset) });
}

/**
 * `saveDataset` for a dataset already packed. IndexedDB copies what it stores on the calling thread
 * (a tenth of a second per 50 MB of columns): the page calls this through the explorer worker.
 */
export async function savePackedDataset(item: NewPackedDataset): Promise<DatasetMeta> {
  const name = checkedName('dataset', item.name);
  const packed = item.dataset;
  const db = await openStudioDatabase();
  const now = Date.now();
  const meta: DatasetMeta = {
    id: crypto.randomUUID(),
    name,
    fileName: packed.fileName,
    fileSize: item.fileSize,
    rowCount: packed.rowCount,
    subjectCount: packed.subjects.count,
    observationTypes: packed.observationTypes,
    warningCount: item.warnings.length,
    fingerprint: item.fingerprint,
    createdAt: now,
    updatedAt: now,
    study: item.study,
  };
  const { shell, pieces } = splitColumns(packed);
  try {
    const tx = db.transaction(['dataset-meta', 'dataset-data', 'dataset-columns'], 'readwrite');
    const columns = tx.objectStore('dataset-columns');
    await Promise.all([
      ...pieces.map((piece) => columns.add(piece, [meta.id, piece.column, piece.piece])),
      tx.objectStore('dataset-data').add({ id: meta.id, dataset: shell, warnings: item.warnings }),
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

/**
 * A stored dataset, with its stored fingerprint remembered (datasetFingerprint answers at once). Works
 * in workers too: IndexedDB is there, and the columns are cheap to read.
 */
export async function loadDataset(id: string): Promise<StoredDataset> {
  const { meta, stored } = await loadPackedDataset(id);
  const dataset = unpackDataset(stored.dataset);
  rememberFingerprint(dataset, meta.fingerprint);
  return { id: stored.id, dataset, warnings: stored.warnings };
}

/** A stored dataset, packed, with its metadata. */
export async function loadPackedDataset(id: string): Promise<{ meta: DatasetMeta; stored: StoredPackedDataset }> {
  const db = await openStudioDatabase();
  const tx = db.transaction(['dataset-meta', 'dataset-data', 'dataset-columns'], 'readonly');
  const columns = tx.objectStore('dataset-columns');
  const [meta, stored, keys] = await Promise.all([
    tx.objectStore('dataset-meta').get(id),
    tx.objectStore('dataset-data').get(id),
    columns.getAllKeys(columnPieceRange(id)),
  ]);
  if (!stored || !meta) throw new StoredItemMissingError('dataset', id);
  // One by one: a single answer holding every column could exceed what Chromium passes at once.
  const pieces = await Promise.all(keys.map((key) => columns.get(key)));
  await tx.done;
  const dataset = joinColumns(
    stored.dataset,
    pieces.filter((p) => p !== undefined),
    meta.fileName,
  );
  return { meta, stored: { id, dataset, warnings: stored.warnings } };
}

/** Renames a dataset; refuses a blank or over-long name and one another dataset has (in any capitals). */
export async function renameDataset(id: string, name: string): Promise<DatasetMeta> {
  checkedName('dataset', name);
  const db = await openStudioDatabase();
  const tx = db.transaction('dataset-meta', 'readwrite');
  // Checked and written in one transaction, so two tabs cannot give two datasets one name. (Refused: nothing was written.)
  const all = await tx.store.getAll();
  const meta = all.find((m) => m.id === id);
  if (!meta) throw new StoredItemMissingError('dataset', id);
  const others = all.filter((m) => m.id !== id).map((m) => m.name);
  const trimmed = checkedName('dataset', name, others);
  const renamed = { ...meta, name: trimmed, updatedAt: Date.now() };
  await Promise.all([tx.store.put(renamed), tx.done]);
  announceStoreChange('datasets');
  return renamed;
}

/**
 * Stores the spec a user confirmed (in the mapping step, the study settings or from a study file) with
 * the dataset, and remembers it for files with the same header (`signature`: headerSignature of the
 * dataset's columns), in one transaction. The spec must have passed readStudySpec.
 */
export async function saveDatasetStudy(id: string, spec: StudySpec, source: StudySource, signature: string): Promise<DatasetMeta> {
  const db = await openStudioDatabase();
  const tx = db.transaction(['dataset-meta', 'study-memory'], 'readwrite');
  const meta = await tx.objectStore('dataset-meta').get(id);
  if (!meta) throw new StoredItemMissingError('dataset', id);
  const now = Date.now();
  const updated: DatasetMeta = { ...meta, study: { spec, source, confirmed: true, updatedAt: now }, updatedAt: now };
  await Promise.all([
    tx.objectStore('dataset-meta').put(updated),
    tx.objectStore('study-memory').put({ signature, spec, updatedAt: now }),
    tx.done,
  ]);
  announceStoreChange('datasets');
  return updated;
}

/**
 * The spec last confirmed for files with this header, read again through the one validator (a spec a
 * newer rule refuses is not offered); undefined when there is none.
 */
export async function rememberedStudy(signature: string): Promise<StudySpec | undefined> {
  const db = await openStudioDatabase();
  const remembered = await db.get('study-memory', signature);
  if (!remembered) return undefined;
  const reading = readStudySpec(studySpecDocument(remembered.spec));
  return reading.ok ? reading.spec : undefined;
}

export async function deleteDataset(id: string): Promise<void> {
  const db = await openStudioDatabase();
  const tx = db.transaction(['dataset-meta', 'dataset-data', 'dataset-columns'], 'readwrite');
  await Promise.all([
    tx.objectStore('dataset-meta').delete(id),
    tx.objectStore('dataset-data').delete(id),
    tx.objectStore('dataset-columns').delete(columnPieceRange(id)),
    tx.done,
  ]);
  announceStoreChange('datasets');
}

async function describeFreeSpace(needed: number): Promise<string> {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => undefined);
  if (!estimate?.quota || estimate.usage === undefined) return '';
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
  return ` (about ${mb(needed)} MB needed, ${mb(Math.max(0, estimate.quota - estimate.usage))} MB free)`;
}
