import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { datasetFingerprint } from '../data/fingerprint';
import type { DataIssue, Dataset } from '../data/types';
import type { StoredModelDocument } from '../model/session-model';
import type { TrainedModelMeta } from '../model/trained-model';
import { ESTDATA_FINGERPRINT, guessStudySpec, type StudyFacts, studyFacts, type StudySource } from '../study/guess-spec';
import { estDataPreset } from '../study/estdata-preset';
import type { StudySpec } from '../study/study-spec';
import { type ColumnPiece, type DatasetShell, joinColumns, splitColumns } from './dataset-columns';
import { packDataset, type PackedDataset, unpackDataset } from './packed-dataset';
import type { Sealed } from './patient-crypto';

export const DATABASE_NAME = 'qpkpd-studio';

export interface DatasetMeta {
  id: string;
  name: string;
  fileName: string;
  /** Size of the file as loaded, in bytes. */
  fileSize: number;
  rowCount: number;
  subjectCount: number;
  observationTypes: number[];
  warningCount: number;
  /** datasetFingerprint of the data, computed once when the file was read (saved models and links compare it). */
  fingerprint: string;
  createdAt: number;
  updatedAt: number;
  /** What the dataset's columns mean and what to do with them (src/study). */
  study: DatasetStudy;
}

/** A dataset's study spec, stored with its metadata. */
export interface DatasetStudy {
  spec: StudySpec;
  /**
   * True once a user confirmed the spec (the mapping step, the study settings, an imported file), and
   * for the demo data's preset; false for a guess or a spec remembered from a file with the same header.
   */
  confirmed: boolean;
  source: StudySource;
  updatedAt: number;
}

/** The spec a user last confirmed for files with one header (the sorted column names: headerSignature). */
export interface RememberedStudy {
  signature: string;
  spec: StudySpec;
  updatedAt: number;
}

/** A stored dataset as the app uses it. */
export interface StoredDataset {
  id: string;
  dataset: Dataset;
  warnings: DataIssue[];
}

/**
 * A stored dataset as IndexedDB holds it: columns instead of one object per subject (see
 * packed-dataset.ts), each column in records of 'dataset-columns' (see dataset-columns.ts).
 */
export interface StoredDatasetRecord {
  id: string;
  dataset: DatasetShell;
  warnings: DataIssue[];
}

/** One piece of one column of a stored dataset, under the key [datasetId, column, piece]. */
export type StoredColumnPiece = ColumnPiece;
export type ColumnPieceKey = [string, number, number];

/** The keys of every column piece of a dataset. */
export function columnPieceRange(datasetId: string): IDBKeyRange {
  return IDBKeyRange.bound([datasetId], [datasetId, []]);
}

export interface StudioSchema extends DBSchema {
  'dataset-meta': { key: string; value: DatasetMeta; indexes: { 'by-created': number } };
  'dataset-data': { key: string; value: StoredDatasetRecord };
  'dataset-columns': { key: ColumnPieceKey; value: StoredColumnPiece };
  'model-meta': { key: string; value: TrainedModelMeta; indexes: { 'by-dataset': string; 'by-created': number } };
  'model-data': { key: string; value: StoredModel };
  'study-memory': { key: string; value: RememberedStudy };
  'patient-vault': { key: string; value: StoredPatientVault };
  'patient-records': { key: string; value: StoredPatientRecord };
}

/** The encrypted patient vault's settings (one record, key VAULT_KEY): see patients.ts. */
export interface StoredPatientVault {
  id: string;
  /** Random per vault: a handle unlocked for another vault (deleted and made again in another tab) writes nothing. */
  vaultId: string;
  salt: Uint8Array;
  iterations: number;
  verifier: Sealed;
  createdAt: number;
}

/** One encrypted patient: its header (name, dates) and body (the qpkpd-patient document), sealed apart. */
export interface StoredPatientRecord {
  id: string;
  header: Sealed;
  body: Sealed;
}

export interface StoredModel {
  id: string;
  document: StoredModelDocument;
}

type UpgradeTransaction = IDBPTransaction<StudioSchema, StoreNames<StudioSchema>[], 'versionchange'>;
/**
 * One schema step. It may return a promise when it reads and rewrites records: it must then await
 * only requests of `transaction` (anything else would let the upgrade transaction commit early).
 */
export type Migration = (db: IDBPDatabase<StudioSchema>, transaction: UpgradeTransaction) => void | Promise<void>;

