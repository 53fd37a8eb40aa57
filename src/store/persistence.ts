export type PersistenceState = 'persistent' | 'best-effort' | 'unsupported';

/** Asks the browser not to evict stored data under storage pressure. */
export async function requestPersistentStorage(): Promise<PersistenceState> {
  if (!globalThis.navigator?.storage?.persist) return 'unsupported';
  if (await navigator.storage.persisted()) return 'persistent';
  return (await navigator.storage.persist()) ? 'persistent' : 'best-effort';
}
