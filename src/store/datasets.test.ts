import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { datasetFingerprint } from '../data/fingerprint';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { closeStudioDatabase, openStudioDatabase } from './database';
import { ESTDATA_FINGERPRINT, headerSignature } from '../study/guess-spec';
import { estDataPreset } from '../study/estdata-preset';
import { readEstDataCsv } from '../testing/fixture-files';
import { splitColumns } from './dataset-columns';
import {
  deleteDataset,
  listDatasets,
  loadDataset,
  loadPackedDataset,
  type NewDataset,
  rememberedStudy,
  renameDataset,
  saveDataset,
  saveDatasetStudy,
} from './datasets';
import { packDataset } from './packed-dataset';
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

describe('study specs stored with datasets', () => {
  it('stores a new dataset with the spec proposed for it: a guess, not yet confirmed; the demo data with the preset, confirmed', async () => {
    const small = await saveDataset(item('Small'));
    expect(small.study).toMatchObject({ confirmed: false, source: 'guess' });
    expect(small.study.spec.endpoints).toEqual({ pk: { dvid: 1 }, pd: { dvid: 2 } });
    const est = ingestText(readEstDataCsv(), 'EstData.csv');
    if (!est.ok) throw new Error('EstData must ingest');
    const demo = await saveDataset(item('EstData', 1, est.dataset));
    expect(demo.fingerprint).toBe(ESTDATA_FINGERPRINT);
    expect(demo.study).toMatchObject({ confirmed: true, source: 'preset', spec: estDataPreset() });
    expect((await listDatasets()).map((m) => m.study.confirmed)).toEqual([false, true]);
  });

  it('stores a confirmed spec with the dataset and remembers it for the same header, nothing else changed', async () => {
    const meta = await saveDataset(item('Small'));
    const signature = headerSignature(dataset().format.columns);
    expect(await rememberedStudy(signature)).toBeUndefined();
    const spec = { ...meta.study.spec, groupBy: 'BW', units: { ...meta.study.spec.units, concentration: 'ng/mL' as const } };
    const saved = await saveDatasetStudy(meta.id, spec, 'user', signature);
    expect(saved.study).toMatchObject({ spec, confirmed: true, source: 'user' });
    expect((await loadPackedDataset(meta.id)).meta).toEqual(saved);
    expect({ ...saved, study: meta.study, updatedAt: meta.updatedAt }).toEqual(meta);
    expect(await rememberedStudy(headerSignature(['bw', 'DVID', 'AMT', 'evid', 'DV', 'TIME', 'ID']))).toEqual(spec);
    expect(await rememberedStudy(headerSignature(['ID', 'TIME', 'DV']))).toBeUndefined();
    await expect(saveDatasetStudy('gone', spec, 'user', signature)).rejects.toBeInstanceOf(StoredItemMissingError);
  });

  it('does not offer a remembered spec the validator now refuses', async () => {
    const db = await openStudioDatabase();
    const spec = { ...estDataPreset(), groupBy: '' };
    await db.put('study-memory', { signature: 'header:x', spec, updatedAt: 1 });
    expect(await rememberedStudy('header:x')).toBeUndefined();
  });
});

describe('migration 4: a study spec for every stored dataset', () => {
  /** A database as version 3 of the app left it: datasets as columns, with fingerprints, no study specs. */
  async function versionThreeDatabase(datasets: { id: string; data: Dataset; fingerprint: string }[]): Promise<void> {
    const v3 = await openDB<StudioSchema>(DATABASE_NAME, 3, {
      upgrade: async (db, _old, _new, tx) => {
        for (const step of MIGRATIONS.slice(0, 3)) await step(db, tx);
      },
    });
    for (const { id, data, fingerprint } of datasets) {
      const { shell, pieces } = splitColumns(packDataset(data));
      const meta = {
        id,
        name: id,
        fileName: data.fileName,
        fileSize: 1,
        rowCount: data.rowCount,
        subjectCount: data.subjects.length,
        observationTypes: data.observationTypes,
        warningCount: 0,
        fingerprint,
        createdAt: 1,
        updatedAt: 1,
      };
      await v3.put('dataset-meta', meta as never);
      await v3.put('dataset-data', { id, dataset: shell, warnings: [] });
      for (const piece of pieces) await v3.put('dataset-columns', piece, [id, piece.column, piece.piece]);
    }
    v3.close();
  }

  it('gives the demo data the preset (confirmed) and other datasets the guess from their data (not confirmed)', async () => {
    const est = ingestText(readEstDataCsv(), 'EstData.csv');
    if (!est.ok) throw new Error('EstData must ingest');
    const small = dataset();
    await versionThreeDatabase([
      { id: 'demo', data: est.dataset, fingerprint: datasetFingerprint(est.dataset) },
      { id: 'small', data: small, fingerprint: datasetFingerprint(small) },
    ]);
    const metas = await listDatasets();
    expect(metas.map((m) => [m.id, m.study.confirmed, m.study.source])).toEqual([
      ['demo', true, 'preset'],
      ['small', false, 'guess'],
    ]);
    expect(metas[0].study.spec).toEqual(estDataPreset());
    // The guess read the stored data: BW is a covariate, and with two observation types there is a response.
    expect(metas[1].study.spec.endpoints).toEqual({ pk: { dvid: 1 }, pd: { dvid: 2 } });
    expect(metas[1].study.spec.model.pd).toEqual({ family: 'auto' });
    expect((await loadDataset('small')).dataset).toEqual(small);
    expect(await rememberedStudy('header:none')).toBeUndefined();
  });

  it('guesses from the metadata when a stored dataset’s data cannot be read', async () => {
    const small = dataset();
    await versionThreeDatabase([{ id: 'small', data: small, fingerprint: 'f' }]);
    const raw = await openDB(DATABASE_NAME, 3);
    await raw.delete('dataset-data', 'small');
    raw.close();
    const [meta] = await listDatasets();
    expect(meta.study).toMatchObject({ confirmed: false, source: 'guess' });
    expect(meta.study.spec.endpoints).toEqual({ pk: { dvid: 1 }, pd: { dvid: 2 } });
  });
});
