/**
 * "Delete all my data": deletes this origin's IndexedDB databases (the app's datasets, models and
 * encrypted patient records),
 * every Cache Storage cache (the offline copy of the app) and the service worker's registration —
 * a registered worker whose precache is gone would not fetch it again until a new version, so
 * unregistering lets the next online visit make a complete offline copy afresh.
 */
import { closeStudioDatabase } from './database';
import { StoredDataError } from './errors';
import { DATABASE_NAME } from './schema';
import { announceStoreChange } from './store-changes';

export interface DeleteAllOptions {
  /** Called when another tab keeps a database open; the deletion finishes once that tab lets go. */
  onBlocked?: (message: string) => void;
}

export interface DeleteAllResult {
  databases: string[];
  caches: string[];
  /** Service-worker registrations removed. */
  serviceWorkers: number;
}

export const BLOCKED_MESSAGE =
  'Another tab or window of QPKPD Studio is still using the stored data. Close or reload it to finish deleting; this tab waits until then.';

export async function deleteAllData(options: DeleteAllOptions = {}): Promise<DeleteAllResult> {
  await closeStudioDatabase();
  const databases = await databaseNames();
  for (const name of databases) await deleteDatabase(name, options.onBlocked);
  announceStoreChange('datasets');
  announceStoreChange('models');
  announceStoreChange('patients');
  const removedCaches = await deleteCaches();
  return { databases, caches: removedCaches, serviceWorkers: await unregisterServiceWorkers() };
}

async function unregisterServiceWorkers(): Promise<number> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return 0;
  const registrations = await navigator.serviceWorker.getRegistrations();
  const removed = await Promise.all(registrations.map((r) => r.unregister()));
  return removed.filter(Boolean).length;
}

async function databaseNames(): Promise<string[]> {
  const listed = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
  const names = listed.map((info) => info.name).filter((name): name is string => Boolean(name));
  return [...new Set([DATABASE_NAME, ...names])];
}

function deleteDatabase(name: string, onBlocked: DeleteAllOptions['onBlocked']): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () =>
      reject(
        new StoredDataError(
          `The stored data could not be deleted (${request.error?.message ?? 'unknown error'}). Nothing else was changed.`,
        ),
      );
    request.onblocked = () => onBlocked?.(BLOCKED_MESSAGE);
  });
}

async function deleteCaches(): Promise<string[]> {
  if (typeof caches === 'undefined') return [];
  const names = await caches.keys();
  await Promise.all(names.map((name) => caches.delete(name)));
  return names;
}
