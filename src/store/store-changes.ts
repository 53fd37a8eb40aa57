/**
 * Tells every tab and worker of this origin that stored items changed, so that lists shown in
 * another tab (or filled before a worker saved a model) are read again. Each write posts after its
 * transaction committed; listeners re-read the store, which stays the only source of truth.
 */
export type StoreArea = 'datasets' | 'models' | 'patients';

const CHANNEL_NAME = 'qpkpd-store';

export function announceStoreChange(area: StoreArea): void {
  if (typeof BroadcastChannel === 'undefined') return;
  // A fresh channel per post: listeners in this page hear it too (a channel never hears its own posts).
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.postMessage(area);
  channel.close();
}

/** Calls `listener` after each change to `area` made anywhere in this origin; returns the unsubscribe. */
export function onStoreChange(area: StoreArea, listener: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.addEventListener('message', (event: MessageEvent) => {
    if (event.data === area) listener();
  });
  return () => channel.close();
}
