import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { closeStudioDatabase } from './database';
import { deleteDataset, listDatasets, loadDataset, renameDataset, saveDataset } from './datasets';
import { StorageQuotaError, StorageVersionError, StoredItemMissingError } from './errors';
import { DATABASE_NAME, runMigrations, SCHEMA_VERSION, type Migration } from './schema';

const CSV = 'ID,TIME,DV,EVID,AMT,DVID,BW\n1,0,.,1,5,0,70\n1,1,2.5,0,0,1,70\n2,0,9.1,0,0,2,80\n';

function dataset(): Dataset {
  const result = ingestText(CSV, 'small.csv');
  if (!result.ok) throw new Error('fixture must ingest');
  return result.dataset;
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

afterEach(async () => {
  await closeStudioDatabase();
  vi.restoreAllMocks();
});

describe('dataset store', () => {
  it('saves, lists (oldest first), loads with typed arrays intact, renames and deletes', async () => {
    const first = await saveDataset({ name: 'First', fileSize: CSV.length, dataset: dataset(), warnings: [] });
    const second = await saveDataset({ name: 'Second', fileSize: 10, dataset: dataset(), warnings: [] });
    expect(first).toMatchObject({ name: 'First', fileName: 'small.csv', rowCount: 3, subjectCount: 2, fileSize: CSV.length });
    expect((await listDatasets()).map((m) => m.name)).toEqual(['First', 'Second']);

    const stored = await loadDataset(first.id);
    expect(stored.dataset.records.time).toBeInstanceOf(Float64Array);
    expect(Array.from(stored.dataset.records.dv)).toEqual(Array.from(dataset().records.dv));
    expect(stored.dataset.subjects.map((s) => s.id)).toEqual(['1', '2']);

    await renameDataset(second.id, '  Renamed ');
    expect((await listDatasets()).map((m) => m.name)).toEqual(['First', 'Renamed']);
    await expect(renameDataset(second.id, '   ')).rejects.toThrow(/cannot be empty/);

    await deleteDataset(first.id);
    expect((await listDatasets()).map((m) => m.id)).toEqual([second.id]);
    await expect(loadDataset(first.id)).rejects.toBeInstanceOf(StoredItemMissingError);
  });

  it('keeps data across reopening the database', async () => {
    const meta = await saveDataset({ name: 'Kept', fileSize: 1, dataset: dataset(), warnings: [] });
    await closeStudioDatabase();
    expect((await listDatasets()).map((m) => m.id)).toEqual([meta.id]);
  });

  it('writes nothing and reports clearly when the quota is exceeded', async () => {
    await saveDataset({ name: 'Existing', fileSize: 1, dataset: dataset(), warnings: [] });
    const store = globalThis.IDBObjectStore.prototype;
    const realAdd = store.add;
    vi.spyOn(store, 'add').mockImplementation(function (this: IDBObjectStore, value, key) {
      if (this.name === 'dataset-data') throw new DOMException('quota', 'QuotaExceededError');
      return realAdd.call(this, value, key);
    });
    const attempt = saveDataset({ name: 'Too big', fileSize: 5e8, dataset: dataset(), warnings: [] });
    await expect(attempt).rejects.toBeInstanceOf(StorageQuotaError);
    await expect(attempt).rejects.toThrow(/Nothing was saved/);
    vi.restoreAllMocks();
    expect((await listDatasets()).map((m) => m.name)).toEqual(['Existing']);
  });

  it('explains when the stored data come from a newer app version', async () => {
    (await openDB(DATABASE_NAME, SCHEMA_VERSION + 1)).close();
    await expect(listDatasets()).rejects.toBeInstanceOf(StorageVersionError);
  });
});

describe('schema migrations', () => {
  it('applies only the migrations after the stored version, in order', () => {
    const applied: number[] = [];
    const migrations: Migration[] = [0, 1, 2].map((k) => () => applied.push(k));
    const db = {} as Parameters<Migration>[0];
    const tx = {} as Parameters<Migration>[1];
    runMigrations(migrations, db, 0, tx);
    runMigrations(migrations, db, 2, tx);
    expect(applied).toEqual([0, 1, 2, 2]);
  });
});
