import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { DataIssue, Dataset } from '../data/types';
import type { ModelDocument } from '../model/serialize';
import type { TrainedModelMeta } from '../model/trained-model';

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
  createdAt: number;
  updatedAt: number;
}

export interface StoredDataset {
  id: string;
  dataset: Dataset;
  warnings: DataIssue[];
}

export interface StudioSchema extends DBSchema {
  'dataset-meta': { key: string; value: DatasetMeta; indexes: { 'by-created': number } };
  'dataset-data': { key: string; value: StoredDataset };
  'model-meta': { key: string; value: TrainedModelMeta; indexes: { 'by-dataset': string; 'by-created': number } };
  'model-data': { key: string; value: StoredModel };
}

export interface StoredModel {
  id: string;
  document: ModelDocument;
}

type UpgradeTransaction = IDBPTransaction<StudioSchema, StoreNames<StudioSchema>[], 'versionchange'>;
export type Migration = (db: IDBPDatabase<StudioSchema>, transaction: UpgradeTransaction) => void;

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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function runMigrations(
  migrations: readonly Migration[],
  db: IDBPDatabase<StudioSchema>,
  oldVersion: number,
  transaction: UpgradeTransaction,
): void {
  for (let version = oldVersion; version < migrations.length; version++) migrations[version](db, transaction);
}
