import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { DataIssue, Dataset } from '../data/types';

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
}

type UpgradeTransaction = IDBPTransaction<StudioSchema, StoreNames<StudioSchema>[], 'versionchange'>;
export type Migration = (db: IDBPDatabase<StudioSchema>, transaction: UpgradeTransaction) => void;

/** Migration k brings the database from version k to k + 1. Append, never edit. */
export const MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.createObjectStore('dataset-meta', { keyPath: 'id' }).createIndex('by-created', 'createdAt');
    db.createObjectStore('dataset-data', { keyPath: 'id' });
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
