/**
 * The page's dataset worker: it stores and reads datasets in IndexedDB and derives the data
 * explorer's plots, so that none of that work blocks the page. IndexedDB copies every value on the
 * thread that writes or reads it (a tenth of a second and more for a 50 MB file's columns), and
 * deriving the explorer's model of a million rows takes seconds. Datasets travel to and from the
 * page as packed columns whose buffers are moved, not copied (src/store/packed-dataset.ts).
 */
import * as Comlink from 'comlink';
import {
  type DatasetMeta,
  loadDataset,
  loadPackedDataset,
  type NewPackedDataset,
  savePackedDataset,
  type StoredPackedDataset,
} from '../src/store/datasets';
import { packedBuffers } from '../src/store/packed-dataset';
import { explorerDisplay, type ExplorerDisplay } from '../src/ui/explorer/explorer-display';
import { holdLifeline } from './worker-lifeline';

/** The explorer display last derived (the page asks again when a view is drawn anew). */
let last: { id: string; display: Promise<ExplorerDisplay> } | null = null;

export interface OpenedPackedDataset {
  meta: DatasetMeta;
  stored: StoredPackedDataset;
}

const api = {
  /** Stores a dataset the page moved here and moves it back, with its metadata. */
  async store(item: NewPackedDataset): Promise<{ meta: DatasetMeta; dataset: NewPackedDataset['dataset'] }> {
    const meta = await savePackedDataset(item);
    return Comlink.transfer({ meta, dataset: item.dataset }, packedBuffers(item.dataset));
  },

  /** A stored dataset, packed, moved to the page. */
  async open(id: string): Promise<OpenedPackedDataset> {
    const opened = await loadPackedDataset(id);
    return Comlink.transfer(opened, packedBuffers(opened.stored.dataset));
  },

  /** The explorer's model of a stored dataset, thinned for drawing (the worker reads the dataset itself). */
  display(id: string): Promise<ExplorerDisplay> {
    if (last?.id !== id) {
      const display = loadDataset(id).then((stored) => explorerDisplay(stored.dataset));
      last = { id, display };
      display.catch(() => {
        if (last?.display === display) last = null;
      });
    }
    return last.display;
  },
};

export type ExploreWorkerApi = typeof api;

Comlink.expose(api);
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
