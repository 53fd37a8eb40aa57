import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { datasetFingerprint } from '../data/fingerprint';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { closeStudioDatabase, openStudioDatabase } from './database';
import { deleteDataset, listDatasets, loadDataset, type NewDataset, renameDataset, saveDataset } from './datasets';
import { StorageQuotaError, StorageUpgradeError, StorageVersionError, StoredItemMissingError } from './errors';
import { NAME_MAX_LENGTH } from './names';
import { DATABASE_NAME, MIGRATIONS, runMigrations, SCHEMA_VERSION, type Migration, type StudioSchema } from './schema';

const CSV = 'ID,TIME,DV,EVID,AMT,DVID,BW\n1,0,.,1,5,0,70\n1,1,2.5,0,0,1,70\n2,0,9.1,0,0,2,80\n';

function dataset(csv = CSV): Dataset {
  const result = ingestText(csv, 'small.csv');
  if (!result.ok) throw new Error('fixture must ingest');
  return result.dataset;
}

/** A dataset to store as the import does: with the fingerprint the ingest worker computed. */
function item(name: string, fileSize = 1, data = dataset()): NewDataset {
  return { name, fileSize, dataset: data, fingerprint: datasetFingerprint(data), warnings: [] };
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
    const first = await saveDataset(item('First', CSV.length));
    const second = await saveDataset(item('Second', 10));
    expect(first).toMatchObject({ name: 'First', fileName: 'small.csv', rowCount: 3, subjectCount: 2, fileSize: CSV.length });
    expect((await listDatasets()).map((m) => m.name)).toEqual(['First', 'Second']);

    const stored = await loadDataset(first.id);
    expect(stored.dataset.records.time).toBeInstanceOf(Float64Array);
    expect(Array.from(stored.dataset.records.dv)).toEqual(Array.from(dataset().records.dv));
    expect(stored.dataset.subjects.map((s) => s.id)).toEqual(['1', '2']);

    await renameDataset(second.id, '  Renamed ');
    expect((await listDatasets()).map((m) => m.name)).toEqual(['First', 'Renamed']);
    await expect(renameDataset(second.id, '   ')).rejects.toThrow(/cannot be empty/);

    const db = await openStudioDatabase();
    const columnsOf = (id: string): Promise<number> => db.count('dataset-columns', IDBKeyRange.bound([id], [id, []]));
    expect(await columnsOf(first.id)).toBeGreaterThan(10);
    await deleteDataset(first.id);
    expect(await columnsOf(first.id)).toBe(0);
    expect(await columnsOf(second.id)).toBeGreaterThan(10);
    expect((await listDatasets()).map((m) => m.id)).toEqual([second.id]);
    await expect(loadDataset(first.id)).rejects.toBeInstanceOf(StoredItemMissingError);
  });

  it('keeps data across reopening the database', async () => {
    const meta = await saveDataset(item('Kept'));
    await closeStudioDatabase();
    expect((await listDatasets()).map((m) => m.id)).toEqual([meta.id]);
  });

  it('writes nothing and reports clearly when the quota is exceeded', async () => {
    await saveDataset(item('Existing'));
    const store = globalThis.IDBObjectStore.prototype;
    const realAdd = store.add;
    vi.spyOn(store, 'add').mockImplementation(function (this: IDBObjectStore, value, key) {
      if (this.name === 'dataset-data') throw new DOMException('quota', 'QuotaExceededError');
      return realAdd.call(this, value, key);
    });
    const attempt = saveDataset(item('Too big', 5e8));
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

describe('dataset store: columns, fingerprint and names', () => {
  it('stores subjects as columns and gives back the same dataset, its fingerprint remembered', async () => {
    const data = dataset();
    const meta = await saveDataset(item('Columns', 1, data));
    expect(meta.fingerprint).toBe(datasetFingerprint(data));
    const raw = await (await openStudioDatabase()).get('dataset-data', meta.id);
    expect(Array.isArray(raw?.dataset.subjects)).toBe(false);
    expect(raw?.dataset.subjects.ids).toBe('12');
    const loaded = (await loadDataset(meta.id)).dataset;
    expect(loaded).toEqual(data);
    // The stored fingerprint is the loaded object's: a wrong one stored would be what datasetFingerprint answers.
    const db = await openStudioDatabase();
    await db.put('dataset-meta', { ...meta, fingerprint: 'remembered' });
    expect(datasetFingerprint((await loadDataset(meta.id)).dataset)).toBe('remembered');
  });

  it('refuses to rename a dataset to another one’s name in any capitals, and writes nothing', async () => {
    const first = await saveDataset(item('EstData'));
    const second = await saveDataset(item('Trial'));
    await expect(renameDataset(second.id, ' estdata ')).rejects.toThrow(
      'Another dataset is already named “EstData” (names are compared without regard to capitals). Choose another name.',
    );
    expect((await listDatasets()).map((m) => m.name)).toEqual(['EstData', 'Trial']);
    // Its own name in other capitals is no clash.
    expect((await renameDataset(first.id, 'ESTDATA')).name).toBe('ESTDATA');
  });

  it(`refuses names over ${NAME_MAX_LENGTH} characters when storing and renaming`, async () => {
    const longest = 'x'.repeat(NAME_MAX_LENGTH);
    const meta = await saveDataset(item(longest));
    expect(meta.name).toBe(longest);
    const tooLong = 'y'.repeat(2_000_000);
    await expect(saveDataset(item(tooLong))).rejects.toThrow(
      `A dataset name can have at most ${NAME_MAX_LENGTH} characters; this one has 2,000,000. Choose a shorter name.`,
    );
    await expect(renameDataset(meta.id, `${longest}z`)).rejects.toThrow(/at most 200 characters; this one has 201/);
    expect((await listDatasets()).map((m) => m.name)).toEqual([longest]);
  });
});

describe('schema migrations', () => {
  it('applies only the migrations after the stored version, in order, waiting for the asynchronous ones', async () => {
    const applied: number[] = [];
    const migrations: Migration[] = [0, 1, 2].map((k) => () => void applied.push(k));
    const db = {} as Parameters<Migration>[0];
    const tx = {} as Parameters<Migration>[1];
    void runMigrations(migrations, db, 0, tx);
    void runMigrations(migrations, db, 2, tx);
    expect(applied).toEqual([0, 1, 2, 2]);

    const order: string[] = [];
    const later: Migration[] = [
      async () => {
        await Promise.resolve();
        order.push('async 0');
      },
      () => void order.push('sync 1'),
    ];
    await runMigrations(later, db, 0, tx);
    expect(order).toEqual(['async 0', 'sync 1']);
  });

  /** A database as version 2 of the app left it: datasets with one object per subject, no fingerprint. */
  async function versionTwoDatabase(datasets: { id: string; name: string; dataset: Dataset }[]): Promise<void> {
    const v2 = await openDB<StudioSchema>(DATABASE_NAME, 2, {
      upgrade: (db, _old, _new, tx) => {
        void MIGRATIONS[0](db, tx);
        void MIGRATIONS[1](db, tx);
      },
    });
    for (const { id, name, dataset: data } of datasets) {
      const { fingerprint: _none, ...meta } = { ...(await saveMetaLike(id, name, data)) };
      await v2.put('dataset-meta', meta as never);
      await v2.put('dataset-data', { id, dataset: data as never, warnings: [] });
    }
    v2.close();
  }

  async function saveMetaLike(id: string, name: string, data: Dataset) {
    return {
      id,
      name,
      fileName: data.fileName,
      fileSize: 1,
      rowCount: data.rowCount,
      subjectCount: data.subjects.length,
      observationTypes: data.observationTypes,
      warningCount: 0,
      fingerprint: '',
      createdAt: 1,
      updatedAt: 1,
    };
  }

  it('fills the fingerprint and stores subjects as columns for datasets stored by version 2', async () => {
    const small = dataset();
    const other = dataset(CSV.replace('9.1', '9.2'));
    // Version 2 had no sourceTime column: it is filled in when the dataset is read (normalizeDataset).
    const { sourceTime: _new, ...olderRecords } = small.records;
    await versionTwoDatabase([
      { id: 'a', name: 'Small', dataset: { ...small, records: olderRecords as Dataset['records'] } },
      { id: 'b', name: 'Other', dataset: other },
    ]);
    expect((await loadDataset('a')).dataset).toEqual(small);
    const metas = await listDatasets();
    expect(metas.map((m) => [m.id, m.fingerprint])).toEqual([
      ['a', datasetFingerprint(small)],
      ['b', datasetFingerprint(other)],
    ]);
    expect((await loadDataset('b')).dataset).toEqual(other);
    const raw = await (await openStudioDatabase()).get('dataset-data', 'a');
    expect(Array.isArray(raw?.dataset.subjects)).toBe(false);
  });

  it('undoes the whole upgrade when a stored dataset cannot be converted, and says so', async () => {
    const broken = dataset();
    broken.subjects[1].baseline = { OTHER: 1 };
    await versionTwoDatabase([
      { id: 'a', name: 'Fine', dataset: dataset() },
      { id: 'b', name: 'Broken', dataset: broken },
    ]);
    await expect(listDatasets()).rejects.toBeInstanceOf(StorageUpgradeError);
    const v2 = await openDB(DATABASE_NAME);
    expect(v2.version).toBe(2);
    const a = await v2.get('dataset-data', 'a');
    expect(Array.isArray(a.dataset.subjects)).toBe(true);
    expect((await v2.get('dataset-meta', 'a')).fingerprint).toBeUndefined();
    v2.close();
  });
});