/** Migration k brings the database from version k to k + 1. Append, never edit. */
export const MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.createObjectStore('dataset-meta', { keyPath: 'id' }).createIndex('by-created', 'createdAt');
    db.createObjectStore('dataset-data', { keyPath: 'id' });
  },
  (db) => {
    const meta = db.createObjectStore('model-meta', { keyPath: 'id' });
    meta.createIndex('by-dataset', 'datasetId');
    meta.createIndex('by-created', 'createdAt');
    db.createObjectStore('model-data', { keyPath: 'id' });
  },
  // Datasets stored as columns, each column in records of its own, with the dataset's fingerprint in
  // its metadata: computed here once for datasets stored by earlier versions (a long one-time step for
  // large datasets, on the thread that opens the database first).
  async (db, transaction) => {
    db.createObjectStore('dataset-columns');
    const metaStore = transaction.objectStore('dataset-meta');
    const columns = transaction.objectStore('dataset-columns');
    for (let cursor = await transaction.objectStore('dataset-data').openCursor(); cursor; cursor = await cursor.continue()) {
      const stored = cursor.value as unknown as { id: string; dataset: Dataset | PackedDataset; warnings: DataIssue[] };
      if (!Array.isArray(stored.dataset.subjects)) continue;
      const dataset = stored.dataset as Dataset;
      const meta = await metaStore.get(stored.id);
      if (meta) await metaStore.put({ ...meta, fingerprint: datasetFingerprint(dataset) });
      const { shell, pieces } = splitColumns(packDataset(dataset));
      for (const piece of pieces) await columns.put(piece, [stored.id, piece.column, piece.piece]);
      await cursor.update({ id: stored.id, dataset: shell, warnings: stored.warnings });
    }
  },
  // Every dataset gets a study spec in its metadata: the EstData preset for the demo data (told by its
  // fingerprint), else the spec guessed from its data, not yet confirmed (the Data view asks); specs
  // users confirm are remembered per header in 'study-memory'.
  async (db, transaction) => {
    db.createObjectStore('study-memory', { keyPath: 'signature' });
    const metaStore = transaction.objectStore('dataset-meta');
    for (let cursor = await metaStore.openCursor(); cursor; cursor = await cursor.continue()) {
      const meta = cursor.value as Omit<DatasetMeta, 'study'> & { study?: DatasetStudy };
      if (meta.study) continue;
      await cursor.update({ ...meta, study: await migratedStudy(meta, transaction) });
    }
  },
  // The encrypted patient vault (issue 14): its settings and the sealed patient records.
  (db) => {
    db.createObjectStore('patient-vault', { keyPath: 'id' });
    db.createObjectStore('patient-records', { keyPath: 'id' });
  },
];

/** The study of a dataset stored before specs existed (migration 4). */
async function migratedStudy(meta: Omit<DatasetMeta, 'study'>, transaction: UpgradeTransaction): Promise<DatasetStudy> {
  const now = Date.now();
  if (meta.fingerprint === ESTDATA_FINGERPRINT) return { spec: estDataPreset(), confirmed: true, source: 'preset', updatedAt: now };
  let facts: StudyFacts;
  try {
    const columns = transaction.objectStore('dataset-columns');
    const [stored, keys] = await Promise.all([
      transaction.objectStore('dataset-data').get(meta.id),
      columns.getAllKeys(columnPieceRange(meta.id)),
    ]);
    if (!stored) throw new Error('no data');
    const pieces = await Promise.all(keys.map((key) => columns.get(key)));
    facts = studyFacts(
      unpackDataset(
        joinColumns(
          stored.dataset,
          pieces.filter((p) => p !== undefined),
          meta.fileName,
        ),
      ),
    );
  } catch {
    // Data that cannot be read here are read (and reported) when opened; the guess then rests on the metadata.
    facts = metaFacts(meta);
  }
  return { spec: guessStudySpec(facts), confirmed: false, source: 'guess', updatedAt: now };
}

/** What the metadata alone tell about a dataset's observations. */
function metaFacts(meta: Omit<DatasetMeta, 'study'>): StudyFacts {
  return {
    fileName: meta.fileName,
    columns: [],
    hasDvidColumn: true,
    hasCmtColumn: false,
    subjects: meta.subjectCount,
    observations: meta.observationTypes.map((dvid) => ({ dvid, cmt: Number.NaN, count: 0 })),
    doses: { count: 0, infusions: 0, compartments: [] },
    covariates: [],
    regimenGroups: 0,
  };
}

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Applies the migrations after `oldVersion`, in order: synchronously while they are synchronous, then
 * each after the previous one's promise. A failing step aborts the upgrade, so nothing of it is kept
 * and the database stays at its old version (the returned promise then rejects).
 */
export function runMigrations(
  migrations: readonly Migration[],
  db: IDBPDatabase<StudioSchema>,
  oldVersion: number,
  transaction: UpgradeTransaction,
): void | Promise<void> {
  for (let version = oldVersion; version < migrations.length; version++) {
    const step = migrations[version](db, transaction);
    if (step instanceof Promise) {
      return step.then(
        () => runMigrations(migrations, db, version + 1, transaction),
        (error: unknown) => {
          // The abort rejects `done`; the open request reports the failure instead.
          transaction.done.catch(() => undefined);
          try {
            transaction.abort();
          } catch {
            // already finished
          }
          throw error;
        },
      );
    }
  }
}
