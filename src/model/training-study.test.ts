import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { estDataSpec, loadEstData, loadRealStudy } from '../data/features/test-support';
import { datasetFingerprint } from '../data/fingerprint';
import { closeStudioDatabase } from '../store/database';
import { saveDataset } from '../store/datasets';
import { trainingStudy } from './training-study';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

afterEach(async () => {
  await closeStudioDatabase();
});

describe('the study a training run reads', () => {
  it('is the spec stored with the dataset, read by its id; a sent spec overrides it', async () => {
    const { dataset, spec } = loadRealStudy('theo_sd', 'theophylline');
    const meta = await saveDataset({
      name: 'theo',
      fileSize: 1,
      dataset,
      fingerprint: datasetFingerprint(dataset),
      warnings: [],
      study: { spec, source: 'user', confirmed: true, updatedAt: 1 },
    });
    expect(await trainingStudy({ storedDatasetId: meta.id }, dataset)).toEqual(spec);
    const other = { ...spec, name: 'edited' };
    expect(await trainingStudy({ storedDatasetId: meta.id }, dataset, other)).toBe(other);
  });

  it('is the proposed one for a dataset not stored: the EstData preset for EstData, else a guess from the file', async () => {
    const data = loadEstData();
    expect(await trainingStudy(data, data)).toEqual(estDataSpec());
    const { dataset } = loadRealStudy('theo_sd', 'theophylline');
    const guessed = await trainingStudy(dataset, dataset);
    expect(guessed.name).not.toBe(estDataSpec().name);
    expect(guessed.endpoints.pk).toBeDefined();
  });
});
