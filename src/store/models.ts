import type { StoredModelDocument } from '../model/session-model';
import type { SubjectMetrics, TrainedModelFacts, TrainedModelMeta } from '../model/trained-model';
import { checkedName, uniqueName } from './names';
import { openStudioDatabase } from './database';
import { isQuotaError, StorageQuotaError, StoredItemMissingError } from './errors';
import { announceStoreChange } from './store-changes';

export interface NewTrainedModel {
  /** Wanted name (at most NAME_MAX_LENGTH characters); " (2)", " (3)", … is added when another stored model has it. */
  readonly name: string;
  readonly facts: TrainedModelFacts;
  readonly document: StoredModelDocument;
}

export class TestAlreadyEvaluatedError extends Error {
  constructor(name: string) {
    super(`The test subjects of “${name}” were already evaluated: the final test evaluation is done once per model.`);
    this.name = 'TestAlreadyEvaluatedError';
  }
}

/** Stores a model's description and weights in one transaction: either both are written or neither. */
export async function storeTrainedModel(item: NewTrainedModel): Promise<TrainedModelMeta> {
  const wanted = checkedName('model', item.name);
  const db = await openStudioDatabase();
  const id = crypto.randomUUID();
  const tx = db.transaction(['model-meta', 'model-data'], 'readwrite');
  try {
    const metaStore = tx.objectStore('model-meta');
    const taken = (await metaStore.getAll()).map((m) => m.name);
    const meta: TrainedModelMeta = { ...item.facts, id, name: uniqueName(wanted, taken), createdAt: Date.now() };
    await tx.objectStore('model-data').add({ id, document: item.document });
    await metaStore.add(meta);
    await tx.done;
    announceStoreChange('models');
    return meta;
  } catch (error) {
    abandon(tx);
    if (isQuotaError(error)) throw new StorageQuotaError(`the model “${wanted}”`, '');
    throw error;
  }
}

/** All stored models, oldest first. */
export async function listTrainedModels(): Promise<TrainedModelMeta[]> {
  const db = await openStudioDatabase();
  return db.getAllFromIndex('model-meta', 'by-created');
}

/** A stored model is a hybrid model (the mechanistic head: a population model whose covariate model is a network). */
export function isHybridModelMeta(meta: Pick<TrainedModelMeta, 'config'>): boolean {
  return meta.config.head === 'mechanistic';
}

/** The stored hybrid models, oldest first: those that can be a patient's population model (DosesClient `patientModel`). */
export async function listHybridModels(): Promise<TrainedModelMeta[]> {
  return (await listTrainedModels()).filter(isHybridModelMeta);
}

export async function loadTrainedModel(id: string): Promise<{ meta: TrainedModelMeta; document: StoredModelDocument }> {
  const db = await openStudioDatabase();
  const tx = db.transaction(['model-meta', 'model-data'], 'readonly');
  const [meta, data] = await Promise.all([tx.objectStore('model-meta').get(id), tx.objectStore('model-data').get(id)]);
  if (!meta || !data) throw new StoredItemMissingError('model', id);
  return { meta, document: data.document };
}

/** Renames a model; refuses a blank or over-long name and one another model has (in any capitals). */
export async function renameTrainedModel(id: string, name: string): Promise<TrainedModelMeta> {
  checkedName('model', name);
  return updateMeta(id, (meta, all) => ({
    name: checkedName(
      'model',
      name,
      all.filter((m) => m.id !== meta.id).map((m) => m.name),
    ),
  }));
}

/** Records the one final test evaluation of a stored model; refuses a second one. */
export async function recordTestEvaluation(id: string, test: SubjectMetrics, at: number): Promise<TrainedModelMeta> {
  return updateMeta(id, (meta) => {
    if (meta.test !== null || meta.testEvaluatedAt !== null) throw new TestAlreadyEvaluatedError(meta.name);
    return { test, testEvaluatedAt: at };
  });
}

export async function deleteTrainedModel(id: string): Promise<void> {
  const db = await openStudioDatabase();
  const tx = db.transaction(['model-meta', 'model-data'], 'readwrite');
  await Promise.all([tx.objectStore('model-meta').delete(id), tx.objectStore('model-data').delete(id), tx.done]);
  announceStoreChange('models');
}

async function updateMeta(
  id: string,
  change: (meta: TrainedModelMeta, all: readonly TrainedModelMeta[]) => Partial<TrainedModelMeta>,
): Promise<TrainedModelMeta> {
  const db = await openStudioDatabase();
  const tx = db.transaction('model-meta', 'readwrite');
  const all = await tx.store.getAll();
  const meta = all.find((m) => m.id === id);
  if (!meta) throw new StoredItemMissingError('model', id);
  let updated: TrainedModelMeta;
  try {
    updated = { ...meta, ...change(meta, all) };
  } catch (error) {
    abandon(tx);
    throw error;
  }
  await Promise.all([tx.store.put(updated), tx.done]);
  announceStoreChange('models');
  return updated;
}

/** Aborts a transaction that failed part-way, so nothing of it is written; its rejection is already reported. */
function abandon(tx: { abort(): void; done: Promise<void> }): void {
  tx.done.catch(() => undefined);
  try {
    tx.abort();
  } catch {
    // already finished or aborted
  }
}
