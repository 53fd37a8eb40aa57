import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasetFingerprint } from '../data/fingerprint';
import { loadEstData } from '../data/features/test-support';
import { closeStudioDatabase } from './database';
import { datasetSource, rememberStoredId, resolveDataset } from './dataset-source';
import { saveDataset } from './datasets';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

afterEach(async () => {
  await closeStudioDatabase();
});

describe('a dataset handed to a worker', () => {
  it('goes as its stored id when it is the stored one, and the worker reads the same data', async () => {
    const data = loadEstData();
    expect(datasetSource(data)).toBe(data);
    const meta = await saveDataset({ name: 'EstData', fileSize: 1, dataset: data, fingerprint: datasetFingerprint(data), warnings: [] });
    rememberStoredId(data, meta.id);
    const source = datasetSource(data);
    expect(source).toEqual({ storedDatasetId: meta.id });
    // What crosses to the worker is a few bytes, not the dataset.
    expect(JSON.stringify(source).length).toBeLessThan(100);
    const read = await resolveDataset(structuredClone(source));
    expect(read).toEqual(data);
    expect(datasetFingerprint(read)).toBe('43ce49c019bf6eba');
    expect(await resolveDataset(loadEstData())).toEqual(data);
  });
});
