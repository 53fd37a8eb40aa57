import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { datasetFingerprint } from '../data/fingerprint';
import { ingestText } from '../data/ingest';
import type { ModelDocument } from '../model/serialize';
import { exampleFacts } from '../model/trained-model-fixture';
import { closeStudioDatabase } from './database';
import { listDatasets, saveDataset } from './datasets';
import { BLOCKED_MESSAGE, deleteAllData } from './delete-all';
import { listTrainedModels, storeTrainedModel } from './models';
import { DATABASE_NAME } from './schema';

const CSV = 'ID,TIME,DV,EVID,AMT,DVID\n1,0,.,1,5,0\n1,1,2.5,0,0,1\n';
const document = { format: 'qpkpd-studio/pkpd-model', version: 1, branches: [] } as unknown as ModelDocument;

/** A Cache Storage stand-in holding the named caches. */
function fakeCaches(names: string[]): { keys(): Promise<string[]>; delete(name: string): Promise<boolean> } {
  const held = new Set(names);
  return { keys: async () => [...held], delete: async (name) => held.delete(name) };
}

async function storeSomething(): Promise<void> {
  const result = ingestText(CSV, 'small.csv');
  if (!result.ok) throw new Error('fixture must ingest');
  await saveDataset({
    name: 'Small',
    fileSize: CSV.length,
    dataset: result.dataset,
    fingerprint: datasetFingerprint(result.dataset),
    warnings: [],
  });
  await storeTrainedModel({ name: 'Model', facts: exampleFacts(), document });
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

afterEach(async () => {
  await closeStudioDatabase();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('deleteAllData', () => {
  it('deletes the database (closing this page’s connection first), other databases of the origin and every cache', async () => {
    await storeSomething();
    const other = await openDB('some-library-db', 1, { upgrade: (db) => db.createObjectStore('x') });
    other.close();
    const cacheStorage = fakeCaches(['workbox-precache-v2-http://localhost/', 'other']);
    vi.stubGlobal('caches', cacheStorage);

    const result = await deleteAllData();

    expect(result.databases.sort()).toEqual([DATABASE_NAME, 'some-library-db']);
    expect(result.caches).toEqual(['workbox-precache-v2-http://localhost/', 'other']);
    expect(result.serviceWorkers).toBe(0);
    expect(await indexedDB.databases()).toEqual([]);
    expect(await cacheStorage.keys()).toEqual([]);
    // The app reopens an empty store afterwards.
    expect(await listDatasets()).toEqual([]);
    expect(await listTrainedModels()).toEqual([]);
  });

  it('works where there is no Cache Storage and no database yet', async () => {
    vi.stubGlobal('caches', undefined);
    expect(await deleteAllData()).toEqual({ databases: [DATABASE_NAME], caches: [], serviceWorkers: 0 });
    expect(await indexedDB.databases()).toEqual([]);
  });

  it('reports a connection held by another tab and finishes once it closes', async () => {
    await storeSomething();
    // Another tab running code that does not close on 'versionchange'.
    const otherTab = await openDB(DATABASE_NAME);
    const blocked = vi.fn(() => otherTab.close());

    await deleteAllData({ onBlocked: blocked });

    expect(blocked).toHaveBeenCalledWith(BLOCKED_MESSAGE);
    expect(await indexedDB.databases()).toEqual([]);
  });

  it('passes a failure on in words', async () => {
    vi.spyOn(indexedDB, 'deleteDatabase').mockImplementation(() => {
      const request = { error: new DOMException('disk on fire', 'UnknownError') } as unknown as IDBOpenDBRequest;
      queueMicrotask(() => request.onerror?.call(request, new Event('error')));
      return request;
    });
    await expect(deleteAllData()).rejects.toThrow(/could not be deleted \(disk on fire\)/);
  });
});
