/** How much this site stores in the browser, and whether the browser may evict it. Asks for nothing. */
import type { PersistenceState } from './persistence';

export interface StorageUsage {
  /** Bytes used and available to this site, when the browser says. */
  usage?: number;
  quota?: number;
  persistence: PersistenceState;
}

export async function storageUsage(): Promise<StorageUsage> {
  const storage = globalThis.navigator?.storage;
  const estimate = storage?.estimate ? await storage.estimate() : {};
  const persistence: PersistenceState = storage?.persisted ? ((await storage.persisted()) ? 'persistent' : 'best-effort') : 'unsupported';
  return { usage: estimate.usage, quota: estimate.quota, persistence };
}
