import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelDocument } from '../model/serialize';
import { exampleFacts } from '../model/trained-model-fixture';
import { closeStudioDatabase, openStudioDatabase } from './database';
import { StorageQuotaError, StoredItemMissingError } from './errors';
import { DATABASE_NAME, MIGRATIONS, type StudioSchema } from './schema';
import {
  deleteTrainedModel,
  listTrainedModels,
  loadTrainedModel,
  recordTestEvaluation,
  renameTrainedModel,
  storeTrainedModel,
  TestAlreadyEvaluatedError,
} from './models';

/** Stands in for saveModel()'s output: the store keeps it as it is. */
const document = {
  format: 'qpkpd-studio/pkpd-model',
  version: 1,
  branches: [{ weights: new Array(5).fill(0.25) }],
} as unknown as ModelDocument;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

afterEach(async () => {
  await closeStudioDatabase();
  vi.restoreAllMocks();
});

describe('trained model store', () => {
  it('stores, lists (oldest first), loads, renames and deletes models', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1000);
    const first = await storeTrainedModel({ name: ' QNN run ', facts: exampleFacts(), document });
    vi.spyOn(Date, 'now').mockReturnValue(2000);
    const second = await storeTrainedModel({ name: 'Classical run', facts: exampleFacts({ datasetName: 'Other' }), document });
    expect(first).toMatchObject({ name: 'QNN run', createdAt: 1000, datasetName: 'EstData', fingerprint: '43ce49c019bf6eba' });
    expect((await listTrainedModels()).map((m) => m.name)).toEqual(['QNN run', 'Classical run']);

    const loaded = await loadTrainedModel(first.id);
    expect(loaded.meta).toEqual(first);
    expect(loaded.document).toEqual(document);
    expect(loaded.meta.validation.pd?.rmse).toBe(0.93);

    await renameTrainedModel(second.id, '  Control ');
    expect((await listTrainedModels()).map((m) => m.name)).toEqual(['QNN run', 'Control']);
    await expect(renameTrainedModel(second.id, '  ')).rejects.toThrow(/cannot be empty/);

    await deleteTrainedModel(first.id);
    expect((await listTrainedModels()).map((m) => m.id)).toEqual([second.id]);
    await expect(loadTrainedModel(first.id)).rejects.toBeInstanceOf(StoredItemMissingError);
  });

  it('adds " (2)" when the name is taken, in any capitals', async () => {
    for (const [now, name] of [
      [1, 'Run'],
      [2, 'Run'],
      [3, 'RUN'],
    ] as const) {
      vi.spyOn(Date, 'now').mockReturnValue(now);
      await storeTrainedModel({ name, facts: exampleFacts(), document });
    }
    expect((await listTrainedModels()).map((m) => m.name)).toEqual(['Run', 'Run (2)', 'RUN (3)']);
  });

  it('refuses to rename a model to another one’s name in any capitals, or to an over-long name, as the dataset list does', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1);
    const first = await storeTrainedModel({ name: 'QNN run', facts: exampleFacts(), document });
    vi.spyOn(Date, 'now').mockReturnValue(2);
    const second = await storeTrainedModel({ name: 'Control', facts: exampleFacts(), document });
    await expect(renameTrainedModel(second.id, 'qnn RUN')).rejects.toThrow(
      'Another model is already named “QNN run” (names are compared without regard to capitals). Choose another name.',
    );
    await expect(renameTrainedModel(second.id, 'n'.repeat(201))).rejects.toThrow(/A model name can have at most 200 characters/);
    await expect(storeTrainedModel({ name: 'n'.repeat(2_000_000), facts: exampleFacts(), document })).rejects.toThrow(
      /at most 200 characters; this one has 2,000,000/,
    );
    expect((await listTrainedModels()).map((m) => m.name)).toEqual(['QNN run', 'Control']);
    expect((await renameTrainedModel(first.id, 'QNN RUN')).name).toBe('QNN RUN');
  });

  it('records the final test evaluation once and refuses a second one', async () => {
    const meta = await storeTrainedModel({ name: 'Run', facts: exampleFacts(), document });
    const test = { pk: null, pd: { n: 30, rmse_z: 0.3, mae_z: 0.2, r2_z: 0.7, rmse: 1.1, mae: 0.8, r2: 0.7 } };
    const evaluated = await recordTestEvaluation(meta.id, test, 5000);
    expect(evaluated).toMatchObject({ test, testEvaluatedAt: 5000 });
    await expect(recordTestEvaluation(meta.id, { pk: null, pd: null }, 6000)).rejects.toBeInstanceOf(TestAlreadyEvaluatedError);
    expect((await loadTrainedModel(meta.id)).meta).toMatchObject({ test, testEvaluatedAt: 5000 });
  });

  it('writes nothing and reports clearly when the quota is exceeded', async () => {
    await storeTrainedModel({ name: 'Existing', facts: exampleFacts(), document });
    const store = globalThis.IDBObjectStore.prototype;
    const realAdd = store.add;
    // the weights are written first; the description then fails
    vi.spyOn(store, 'add').mockImplementation(function (this: IDBObjectStore, value, key) {
      if (this.name === 'model-meta') throw new DOMException('quota', 'QuotaExceededError');
      return realAdd.call(this, value, key);
    });
    const attempt = storeTrainedModel({ name: 'Too big', facts: exampleFacts(), document });
    await expect(attempt).rejects.toBeInstanceOf(StorageQuotaError);
    await expect(attempt).rejects.toThrow(/Nothing was saved/);
    vi.restoreAllMocks();
    const list = await listTrainedModels();
    expect(list.map((m) => m.name)).toEqual(['Existing']);
    expect(await (await openStudioDatabase()).count('model-data')).toBe(1);
  });

  it('upgrades a database of the first schema version, keeping its datasets', async () => {
    const v1 = await openDB<StudioSchema>(DATABASE_NAME, 1, { upgrade: (db, _old, _new, tx) => MIGRATIONS[0](db, tx) });
    await v1.put('dataset-data', { id: 'kept', dataset: {} as never, warnings: [] });
    v1.close();
    expect(await listTrainedModels()).toEqual([]);
    await storeTrainedModel({ name: 'Run', facts: exampleFacts(), document });
    const db = await openStudioDatabase();
    expect(db.version).toBe(MIGRATIONS.length);
    expect(await db.getAllKeys('dataset-data')).toEqual(['kept']);
    expect(await db.countFromIndex('model-meta', 'by-dataset', 'dataset-1')).toBe(1);
  });
});
